"""Attachment housekeeping, run by the workers (community/background)."""

from __future__ import annotations

from django_tasks import task

from community.attachments.services import attachments_purge


@task()
def purge_attachments() -> dict:
    """Periodic, hourly: files never attached, and files of deleted posts, after their time."""
    orphans, deleted = attachments_purge()
    return {"orphans": orphans, "deleted": deleted}
