"""Housekeeping of the queue itself."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from community.background.models import ScheduledRun

# Finished tasks are kept this long for coordinators and operators to look into.
KEEP_SUCCESSFUL = timedelta(days=14)
KEEP_FAILED = timedelta(days=60)


@task()
def prune_finished() -> int:
    """Periodic, daily: forget old finished task results and schedule records."""
    now = timezone.now()
    deleted, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - KEEP_SUCCESSFUL
    ).delete()
    failed, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - KEEP_FAILED
    ).delete()
    ScheduledRun.objects.filter(slot__lt=now - KEEP_FAILED).delete()
    return deleted + failed
