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

    def record(groups: list[str], event: dict) -> None:
        captured.sent.append((list(groups), event))

    with (
        mock.patch("community.realtime.events._broadcast", side_effect=record),
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
