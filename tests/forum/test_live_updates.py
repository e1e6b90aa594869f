"""Live forum updates over /ws/: readers follow a thread and see new replies arrive."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError

from forum import moderation, services
from forum.services import thread_group
from tests.helpers import capture_events, joined_socket

pytestmark = pytest.mark.usefixtures("close_socket_db_connections")


async def subscribe(communicator, thread_id) -> dict:
    await communicator.send_json_to({"type": "forum.subscribe", "thread_id": thread_id, "id": 1})
    return await communicator.receive_json_from()


post_reply = database_sync_to_async(services.post_reply)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_reader_sees_a_new_reply_arrive(question, mentor, mentor2):
    reader = await joined_socket(mentor2)
    assert await subscribe(reader, question.pk) == {
        "type": "forum.subscribed",
        "thread_id": question.pk,
        "id": 1,
    }

    post = await post_reply(author=mentor, thread=question, parent=None, body="Живой ответ")

    event = await reader.receive_json_from()
    assert event == {
        "type": "forum.post",
        "thread_id": question.pk,
        "post_id": post.pk,
        "number": post.number,
        "path": post.path,
    }
    await reader.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_after_unsubscribing_a_reader_hears_nothing(question, mentor, mentor2):
    reader = await joined_socket(mentor2)
    await subscribe(reader, question.pk)
    await reader.send_json_to({"type": "forum.unsubscribe", "thread_id": question.pk})
    assert (await reader.receive_json_from())["type"] == "forum.unsubscribed"
    await post_reply(author=mentor, thread=question, parent=None, body="Ответ")
    assert await reader.receive_nothing(timeout=0.2)
    await reader.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_newcomer_cannot_follow_a_mentor_thread(lounge_thread, newcomer, mentor2):
    socket = await joined_socket(newcomer)
    error = await subscribe(socket, lounge_thread.pk)
    assert (error["type"], error["code"], error["id"]) == ("error", "not_found", 1)

    await post_reply(author=mentor2, thread=lounge_thread, parent=None, body="Секрет")
    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_hidden_thread_cannot_be_followed_by_members(question, mentor, coordinator):
    await database_sync_to_async(moderation.thread_set_flags)(
        moderator=coordinator, thread=question, hidden=True
    )
    socket = await joined_socket(mentor)
    assert (await subscribe(socket, question.pk))["code"] == "not_found"
    await socket.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("thread_id", ["12", None, 1.5, True, [1], {"id": 1}])
async def test_a_thread_id_that_is_not_a_number_is_invalid(mentor, thread_id):
    socket = await joined_socket(mentor)
    error = await subscribe(socket, thread_id)
    assert (error["type"], error["code"]) == ("error", "invalid")
    assert error["message"]
    await socket.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_unknown_thread_is_not_found(mentor, newcomers_corner):
    socket = await joined_socket(mentor)
    assert (await subscribe(socket, 987654))["code"] == "not_found"
    await socket.disconnect()


@pytest.mark.django_db
def test_a_reply_broadcasts_to_its_thread_once_committed(question, mentor):
    with capture_events() as events:
        post = services.post_reply(author=mentor, thread=question, parent=None, body="Ответ")
    forum_events = [
        (groups, event) for groups, event in events.sent if event["type"] == "forum.post"
    ]
    assert forum_events == [
        (
            [thread_group(question.pk)],
            {
                "type": "forum.post",
                "thread_id": question.pk,
                "post_id": post.pk,
                "number": post.number,
                "path": post.path,
            },
        )
    ]


@pytest.mark.django_db
def test_a_refused_reply_broadcasts_nothing(question, mentor):
    with capture_events() as events, pytest.raises(ValidationError):
        services.post_reply(author=mentor, thread=question, parent=None, body="  ")
    assert events.sent == []
