"""The websocket, checked like the pages: hijacking attempts are refused at the door, and
every frame that touches a private thing answers a non-reader as if it did not exist."""

from __future__ import annotations

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async

from chat.models import Message
from tests.chat.sockets import close, request
from tests.helpers import joined_socket, open_socket
from tests.security.world import build

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_socket_db_connections"),
]

MEMBERS = ["stranger", "newcomer", "mentor", "other_mentor", "coordinator"]
ROOM_READERS = {"group": {"mentor", "newcomer"}, "direct": {"mentor", "other_mentor"}}
THREAD_READERS = {"mentor", "other_mentor", "coordinator"}


@pytest_asyncio.fixture
async def world(mentor, mentor2, newcomer, coordinator, stranger):
    return await database_sync_to_async(build)(mentor, mentor2, newcomer, coordinator, stranger)


@pytest.mark.parametrize(
    "origin",
    [
        (b"origin", b"https://evil.example"),
        (b"origin", b"http://testserver.evil.example"),
        (b"origin", b"null"),
        None,
    ],
    ids=["evil", "look-alike", "null", "none"],
)
async def test_a_socket_from_elsewhere_is_refused_even_with_a_session(mentor, origin):
    socket, connected = await open_socket(mentor, origin=origin)
    assert connected is False
    await socket.disconnect()


async def test_an_anonymous_or_forged_session_is_refused(db):
    for cookie in ("", "sessionid=forged-session-key"):
        socket, connected = await open_socket(None, extra_cookie=cookie)
        assert connected is False
        await socket.disconnect()


@pytest.mark.parametrize("room", list(ROOM_READERS))
@pytest.mark.parametrize("role", MEMBERS)
async def test_room_frames_follow_membership(world, room, role):
    target = getattr(world, room)
    readers = ROOM_READERS[room]
    before = await database_sync_to_async(Message.objects.count)()
    socket = await joined_socket(world.people[role])
    subscribed = await request(
        socket, {"type": "subscribe", "id": 1, "rooms": [{"room_id": target.pk, "cursor": 0}]}
    )
    replayed = []
    while subscribed["type"] != "subscribed":  # a reader gets the history first
        replayed.append(subscribed)
        subscribed = await socket.receive_json_from()
    sent = await request(
        socket,
        {
            "type": "send",
            "id": 2,
            "room_id": target.pk,
            "body": "Тест доступа",
            "client_id": f"matrix-{role}",
        },
    )
    read = await request(socket, {"type": "read", "id": 3, "room_id": target.pk, "seq": 1})
    if role in readers:
        assert [r["room_id"] for r in subscribed["rooms"]] == [target.pk]
        assert replayed and replayed[0]["type"] == "message"
        assert sent["type"] == "ack"
        assert read["type"] != "error"
    else:
        assert subscribed["rooms"] == [] and subscribed["refused"] == [target.pk]
        assert replayed == []
        assert (sent["type"], sent["code"]) == ("error", "not_found")
        assert (read["type"], read["code"]) == ("error", "not_found")
        assert await database_sync_to_async(Message.objects.count)() == before
    await close(socket)


@pytest.mark.parametrize("role", MEMBERS)
async def test_live_forum_updates_follow_the_category(world, role):
    socket = await joined_socket(world.people[role])
    answer = await request(
        socket, {"type": "forum.subscribe", "id": 1, "thread_id": world.lounge.pk}
    )
    if role in THREAD_READERS:
        assert answer["type"] == "forum.subscribed"
    else:
        assert (answer["type"], answer["code"]) == ("error", "not_found")
    await close(socket)
