from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.attachments.forms import AttachmentsMixin
from community.attachments.models import Attachment
from community.attachments.services import text_with
from knowledge.models import (
    BODY_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PRACTICE_SECTIONS,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Article,
    Collection,
)
from knowledge.services import Content
from profiles.forms import ExpertiseField

MAX_TAGS = 8


class ArticleForm(AttachmentsMixin):
    """An article's text, or a practice's sections; with the revision the edit started from."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        help_text=_("One or two sentences shown in lists and search."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown is supported."),
    )
    collection = forms.ModelChoiceField(
        label=_("Collection"),
        required=False,
        queryset=Collection.objects.all(),
        empty_label=_("None"),
    )
    tags = ExpertiseField(label=_("Tags"), required=False)
    note = forms.CharField(label=_("What changed"), max_length=NOTE_MAX_LENGTH, required=False)
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == Article.Kind.PRACTICE:
            del self.fields["body"]
            for key, label in PRACTICE_SECTIONS:
                self.fields[f"section_{key}"] = forms.CharField(
                    label=label,
                    max_length=BODY_MAX_LENGTH,
                    required=False,
                    strip=False,
                    widget=forms.Textarea(attrs={"rows": 5}),
                )
        self.order_fields(
            [
                "title",
                "summary",
                "body",
                *[f"section_{key}" for key, _label in PRACTICE_SECTIONS],
                "attachments",
                "collection",
                "tags",
                "note",
            ]
        )

    @classmethod
    def initial_for(cls, article: Article) -> dict:
        return {
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "collection": article.collection,
            "tags": list(article.tags.all()),
            "base_revision": article.revision,
            **{
                f"section_{key}": article.sections.get(key, "") for key, _label in PRACTICE_SECTIONS
            },
        }

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(_("At most %(count)d tags.") % {"count": MAX_TAGS})
        return tags

    def content(self, attached: list[Attachment]) -> Content:
        """The text as written, with files from the plain field added at the end of the
        article, or of a practice's resources."""
        data = self.cleaned_data
        sections = {key: data.get(f"section_{key}", "") for key, _label in PRACTICE_SECTIONS}
        body = data.get("body", "")
        if self.kind == Article.Kind.PRACTICE:
            sections["resources"] = text_with(sections["resources"], attached)
        else:
            body = text_with(body, attached)
        return Content(
            title=data["title"],
            summary=data["summary"],
            body=body,
            sections=sections,
            collection=data["collection"],
            tags=list(data["tags"]),
        )


class VerifyForm(forms.Form):
    review_interval_days = forms.IntegerField(
        label=_("Review again in, days"), min_value=1, max_value=3650
    )
