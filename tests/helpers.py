"""Test helpers shared across apps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client, TestCase


@dataclass
class CapturedEvents:
    sent: list[tuple[list[str], dict]] = field(default_factory=list)

    @property
    def types(self) -> list[str]:
        return [event["type"] for _groups, event in self.sent]


@contextmanager
def capture_events() -> Iterator[CapturedEvents]:
    """Record what send_event_on_commit() broadcast, running on-commit callbacks at exit.

    Like Zulip's capture_send_event_calls: assert on the events a service sent
    without a running channel layer.
    """
    captured = CapturedEvents()

    def record(batch: list[tuple[list[str], dict]]) -> None:
        captured.sent.extend((list(groups), event) for groups, event in batch)

    with (
        mock.patch("community.realtime.events._broadcast_many", side_effect=record),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        yield captured


# --- Websockets ----------------------------------------------------------------------

ORIGIN = (b"origin", b"http://testserver")


@database_sync_to_async
def session_cookie_for(user) -> bytes:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


async def open_socket(
    user=None, *, origin=ORIGIN, extra_cookie: str = ""
) -> tuple[WebsocketCommunicator, bool]:
    """A socket to /ws/ as `user` (anonymous when None); returns it and whether it opened."""
    from community.asgi import application

    # As a browser on http://testserver/ would: its Host, and its page's Origin.
    headers = [(b"host", b"testserver"), *([origin] if origin else [])]
    cookie = await session_cookie_for(user) if user else b""
    if extra_cookie:
        cookie = cookie + (b"; " if cookie else b"") + extra_cookie.encode()
    if cookie:
        headers.append((b"cookie", cookie))
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, _code = await communicator.connect()
    return communicator, connected


async def joined_socket(user) -> WebsocketCommunicator:
    """An open socket whose hello has been read, ready for frames."""
    communicator, connected = await open_socket(user)
    assert connected
    assert (await communicator.receive_json_from())["type"] == "hello"
    return communicator


def run_tasks(*, scheduler: bool = False, allow_failures: bool = False) -> int:
    """Run every task due now through the real worker (community/background/worker.py),
    as `manage.py run_worker --batch` would; returns how many ran.

    A task that raised fails the test (with its traceback), unless `allow_failures`.
    """
    from django_tasks_db.models import DBTaskResult

    from community.background.worker import Worker

    failed_before = set(DBTaskResult.objects.failed().values_list("pk", flat=True))
    worker = Worker(interval=0, batch=True, scheduler=scheduler, worker_id="test-worker")
    worker.run()
    failed = DBTaskResult.objects.failed().exclude(pk__in=failed_before)
    if failed and not allow_failures:
        raise AssertionError("\n\n".join(f"{t.task_path} failed:\n{t.traceback}" for t in failed))
    return worker._run_tasks


def run_scheduled_job(key: str):
    """Enqueue one periodic job (community/background/schedule.py) and run it in the
    worker, as its slot would; returns the job's task result."""
    from community.background.schedule import SCHEDULE

    result = SCHEDULE[key].task.enqueue()
    run_tasks()
    return SCHEDULE[key].task.get_result(result.id)
