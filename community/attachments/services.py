"""Every write to attachments: upload, attach to a parent, delete with it, purge orphans."""

from __future__ import annotations

import datetime
import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from community.attachments import filetypes, images
from community.attachments.markdown import markdown_for
from community.attachments.models import KEY_PATTERN, Attachment
from community.ratelimit import rate_limit_hit

# How an attachment is referred to in a post's or message's text: its download path.
REFERENCE = re.compile(rf"/attachments/({KEY_PATTERN})(?![A-Za-z0-9_-])")


def attachment_upload(*, owner, upload: UploadedFile) -> Attachment:
    """Check a file, store a clean copy under a random name, and return it unattached.

    The same member uploading the same bytes again (a double submit, two tabs) gets the
    first copy back, as long as it is not attached yet.
    """
    rate_limit_hit(
        key=f"attachments:{owner.pk}", limit=settings.ATTACHMENT_UPLOADS_PER_MINUTE, period=60
    )
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    _check_size(
        upload.size,
        max(settings.ATTACHMENT_MAX_DOCUMENT_BYTES, settings.ATTACHMENT_MAX_IMAGE_BYTES),
    )
    file_type = filetypes.sniff(upload, filetypes.extension_of(upload.name or ""))
    is_image = file_type.kind == filetypes.IMAGE
    _check_size(
        upload.size,
        settings.ATTACHMENT_MAX_IMAGE_BYTES if is_image else settings.ATTACHMENT_MAX_DOCUMENT_BYTES,
    )
    attachment = Attachment(
        owner=owner,
        name=filetypes.safe_name(upload.name or "", file_type),
        kind=file_type.kind,
        file_type=file_type.name,
        content_type=file_type.content_type,
    )
    content, thumbnail = _contents(attachment, upload)
    attachment.sha256, attachment.size = _digest(content)
    return _store(attachment, content, thumbnail)


def _contents(attachment: Attachment, upload: UploadedFile) -> tuple[File, File | None]:
    """What is stored: an image decoded and encoded afresh with its thumbnail; a document
    as it came."""
    extension = filetypes.BY_NAME[attachment.file_type].extension
    if not attachment.is_image:
        return File(upload, name=f"upload.{extension}"), None
    encoded = images.reencode(upload, attachment.file_type)
    attachment.width, attachment.height = encoded.width, encoded.height
    return (
        ContentFile(encoded.content, name=f"upload.{extension}"),
        ContentFile(encoded.thumbnail, name=f"thumbnail.{encoded.thumbnail_extension}"),
    )


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise ValidationError(
            _("The file is too large: the limit is %(limit)s.") % {"limit": filesizeformat(limit)},
            code="too_large",
        )


def _check_quota(owner, size: int) -> None:
    used = (
        Attachment.objects.filter(owner=owner, deleted_at__isnull=True).aggregate(
            total=Sum("size")
        )["total"]
        or 0
    )
    if used + size > settings.ATTACHMENT_QUOTA_BYTES:
        raise ValidationError(
            _(
                "Your files take %(used)s of the %(quota)s you may store; delete old posts' "
                "files or ask a coordinator."
            )
            % {
                "used": filesizeformat(used),
                "quota": filesizeformat(settings.ATTACHMENT_QUOTA_BYTES),
            },
            code="over_quota",
        )


def _digest(content: File) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    content.seek(0)
    for chunk in content.chunks():
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    return digest.hexdigest(), size


def _unattached_copy(attachment: Attachment) -> Attachment | None:
    return Attachment.objects.filter(
        owner=attachment.owner,
        sha256=attachment.sha256,
        attached_at__isnull=True,
        deleted_at__isnull=True,
    ).first()


def _store(attachment: Attachment, content: File, thumbnail: File | None) -> Attachment:
    if existing := _unattached_copy(attachment):
        return existing  # before the quota: sending the same file again costs nothing
    _check_quota(attachment.owner, attachment.size)
    attachment.file.save(content.name, content, save=False)
    if thumbnail is not None:
        attachment.thumbnail.save(thumbnail.name, thumbnail, save=False)
    try:
        with transaction.atomic():
            attachment.save()
    except IntegrityError:  # the same file from the same member, a moment earlier
        _delete_files(attachment)
        existing = _unattached_copy(attachment)
        if existing is None:
            raise
        return existing
    return attachment


def _delete_files(attachment: Attachment) -> None:
    for field in (attachment.file, attachment.thumbnail):
        if field.name:
            field.storage.delete(field.name)


def attachments_upload_all(*, owner, uploads: list[UploadedFile]) -> list[Attachment]:
    """The files of a form's plain file field, each checked; the first bad one stops all,
    with its name in the message, before the form's text is saved."""
    stored = []
    for upload in uploads:
        try:
            stored.append(attachment_upload(owner=owner, upload=upload))
        except ValidationError as error:
            raise ValidationError(
                {
                    "attachments": _("%(name)s: %(error)s")
                    % {"name": upload.name, "error": " ".join(error.messages)}
                }
            ) from None
    return stored


def text_with_uploads(*, owner, text: str, uploads: list[UploadedFile]) -> str:
    """A form's text with its plain-field uploads stored and written in."""
    return text_with(text, attachments_upload_all(owner=owner, uploads=uploads))


def text_with(text: str, attachments: list[Attachment]) -> str:
    """The text with the attachments written in at its end, as the composer's script
    would have inserted them."""
    if not attachments:
        return text
    return "\n\n".join([text.rstrip(), *(markdown_for(a) for a in attachments)]).lstrip()


def attachments_claim(*, owner, parent_kind: str, parent_id: int, text: str) -> int:
    """Attach the member's own unattached files that `text` refers to; call it inside the
    transaction that writes the parent. Returns how many were attached."""
    return attachments_attach(
        owner=owner, keys=set(REFERENCE.findall(text)), parent_kind=parent_kind, parent_id=parent_id
    )


def attachments_attach(*, owner, keys: set[str], parent_kind: str, parent_id: int) -> int:
    if not keys:
        return 0
    return Attachment.objects.filter(
        key__in=keys, owner=owner, attached_at__isnull=True, deleted_at__isnull=True
    ).update(parent_kind=parent_kind, parent_id=parent_id, attached_at=timezone.now())


def attachments_delete_for(*, parent_kind: str, parent_id: int) -> int:
    """The parent is gone: its files go with it (kept a while, then purged)."""
    return Attachment.objects.filter(
        parent_kind=parent_kind, parent_id=parent_id, deleted_at__isnull=True
    ).update(deleted_at=timezone.now())


def attachments_purge(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Remove files never attached after ATTACHMENT_ORPHAN_HOURS, and deleted ones after
    ATTACHMENT_DELETED_DAYS; rows and stored files both. Returns (orphans, deleted)."""
    now = now or timezone.now()
    orphans = Attachment.objects.filter(
        attached_at__isnull=True,
        created_at__lt=now - datetime.timedelta(hours=settings.ATTACHMENT_ORPHAN_HOURS),
    )
    deleted = Attachment.objects.filter(
        deleted_at__lt=now - datetime.timedelta(days=settings.ATTACHMENT_DELETED_DAYS)
    )
    return _purge(orphans), _purge(deleted)


def _purge(attachments) -> int:
    count = 0
    for attachment in attachments.iterator(chunk_size=500):
        _delete_files(attachment)
        attachment.delete()
        count += 1
    return count
