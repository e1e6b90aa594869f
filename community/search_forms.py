"""The search page's form: the query and the filters the registered apps offer."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community import search

PERIODS = {"week": 7, "month": 31, "year": 366}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=search.MAX_QUERY_LENGTH, required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    author = forms.SlugField(
        label=_("Author"),
        required=False,
        allow_unicode=True,
        help_text=_("A profile address, such as aliia-khasanova."),
    )
    period = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("week", _("Past week")),
            ("month", _("Past month")),
            ("year", _("Past year")),
        ],
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        type_field = self.fields["type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [
            ("", _("Everything")),
            *[(k.key, k.label) for k in search.kinds()],
        ]
        for facet in search.FACETS:
            self.fields[facet.key] = forms.ChoiceField(
                label=facet.label, required=False, choices=[("", _("Any")), *facet.choices(user)]
            )

    def filters(self) -> search.Filters:
        data = self.cleaned_data
        author = (
            get_user_model().objects.filter(slug=data["author"]).first()
            if data.get("author")
            else None
        )
        days = PERIODS.get(data.get("period") or "")
        category = data.get("category_id") or ""
        return search.Filters(
            kinds=(data["type"],) if data.get("type") else (),
            category_id=int(category) if category.isdigit() else None,
            tag=data.get("tag") or "",
            # An unknown author matches nothing, rather than everything.
            author_id=author.pk if author else (-1 if data.get("author") else None),
            since=timezone.now() - timedelta(days=days) if days else None,
        )
