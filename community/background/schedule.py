"""Periodic jobs, run by the workers themselves: no cron lines for an operator to forget.

Each app fills SCHEDULE in its plugins.py. A job's slots are aligned to local midnight
(settings.TIME_ZONE): `every=1 day, offset=7 h` is 07:00 each day, `every=30 min` is :00 and
:30. A worker that finds the latest slot of a job not yet run enqueues it; the unique
(job, slot) row decides between two workers, so a slot runs once. A slot missed while no
worker ran (a restart at 09:10) runs as soon as a worker is back, once; older slots are
not replayed, since each job catches up on everything due when it runs.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from community.background.models import ScheduledRun
from community.slots import Slot

logger = logging.getLogger(__name__)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class PeriodicJob:
    key: str
    task: Task
    every: datetime.timedelta
    offset: datetime.timedelta = datetime.timedelta(0)

    def __post_init__(self) -> None:
        if self.every <= datetime.timedelta(0) or DAY % self.every:
            raise ValueError(f"{self.key}: `every` must divide a day, got {self.every}")
        if not datetime.timedelta(0) <= self.offset < self.every:
            raise ValueError(f"{self.key}: `offset` must be within one period")

    @classmethod
    def daily(cls, key: str, task: Task, *, at: datetime.time) -> PeriodicJob:
        """Once a day at `at`, local time."""
        offset = datetime.timedelta(hours=at.hour, minutes=at.minute)
        return cls(key, task, every=DAY, offset=offset)

    @classmethod
    def hourly(cls, key: str, task: Task, *, minute: int = 0) -> PeriodicJob:
        return cls(key, task, every=HOUR, offset=datetime.timedelta(minutes=minute))

    @classmethod
    def every_minutes(cls, key: str, task: Task, minutes: int) -> PeriodicJob:
        """Every `minutes` (which divide a day) from local midnight: :00, :30…"""
        return cls(key, task, every=datetime.timedelta(minutes=minutes))

    def latest_slot(self, now: datetime.datetime) -> datetime.datetime:
        """The most recent time ≤ now at which this job is due."""
        local = timezone.localtime(now)
        start = datetime.datetime.combine(local.date(), datetime.time(), local.tzinfo) + self.offset
        if start > local:
            start -= DAY
        return start + ((local - start) // self.every) * self.every


SCHEDULE: Slot[PeriodicJob] = Slot("background.SCHEDULE")


def enqueue_due(now: datetime.datetime | None = None, *, known: dict | None = None) -> list[str]:
    """Enqueue every job whose latest slot has not run yet; returns the jobs enqueued.

    `known` remembers, per worker, the slots already settled, so that a tick costs no query
    until a new slot comes.
    """
    now = now or timezone.now()
    known = {} if known is None else known
    enqueued = []
    for job in SCHEDULE:
        slot = job.latest_slot(now)
        if known.get(job.key) == slot:
            continue
        try:
            # The task and its slot's row commit together: a lost race takes back both.
            with transaction.atomic():
                result = job.task.enqueue()
                ScheduledRun.objects.create(job=job.key, slot=slot, task_result_id=str(result.id))
        except IntegrityError:
            pass  # another worker enqueued this slot
        else:
            enqueued.append(job.key)
            logger.info("Scheduled %s for %s", job.key, slot)
        known[job.key] = slot
    return enqueued
