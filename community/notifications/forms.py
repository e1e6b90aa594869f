from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from community.notifications import registry
from community.notifications.models import NotificationPreference


class KindSwitches(forms.MultipleChoiceField):
    """One switch per registered kind; the kinds switched on are the field's value."""

    widget = forms.CheckboxSelectMultiple(attrs={"role": "switch"})
    default_error_messages = {"invalid_choice": registry.UNKNOWN_KIND}

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Email notifications"),
        choices=NotificationPreference.EmailMode.choices,
        widget=forms.RadioSelect,
    )
    in_app = KindSwitches(label=_("On the site"))
    email = KindSwitches(label=_("By email"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Filled per form, not at import: apps fill the registry once they are ready.
        kinds = registry.registered_kinds()
        for name in ("in_app", "email"):
            self.fields[name].choices = kinds  # type: ignore[attr-defined]

    def kind_rows(self) -> list[tuple[str, BoundWidget, BoundWidget]]:
        """Each kind's label with its two switches, for a row per kind on the page."""
        labels = [str(label) for _kind, label in registry.registered_kinds()]
        return list(zip(labels, self["in_app"], self["email"], strict=True))
