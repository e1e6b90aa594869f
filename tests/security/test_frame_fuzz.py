"""Every websocket frame type with malformed text and values: a clear error or nothing,
never `server_error` and never a logged traceback (issue 20)."""

from __future__ import annotations

import itertools
import logging

import pytest
from channels.db import database_sync_to_async

from chat import services as chat_services
from community.realtime.registry import FRAME_HANDLERS
from tests.chat.conftest import send
from tests.helpers import joined_socket

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_socket_db_connections"),
]

FIELDS = ["room_id", "message_id", "thread_id", "body", "client_id", "reply_to", "emoji",
          "seq", "cursor", "rooms", "id"]  # fmt: skip
BAD_VALUES = [
    "\ud800",  # a lone surrogate
    "ok\udfffok",
    "\x00",
    "a\x00b",
    "\u202etxt.exe",
    "",
    None,
    True,
    -1,
    2**70,
    1.5,
    [],
    [{"room_id": "\ud800", "cursor": "\x00"}],
    {"\ud800": "\x00"},
    "x" * 5000,
]


@pytest.fixture
def room(mentor, mentor2):
    room = chat_services.channel_create(creator=mentor, name="Общий")
    chat_services.room_join(user=mentor2, room=room)
    return room


def frames(room_id: int, message_id: int):
    """Each frame type with a valid skeleton, and each field in turn made bad."""
    skeleton = {
        "room_id": room_id,
        "message_id": message_id,
        "body": "Привет",
        "client_id": "fuzz",
        "emoji": "👍",
        "seq": 1,
        "thread_id": 1,
        "rooms": [{"room_id": room_id, "cursor": 0}],
    }
    types = sorted(handler.key for handler in FRAME_HANDLERS)
    for frame_type, field, bad in itertools.product(types, FIELDS, BAD_VALUES):
        yield {**skeleton, "type": frame_type, field: bad}
    for bad in BAD_VALUES:
        yield {"type": bad}


async def test_no_malformed_frame_gets_a_server_error(mentor, mentor2, room, caplog, monkeypatch):
    monkeypatch.setattr("chat.services.rate_limit_hit", lambda **kwargs: None)
    message = await database_sync_to_async(send)(mentor2, room, "Цель")
    socket = await joined_socket(mentor)
    answers: dict[str, int] = {}
    sent = 0
    with caplog.at_level(logging.ERROR):
        for sent, frame in enumerate(frames(room.pk, message.pk), start=1):
            frame["client_id"] = (
                f"fuzz-{sent}" if frame.get("client_id") == "fuzz" else frame.get("client_id")
            )
            await socket.send_json_to(frame)
            await socket.send_json_to({"type": "ping", "id": f"after-{sent}"})
            while True:
                answer = await socket.receive_json_from(timeout=5)
                if answer == {"type": "pong", "id": f"after-{sent}"}:
                    break
                code = answer.get("code") if answer["type"] == "error" else answer["type"]
                answers[code] = answers.get(code, 0) + 1
                assert code != "server_error", frame
    await socket.disconnect()
    assert sent > 1000
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    # The fuzz reached the handlers: text was refused, and bad values were named.
    assert answers.get("invalid", 0) > 500
