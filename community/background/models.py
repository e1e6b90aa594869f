"""What the workers keep beside django-tasks-db's own task table: who is alive, and which
scheduled runs have been enqueued (so that one run happens once however many workers)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """A running worker's heartbeat. A worker silent for longer than
    BACKGROUND_WORKER_STALE_SECONDS is taken for dead, and the tasks it held run again."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} ({self.worker_id})"


class ScheduledRun(models.Model):
    """One periodic job's run for one slot of its schedule (the digest of 7 December)."""

    job = models.CharField(_("job"), max_length=100)
    slot = models.DateTimeField(_("slot"))
    enqueued_at = models.DateTimeField(_("enqueued"), default=timezone.now)
    task_result_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-slot", "job"]
        constraints = [
            # The guard that lets two workers race for a slot: only one insert wins.
            models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
