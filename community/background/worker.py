"""The worker: django-tasks-db's Worker, plus what a city's IT department should not have
to add by hand: a heartbeat, the periodic schedule, and taking back the tasks of a worker
that died mid-task (SIGKILL, OOM, a reboot), which django-tasks-db leaves RUNNING forever.

`manage.py run_worker` runs it; the tests run the same class in batch mode.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from community.background import schedule
from community.background.models import WorkerBeat

logger = logging.getLogger(__name__)


class Worker(DatabaseWorker):
    def __init__(self, *, scheduler: bool = True, **options) -> None:
        options.setdefault("queue_names", ["*"])
        options.setdefault("excluded_queue_names", [])
        options.setdefault("backend_name", "default")
        options.setdefault("startup_delay", False)
        options.setdefault("max_tasks", None)
        super().__init__(**options)
        self.scheduler = scheduler
        self._known_slots: dict = {}
        self._last_sweep = 0.0
        self._beating = threading.Event()

    # --- The loop ----------------------------------------------------------------

    def run(self) -> None:
        logger.info("Worker %s starts (pid %s)", self.worker_id, os.getpid())
        self.beat()
        beat_thread = None
        if not self.batch:
            beat_thread = threading.Thread(target=self._beat_forever, daemon=True)
            beat_thread.start()
        try:
            self._loop()
        finally:
            self._beating.set()
            if beat_thread is not None:
                beat_thread.join(timeout=5)
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()

    def _loop(self) -> None:
        while self.running:
            self._refresh_connections()
            self.housekeeping()
            task_result = self.claim_next()
            if task_result is not None:
                self.run_task(task_result)
            elif self.batch:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and task_result is None:
                time.sleep(self.interval)

    def claim_next(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                return task_result
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None  # SQLite is busy with a write; the next round gets it
            raise

    def housekeeping(self) -> None:
        """The schedule and the sweep of dead workers' tasks, at most every few seconds."""
        now = time.monotonic()
        if now - self._last_sweep < settings.BACKGROUND_HOUSEKEEPING_SECONDS and not self.batch:
            return
        self._last_sweep = now
        reclaim_abandoned()
        if self.scheduler:
            schedule.enqueue_due(known=self._known_slots)

    def _refresh_connections(self) -> None:
        # As a request would: drop connections the server closed. Not inside a transaction,
        # which only happens when a test runs the worker within its own test transaction.
        if not connection.in_atomic_block:
            close_old_connections()

    # --- Heartbeat -------------------------------------------------------------------

    def beat(self) -> None:
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "seen_at": timezone.now(),
            },
        )

    def _beat_forever(self) -> None:
        # A thread of its own, so that a long task (a 20 000-row import) does not look dead.
        try:
            while not self._beating.wait(settings.BACKGROUND_HEARTBEAT_SECONDS):
                try:
                    self.beat()
                except Exception:
                    logger.exception("Worker %s could not record its heartbeat", self.worker_id)
                finally:
                    close_old_connections()
        finally:
            connection.close()


def reclaim_abandoned(now=None) -> int:
    """Put back to READY the tasks held by workers silent for too long; returns how many.

    A task taken back runs again from the start, so every task is written to be run twice
    safely: it checks what it already did (an email sent is marked so before the next).
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.BACKGROUND_WORKER_STALE_SECONDS)
    dead = set(WorkerBeat.objects.filter(seen_at__lt=stale).values_list("worker_id", flat=True))
    if not dead:
        return 0
    running = DBTaskResult.objects.running().only("id", "worker_ids")
    # The last worker to claim a task holds it (a task taken back is claimed again).
    abandoned = [task.pk for task in running if task.worker_ids and task.worker_ids[-1] in dead]
    reclaimed = 0
    if abandoned:
        reclaimed = DBTaskResult.objects.filter(
            pk__in=abandoned, status=TaskResultStatus.RUNNING
        ).update(status=TaskResultStatus.READY, started_at=None)
        logger.warning(
            "Took back %d task(s) of dead workers: %s", reclaimed, sorted(map(str, abandoned))
        )
    WorkerBeat.objects.filter(worker_id__in=dead, seen_at__lt=stale).delete()
    return reclaimed
