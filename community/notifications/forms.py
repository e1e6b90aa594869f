from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.notifications.models import NotificationPreference


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Email notifications"),
        choices=NotificationPreference.EmailMode.choices,
        widget=forms.RadioSelect,
    )
