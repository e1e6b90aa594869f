"""The /ws/ endpoint: authentication, origin checks, frame routing and event delivery."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from community.realtime import registry
from community.realtime.consumer import MAX_FRAME_BYTES
from community.realtime.events import send_event_on_commit, user_group
from tests.helpers import open_socket

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_socket_db_connections"),
]


async def test_anonymous_socket_is_refused():
    communicator, connected = await open_socket()
    assert connected is False
    await communicator.disconnect()


async def test_socket_from_a_foreign_origin_is_refused(mentor):
    communicator, connected = await open_socket(mentor, origin=(b"origin", b"https://evil.example"))
    assert connected is False
    await communicator.disconnect()


async def test_socket_without_an_origin_is_refused(mentor):
    communicator, connected = await open_socket(mentor, origin=None)
    assert connected is False
    await communicator.disconnect()


async def test_member_is_greeted_with_the_protocol_version_and_ping_gets_pong(mentor):
    communicator, connected = await open_socket(mentor)
    assert connected
    hello = await communicator.receive_json_from()
    assert hello == {"type": "hello", "protocol": 1, "user_id": mentor.pk}
    await communicator.send_json_to({"type": "ping", "id": 7})
    assert await communicator.receive_json_from() == {"type": "pong", "id": 7}
    await communicator.disconnect()


async def test_malformed_json_gets_an_error_frame_and_the_socket_stays_open(mentor):
    communicator, _ = await open_socket(mentor)
    await communicator.receive_json_from()
    await communicator.send_to(text_data="{not json")
    error = await communicator.receive_json_from()
    assert error["type"] == "error" and error["code"] == "bad_json"
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from())["type"] == "pong"
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ([1, 2, 3], "bad_frame"),
        ({"no": "type"}, "bad_frame"),
        ({"type": 5}, "bad_frame"),
        ({"type": "launch_rockets", "id": "a1"}, "unknown_type"),
    ],
)
async def test_frames_that_do_not_fit_the_protocol_get_a_clear_error(mentor, frame, code):
    communicator, _ = await open_socket(mentor)
    await communicator.receive_json_from()
    await communicator.send_json_to(frame)
    error = await communicator.receive_json_from()
    assert error["type"] == "error"
    assert error["code"] == code
    assert error["message"]
    await communicator.disconnect()


async def test_deeply_nested_json_is_bad_json_not_a_crash(mentor):
    communicator, _ = await open_socket(mentor)
    await communicator.receive_json_from()
    await communicator.send_to(text_data="[" * 60_000)
    assert (await communicator.receive_json_from())["code"] == "bad_json"
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from())["type"] == "pong"
    await communicator.disconnect()


async def test_oversize_frame_is_refused(mentor):
    communicator, _ = await open_socket(mentor)
    await communicator.receive_json_from()
    await communicator.send_to(text_data=json.dumps({"type": "ping", "pad": "x" * MAX_FRAME_BYTES}))
    error = await communicator.receive_json_from()
    assert error["code"] == "too_large"
    await communicator.disconnect()


async def test_binary_frames_are_refused(mentor):
    communicator, _ = await open_socket(mentor)
    await communicator.receive_json_from()
    await communicator.send_to(bytes_data=b"\x00\x01")
    assert (await communicator.receive_json_from())["code"] == "bad_frame"
    await communicator.disconnect()


async def test_errors_speak_the_language_of_the_session(mentor):
    communicator, _ = await open_socket(mentor, extra_cookie="django_language=en")
    await communicator.receive_json_from()
    await communicator.send_to(text_data="nope")
    assert (await communicator.receive_json_from())["message"] == "The frame is not valid JSON."
    await communicator.disconnect()


@pytest.fixture
def failing_handlers():
    """Temporary frame handlers that raise, to check how the consumer answers."""
    added = {}

    def add(frame_type: str, exc: Exception) -> None:
        async def handler(connection, frame):
            raise exc

        registry.FRAME_HANDLERS.fill(registry.FrameHandler(frame_type, handler))
        added[frame_type] = handler

    yield add
    for frame_type in added:
        registry.FRAME_HANDLERS.empty(frame_type)


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (PermissionDenied(), "forbidden"),
        (ValidationError("Too long."), "invalid"),
        (RuntimeError("boom"), "server_error"),
    ],
)
async def test_handler_exceptions_become_error_frames(mentor, failing_handlers, exc, code):
    failing_handlers("test.fails", exc)
    communicator, _ = await open_socket(mentor)
    await communicator.receive_json_from()
    await communicator.send_json_to({"type": "test.fails", "id": 3})
    error = await communicator.receive_json_from()
    assert (error["code"], error["id"]) == (code, 3)
    assert "boom" not in error["message"]
    await communicator.disconnect()


async def test_event_sent_on_commit_reaches_every_socket_of_the_member(mentor):
    first, _ = await open_socket(mentor)
    second, _ = await open_socket(mentor)
    await first.receive_json_from()
    await second.receive_json_from()

    @database_sync_to_async
    def commit_an_event():
        with transaction.atomic():
            send_event_on_commit([user_group(mentor.pk)], {"type": "test.hello", "n": 1})

    await commit_an_event()
    assert await first.receive_json_from() == {"type": "test.hello", "n": 1}
    assert await second.receive_json_from() == {"type": "test.hello", "n": 1}
    await first.disconnect()
    await second.disconnect()


async def test_rolled_back_write_sends_no_event(mentor):
    communicator, _ = await open_socket(mentor)
    await communicator.receive_json_from()

    @database_sync_to_async
    def roll_back_an_event():
        with pytest.raises(RuntimeError), transaction.atomic():
            send_event_on_commit([user_group(mentor.pk)], {"type": "test.ghost"})
            raise RuntimeError("rollback")

    await roll_back_an_event()
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_socket_leaves_its_groups_on_disconnect(mentor):
    layer = get_channel_layer()
    communicator, _ = await open_socket(mentor)
    await communicator.receive_json_from()
    with mock.patch.object(layer, "group_discard", wraps=layer.group_discard) as discard:
        await communicator.disconnect()
    assert [call.args[0] for call in discard.call_args_list] == [user_group(mentor.pk)]


class Disconnected(Exception):
    """What daphne's autobahn raises on a write to a socket the browser closed."""


async def test_a_tab_closing_mid_answer_is_no_server_error_and_leaves_its_groups(mentor, caplog):
    from channels.generic.websocket import AsyncWebsocketConsumer

    from community.realtime.consumer import Connection

    communicator, connected = await open_socket(mentor)
    assert connected
    await communicator.receive_json_from()  # hello
    real_send = AsyncWebsocketConsumer.send

    async def closed_socket(self, *args, **kwargs):
        if "pong" in str(kwargs.get("text_data", "")):
            raise Disconnected("already closed")
        return await real_send(self, *args, **kwargs)

    with mock.patch.object(AsyncWebsocketConsumer, "send", closed_socket):
        await communicator.send_json_to({"type": "ping", "id": 1})
        assert await communicator.receive_nothing(timeout=0.3)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    # The socket still answers (the loop survived), and its disconnect still cleans up:
    # the handler that leaves the groups runs.
    await communicator.send_json_to({"type": "ping", "id": 2})
    assert (await communicator.receive_json_from())["type"] == "pong"
    real_disconnect = Connection.websocket_disconnect
    left = []

    async def recorded(self, message):
        left.append(sorted(self.groups_joined))
        return await real_disconnect(self, message)

    with mock.patch.object(Connection, "websocket_disconnect", recorded):
        await communicator.disconnect()
    assert left and user_group(mentor.pk) in left[0]
