from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from community.attachments.forms import AttachmentListMixin
from mentoring import selectors


class _MentorChoice(forms.ModelChoiceField):
    """A mentor with their load, from selectors.mentor_load: «Алия Хасанова (2/3)»."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.active_pairs}/{obj.mentor_capacity})"


class ProposeForm(forms.Form):
    mentor = _MentorChoice(label=_("Mentor"), queryset=get_user_model().objects.none())
    newcomer = forms.ModelChoiceField(label=_("Newcomer"), queryset=get_user_model().objects.none())
    starts_on = forms.DateField(
        label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    message = forms.CharField(
        label=_("Message to the mentor"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True).order_by("sort_name")
        mentor, newcomer = self.fields["mentor"], self.fields["newcomer"]
        assert isinstance(mentor, forms.ModelChoiceField)
        assert isinstance(newcomer, forms.ModelChoiceField)
        mentor.queryset = selectors.mentor_load(people.filter(role="mentor"))
        newcomer.queryset = people.filter(role="newcomer")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeetingForm(AttachmentListMixin):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["held_on", "notes", "attachments"]


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How would you rate the mentoring, 1 to 5?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    helpful = forms.TypedChoiceField(
        label=_("Was your mentor helpful?"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("Your report"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
