"""The periodic jobs: their slots, and one run per slot however many workers look."""

from __future__ import annotations

import datetime
import threading
import zoneinfo

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from community.background import schedule
from community.background.models import ScheduledRun
from community.background.schedule import SCHEDULE, PeriodicJob
from community.background.tasks import prune_finished

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def at(hour: int, minute: int = 0, day: int = 8) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=MOSCOW)


def job(**when) -> PeriodicJob:
    return PeriodicJob("test.job", prune_finished, **when)


@pytest.mark.parametrize(
    ("when", "now", "slot"),
    [
        (
            {"every": datetime.timedelta(days=1), "offset": datetime.timedelta(hours=7)},
            at(6, 59),
            at(7, day=7),
        ),
        (
            {"every": datetime.timedelta(days=1), "offset": datetime.timedelta(hours=7)},
            at(7),
            at(7),
        ),
        (
            {"every": datetime.timedelta(days=1), "offset": datetime.timedelta(hours=7)},
            at(23, 59),
            at(7),
        ),
        ({"every": datetime.timedelta(minutes=30)}, at(10, 29), at(10)),
        ({"every": datetime.timedelta(minutes=30)}, at(10, 30), at(10, 30)),
        (
            {"every": datetime.timedelta(hours=1), "offset": datetime.timedelta(minutes=15)},
            at(0, 5),
            at(23, 15, day=7),
        ),
    ],
)
def test_a_jobs_latest_slot_is_in_local_time(settings, when, now, slot):
    settings.TIME_ZONE = "Europe/Moscow"
    with timezone.override(MOSCOW):
        assert job(**when).latest_slot(now.astimezone(datetime.UTC)) == slot


def test_a_period_must_divide_a_day():
    with pytest.raises(ValueError, match="divide a day"):
        job(every=datetime.timedelta(hours=5))
    with pytest.raises(ValueError, match="within one period"):
        job(every=datetime.timedelta(hours=1), offset=datetime.timedelta(hours=2))


def test_the_documented_jobs_are_scheduled():
    when = {j.key: (j.every, j.offset) for j in SCHEDULE}
    hour, day = datetime.timedelta(hours=1), datetime.timedelta(days=1)
    assert when["notifications.digest"] == (day, 7 * hour)
    assert when["mentoring.escalate"] == (hour / 2, datetime.timedelta(0))
    assert when["attachments.purge"] == (hour, hour / 4)
    assert when["knowledge.review_reminders"] == (day, 8 * hour)
    assert {"mailer.sweep", "background.prune"} <= set(when)


@pytest.mark.django_db
def test_a_slot_is_enqueued_once_by_however_many_workers():
    # Midday, far from the daily slots: at 06:40 the next half hour would bring the
    # digest's 07:00 slot too.
    now = timezone.localtime().replace(hour=12, minute=10, second=0, microsecond=0)
    first, second = {}, {}  # two workers, each with its own memory
    assert sorted(schedule.enqueue_due(now, known=first)) == sorted(j.key for j in SCHEDULE)
    assert schedule.enqueue_due(now, known=second) == []
    assert schedule.enqueue_due(now + datetime.timedelta(seconds=5), known=first) == []
    assert ScheduledRun.objects.count() == len(SCHEDULE)
    assert DBTaskResult.objects.count() == len(SCHEDULE)
    # Half an hour on, only the half-hourly jobs (and the five-minute sweep) come due.
    later = schedule.enqueue_due(now + datetime.timedelta(minutes=30), known=second)
    assert "mentoring.escalate" in later and "notifications.digest" not in later


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite serialises writers: no race to run"
)
def test_two_workers_racing_for_a_slot_enqueue_it_once():
    now = timezone.now()
    barrier = threading.Barrier(4)
    results: list[list[str]] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(schedule.enqueue_due(now, known={}))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    enqueued = [key for keys in results for key in keys]
    assert sorted(enqueued) == sorted(j.key for j in SCHEDULE)
    assert DBTaskResult.objects.count() == len(SCHEDULE)
