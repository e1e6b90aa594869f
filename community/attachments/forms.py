"""The plain file field every composer carries, so that attaching works without script."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from community.attachments.models import KEY_PATTERN

KEY = re.compile(KEY_PATTERN)
MAX_KEYS = 20


def _size_limit(setting: str):
    """The limit in the reader's language («10,0 МБ»), worked out when the page is drawn."""
    return lazy(lambda: filesizeformat(getattr(settings, setting)), str)()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once; checking them is the upload service's job.

    With script, a composer's files are written into its text (`inline`); elsewhere they
    are listed under the field and sent as keys (AttachmentKeysField).
    """

    widget = MultipleFileInput

    def __init__(self, *, inline: bool = True, **kwargs) -> None:
        kwargs.setdefault("label", _("Attach files"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            format_lazy(
                _(
                    "Documents (PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV) up to "
                    "{documents}, images (PNG, JPEG, GIF, WebP) up to {images}. You can also drop "
                    "files on the text or paste a screenshot."
                ),
                documents=_size_limit("ATTACHMENT_MAX_DOCUMENT_BYTES"),
                images=_size_limit("ATTACHMENT_MAX_IMAGE_BYTES"),
            ),
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"data-attachments": "" if inline else "list", "multiple": True})

    def clean(self, data, initial=None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AttachmentKeysField(forms.Field):
    """Keys of files the script uploaded already; unknown or foreign keys attach nothing."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> set[str]:
        return {key for key in (value or [])[:MAX_KEYS] if KEY.fullmatch(str(key))}


class AttachmentsMixin(forms.Form):
    """For composers: files end up written into the text."""

    attachments = FilesField()


class AttachmentListMixin(forms.Form):
    """For plain-text forms: files are listed with what the form saves."""

    attachments = FilesField(inline=False)
    attachment_keys = AttachmentKeysField(required=False)
