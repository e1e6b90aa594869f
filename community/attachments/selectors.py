"""Reads of attachments, each checking who asks."""

from __future__ import annotations

from django.http import Http404

from community.attachments.models import Attachment
from community.attachments.parents import can_read_parent


def attachment_get_for(user, key: str) -> Attachment:
    """The file if the member may read what it belongs to; a 404 for anything else, so
    that a file's existence is never confirmed to someone who may not see it."""
    attachment = Attachment.objects.filter(key=key, deleted_at__isnull=True).first()
    if attachment is None or not user.is_authenticated:
        raise Http404
    if attachment.attached_at is None:
        if attachment.owner_id != user.pk:
            raise Http404
    elif attachment.parent_id is None or not can_read_parent(
        user, attachment.parent_kind, attachment.parent_id
    ):
        raise Http404
    return attachment


def attachments_of(parent_kind: str, parent_ids: list[int]) -> dict[int, list[Attachment]]:
    """The files of several parents in one query, for pages that list them (meeting notes);
    the page has checked that its reader may see those parents."""
    files: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(
        parent_kind=parent_kind, parent_id__in=parent_ids, deleted_at__isnull=True
    ):
        if attachment.parent_id is not None:  # always, by the filter
            files.setdefault(attachment.parent_id, []).append(attachment)
    return files
