from __future__ import annotations

import uuid

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from chat.models import MESSAGE_MAX_LENGTH, Room
from community.attachments.forms import AttachmentsMixin


class MessageForm(AttachmentsMixin):
    body = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "data-mentions-url": reverse_lazy("profiles:suggest"),
                "data-mentions-label": _("Colleagues to mention"),
            }
        ),
    )
    # Chosen when the form is drawn: sending it twice posts one message.
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reply_to = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_id", f"form-{uuid.uuid4().hex}")


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Channel name"), max_length=100)
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    access = forms.ChoiceField(
        label=_("Who may join"), choices=Room.Access.choices, initial=Room.Access.MEMBERS
    )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=100)


class InviteForm(forms.Form):
    member = forms.SlugField(
        label=_("Profile address"),
        max_length=80,
        help_text=_("Start typing a name to find a colleague."),
    )
