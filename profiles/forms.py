from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from profiles import selectors, services
from profiles.models import Department, ExpertiseTag, MentorApplication, User


class DepartmentTreeIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for node in selectors.department_tree():
            value, _label = self.choice(node.department)
            yield (value, "\u2003" * node.depth + node.department.name)


class DepartmentChoiceField(forms.ModelChoiceField):
    """Departments as an indented tree, so «отдел» reads under its «управление»."""

    iterator = DepartmentTreeIterator

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=Department.objects.all(), **kwargs)


# Either order parses (profiles/naming.py), but the one people speak is never ambiguous.
FULL_NAME_HELP = _(
    "First name, patronymic (if any) and surname. We will call you by your first name."
)


class SignupDetailsForm(forms.Form):
    """Extra signup fields; allauth mixes this form into its own signup form."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=FULL_NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("Anna Ivanova")}),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    department = DepartmentChoiceField(
        label=_("Department"), required=False, empty_label=_("Not selected")
    )

    field_order = ["full_name", "email", "position", "department", "password1", "password2"]

    def signup(self, request, user) -> None:
        """Required by allauth; AccountAdapter.save_user already stored these fields."""


class ExpertiseField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(queryset=ExpertiseTag.objects.all(), **kwargs)


class ProfileForm(forms.ModelForm):
    department = DepartmentChoiceField(
        label=_("Department"), required=False, empty_label=_("Not selected")
    )
    expertise = ExpertiseField(label=_("Expertise"), required=False)

    class Meta:
        model = User
        fields = [
            "full_name",
            "position",
            "department",
            "service_start",
            "service_end",
            "bio",
            "expertise",
            "mentor_capacity",
            "accepting_mentees",
        ]
        widgets = {
            "service_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "service_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "bio": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "full_name": FULL_NAME_HELP,
            "bio": _("Markdown is supported: **bold**, _italic_, lists and links."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.is_mentor:
            del self.fields["mentor_capacity"]
            del self.fields["accepting_mentees"]
        else:
            self.fields["mentor_capacity"].widget.attrs.update(min=0, max=20)

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        if error := services.service_dates_error(
            cleaned.get("service_start"), cleaned.get("service_end")
        ):
            self.add_error("service_end", error)
        return cleaned

    def clean_mentor_capacity(self) -> int:
        capacity = self.cleaned_data["mentor_capacity"]
        if capacity > 20:
            raise forms.ValidationError(_("No more than 20 mentees."))
        return capacity


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Built per form, not at import, so that it is in the reader's language.
        self.fields["avatar"].help_text = _("JPEG, PNG, GIF or WebP, up to %(limit)s MB.") % {
            "limit": round(settings.AVATAR_MAX_BYTES / 1024 / 1024, 1)
        }


class MentorApplicationForm(forms.ModelForm):
    expertise = ExpertiseField(label=_("Areas of expertise"))
    video_url = forms.URLField(
        label=_("Video introduction"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Optional: a link to a short video in which you introduce yourself."),
    )

    class Meta:
        model = MentorApplication
        fields = ["motivation", "video_url", "expertise"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "motivation": _(
                "Your motivation letter: your experience, what you can teach newcomers and "
                "why you want to mentor. Markdown is supported."
            ),
        }

    def clean_video_url(self) -> str:
        url = self.cleaned_data["video_url"]
        if url and not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Enter a link that starts with https://."))
        return url


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    department = DepartmentChoiceField(
        label=_("Department"), required=False, empty_label=_("All departments")
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Everyone")), *User.Role.choices],
    )
    expertise = forms.ChoiceField(label=_("Expertise"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        expertise = self.fields["expertise"]
        assert isinstance(expertise, forms.ChoiceField)
        expertise.choices = [
            ("", _("Any expertise")),
            *((tag.slug, tag.name) for tag in selectors.expertise_in_use()),
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Decline"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the applicant"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EmployeeImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file from the HR system"),
        help_text=_(
            "Columns: email, full_name, department, position, service_start, service_end, role."
        ),
    )
    dry_run = forms.BooleanField(label=_("Only check, write nothing"), required=False, initial=True)
    partial = forms.BooleanField(
        label=_("Write the good rows even if others have errors"), required=False
    )
