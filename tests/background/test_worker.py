"""The worker: runs what is queued, records failures, and takes back the tasks of workers
that died mid-task."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from community.background.models import WorkerBeat
from community.background.queue import enqueue_on_commit
from community.background.worker import Worker, reclaim_abandoned
from tests.background import tasks_for_tests as jobs
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db


def test_a_task_enqueued_in_a_transaction_exists_only_if_it_commits():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(jobs.record, "rolled back")
        raise RuntimeError
    with transaction.atomic():
        enqueue_on_commit(jobs.record, "committed")
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.all()] == [["committed"]]
    run_tasks()
    assert jobs.RECORDED == ["committed"]


def test_a_failing_task_is_recorded_as_failed_with_its_traceback():
    jobs.explode.enqueue()
    assert run_tasks(allow_failures=True) == 1
    failed = DBTaskResult.objects.get()
    assert failed.status == TaskResultStatus.FAILED
    assert "ZeroDivisionError" in failed.traceback


def test_the_worker_leaves_no_heartbeat_behind_when_it_stops():
    Worker(interval=0, batch=True, scheduler=False, worker_id="w1").run()
    assert not WorkerBeat.objects.exists()


def test_tasks_of_a_dead_worker_run_again_and_a_live_workers_are_left_alone():
    dead, alive = jobs.record.enqueue("of the dead"), jobs.record.enqueue("of the living")
    stale = timezone.now() - datetime.timedelta(minutes=5)
    WorkerBeat.objects.create(worker_id="dead", host="h", pid=1, seen_at=stale)
    WorkerBeat.objects.create(worker_id="alive", host="h", pid=2)
    DBTaskResult.objects.filter(pk=dead.id).update(status="RUNNING", worker_ids=["dead"])
    DBTaskResult.objects.filter(pk=alive.id).update(status="RUNNING", worker_ids=["alive"])
    assert reclaim_abandoned() == 1
    assert DBTaskResult.objects.get(pk=dead.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=alive.id).status == TaskResultStatus.RUNNING
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["alive"]
    run_tasks()
    assert jobs.RECORDED == ["of the dead"]
    assert DBTaskResult.objects.get(pk=dead.id).worker_ids == ["dead", "test-worker"]
