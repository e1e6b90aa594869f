"""Files members attach to posts, messages, articles and pairs' notes."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# token_urlsafe(18): 24 characters of the URL-safe alphabet.
KEY_PATTERN = r"[A-Za-z0-9_-]{24}"


def new_key() -> str:
    """The file's public handle: unguessable, so that ids cannot be walked."""
    return secrets.token_urlsafe(18)


def _stored_name(attachment: Attachment, filename: str, suffix: str = "") -> str:
    # Random, never the member's name: that one is only offered on download.
    extension = filename.rsplit(".", 1)[-1]
    return f"attachments/{attachment.key[:2]}/{attachment.key}{suffix}.{extension}"


def _thumbnail_name(attachment: Attachment, filename: str) -> str:
    return _stored_name(attachment, filename, suffix="-thumb")


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        DOCUMENT = "document", _("Document")

    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(upload_to=_stored_name, max_length=200)
    thumbnail = models.FileField(upload_to=_thumbnail_name, max_length=200, blank=True)
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file_type = models.CharField(max_length=10)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # What it belongs to, once attached: "forum.post" 17. An app registers each parent
    # kind with who may read it (community.attachments.parents).
    parent_kind = models.CharField(max_length=40, blank=True)
    parent_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attached_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(parent_kind="", parent_id__isnull=True, attached_at__isnull=True)
                    | (~Q(parent_kind="") & Q(parent_id__isnull=False, attached_at__isnull=False))
                ),
                name="attachment_parent_whole_or_none",
            ),
            # One stored copy per member and content until it is attached: a double
            # submit or two tabs uploading the same file meet here.
            models.UniqueConstraint(
                fields=["owner", "sha256"],
                condition=Q(attached_at__isnull=True, deleted_at__isnull=True),
                name="attachment_unattached_once",
            ),
        ]
        indexes = [
            models.Index(fields=["parent_kind", "parent_id"], name="attachment_parent"),
            models.Index(fields=["owner", "deleted_at"], name="attachment_owner"),
            models.Index(
                fields=["created_at"],
                condition=Q(attached_at__isnull=True),
                name="attachment_orphans",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("attachments:file", kwargs={"key": self.key, "name": self.name})

    @property
    def thumbnail_url(self) -> str:
        return reverse("attachments:thumbnail", kwargs={"key": self.key})

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE
