"""Run a background worker: tasks, the periodic schedule, and the sweep of dead workers'
tasks. Start one or more (docs/deployment.md); `make run` starts one beside daphne."""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from community.background.worker import Worker
from community.realtime.relay import relay_from_worker


class Command(BaseCommand):
    help = "Run a background worker: queued tasks and the periodic jobs (no cron needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due now, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default: 1).",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="scheduler",
            help="Leave the periodic jobs to other workers.",
        )
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Comma-separated queues to take tasks from (default: every queue).",
        )
        parser.add_argument("--worker-id", default="", help="Unique id (default: random).")

    def handle(
        self,
        *args,
        batch: bool,
        interval: float,
        scheduler: bool,
        queue_name: str,
        worker_id: str,
        verbosity: int,
        **options,
    ) -> None:
        logging.getLogger("community.background").setLevel(
            logging.WARNING if verbosity == 0 else logging.INFO
        )
        # A line per task started and finished only when asked for (-v 2): failures are
        # logged as errors whatever the verbosity.
        logging.getLogger("django_tasks").setLevel(
            logging.DEBUG if verbosity >= 2 else logging.WARNING
        )
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            scheduler=scheduler,
            worker_id=worker_id or get_random_string(32),
        )
        # Beside an in-memory channel layer, the tasks' live events go through the web server.
        relay_from_worker()
        worker.configure_signals()
        worker.run()
