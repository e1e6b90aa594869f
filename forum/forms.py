from __future__ import annotations

import uuid

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from community.attachments.forms import AttachmentsMixin
from forum import rules
from forum.models import Category, Flag, Subscription, Thread
from forum.services import MAX_BODY_LENGTH, MAX_TAGS
from profiles.forms import ExpertiseField


class BodyField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Text"))
        kwargs.setdefault("help_text", _("Markdown is supported. Mention colleagues with @."))
        super().__init__(
            max_length=MAX_BODY_LENGTH,
            strip=False,
            widget=forms.Textarea(
                attrs={
                    "rows": 8,
                    "data-mentions-url": reverse_lazy("profiles:suggest"),
                    "data-mentions-label": _("Colleagues to mention"),
                }
            ),
            **kwargs,
        )


class SubmissionTokenMixin(forms.Form):
    """A token per rendered form: submitting it twice creates one post."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())


class ThreadForm(AttachmentsMixin, SubmissionTokenMixin):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Thread.Kind.choices,
        widget=forms.RadioSelect,
        initial=Thread.Kind.QUESTION,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = BodyField()
    tags = ExpertiseField(label=_("Tags"), required=False)

    field_order = ["category", "kind", "title", "body", "attachments", "tags"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = [c.pk for c in Category.objects.all() if rules.can_start_thread(user, c)]
        self.allowed_categories = Category.objects.filter(pk__in=allowed)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = self.allowed_categories
        self.fields["title"].widget.attrs.update(autocomplete="off")

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(_("At most %(count)d tags.") % {"count": MAX_TAGS})
        return tags


class ReplyForm(AttachmentsMixin, SubmissionTokenMixin):
    body = BodyField(label=_("Your reply"))

    field_order = ["body", "attachments"]


class EditForm(AttachmentsMixin):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = BodyField()

    field_order = ["title", "body", "attachments"]

    def __init__(self, *args, opening: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if opening:
            self.fields["title"].required = True
        else:
            del self.fields["title"]


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=Flag.Reason.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment for moderators"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SubscriptionForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Notifications"),
        required=False,
        choices=[("", _("Default")), *Subscription.Level.choices],
    )


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Move to"), queryset=Category.objects.all())
