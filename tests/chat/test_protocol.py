"""Chat over /ws/: subscribing with cursors, sending, changing, reading, typing, presence."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from chat import services
from chat.models import MessageReaction
from tests.chat.sockets import (
    close,
    delete,
    edit,
    fresh,
    message_count,
    nothing_more,
    post,
    react,
    read_cursor,
    receive,
    request,
    room_sequence,
    subscribe,
)
from tests.helpers import joined_socket

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_socket_db_connections"),
]


def summary(event: dict) -> tuple:
    return event["type"], event["id"], event["seq"]


# --- subscribe -----------------------------------------------------------------------


async def test_subscribing_from_cursor_zero_replays_the_room_in_order_before_confirming(
    general, mentor, mentor2, newcomer
):
    first = await post(mentor, general, "Первое")
    second = await post(mentor2, general, "**Второе**")
    third = await post(mentor, general, "Третье")
    socket = await joined_socket(newcomer)

    replayed, subscribed = await subscribe(socket, (general.pk, 0), ref=9)

    assert [summary(e) for e in replayed] == [
        ("message", first.pk, 1),
        ("message", second.pk, 2),
        ("message", third.pk, 3),
    ]
    assert replayed[1]["html"] == "<p><strong>Второе</strong></p>"
    assert replayed[1]["author"] == {"id": mentor2.pk, "name": mentor2.full_name}
    assert subscribed == {
        "type": "subscribed",
        "id": 9,
        "refused": [],
        "rooms": [{"room_id": general.pk, "cursor": 3, "more": False}],
    }
    assert await nothing_more(socket)
    await close(socket)


async def test_subscribing_from_an_older_cursor_replays_edits_reactions_and_tombstones(
    general, mentor, mentor2, newcomer
):
    first = await post(mentor, general, "Первое")
    second = await post(mentor2, general, "Второе")
    third = await post(mentor, general, "Третье")
    cursor = third.seq  # the tab saw all three, then lost its connection
    await edit(editor=mentor, message=first, body="Первое, _исправленное_")
    await react(user=newcomer, message=await fresh(second), emoji="👍")
    await delete(actor=mentor, message=await fresh(third))
    socket = await joined_socket(newcomer)

    replayed, subscribed = await subscribe(socket, (general.pk, cursor))

    assert [summary(e) for e in replayed] == [
        ("message_edited", first.pk, 4),
        ("message", second.pk, 5),
        ("message_deleted", third.pk, 6),
    ]
    edited, reacted, tombstone = replayed
    assert edited["html"] == "<p>Первое, <em>исправленное</em></p>"
    assert edited["edited"] is True
    assert reacted["reactions"] == {"👍": 1}
    assert (tombstone["html"], tombstone["deleted"]) == ("", True)
    assert tombstone["created_seq"] == 3  # the tombstone keeps its place in history
    assert subscribed["rooms"] == [{"room_id": general.pk, "cursor": 6, "more": False}]
    await close(socket)


async def test_subscribing_from_the_middle_replays_only_what_changed_after_it(
    general, mentor, newcomer
):
    first = await post(mentor, general, "Первое")
    second = await post(mentor, general, "Второе")
    await edit(editor=mentor, message=first, body="Правка")  # seq 3
    socket = await joined_socket(newcomer)

    replayed, subscribed = await subscribe(socket, (general.pk, 2))

    assert [summary(e) for e in replayed] == [("message_edited", first.pk, 3)]
    assert second.pk not in [e["id"] for e in replayed]
    assert subscribed["rooms"][0]["cursor"] == 3
    await close(socket)


async def test_subscribing_from_the_latest_cursor_replays_nothing(general, mentor, newcomer):
    message = await post(mentor, general, "Первое")
    await edit(editor=mentor, message=message, body="Правка")
    latest = await room_sequence(general)
    socket = await joined_socket(newcomer)

    replayed, subscribed = await subscribe(socket, (general.pk, latest))

    assert replayed == []
    assert subscribed["rooms"] == [{"room_id": general.pk, "cursor": latest, "more": False}]
    assert await nothing_more(socket)
    await close(socket)


async def test_a_foreign_room_and_a_missing_room_get_the_same_refusal_and_no_events(
    general, mentor, stranger
):
    await post(mentor, general, "Только для участников")
    socket = await joined_socket(stranger)

    foreign_events, foreign = await subscribe(socket, (general.pk, 0), ref=1)
    missing_events, missing = await subscribe(socket, (987654, 0), ref=1)

    assert foreign_events == missing_events == []
    assert foreign == {"type": "subscribed", "id": 1, "rooms": [], "refused": [general.pk]}
    assert missing == {"type": "subscribed", "id": 1, "rooms": [], "refused": [987654]}
    await post(mentor, general, "Потом")
    assert await nothing_more(socket)
    await close(socket)


async def test_a_newcomer_cannot_subscribe_to_the_mentors_channel(
    general, mentors_channel, mentor, newcomer
):
    await post(mentor, mentors_channel, "Между нами")
    socket = await joined_socket(newcomer)

    replayed, subscribed = await subscribe(socket, (mentors_channel.pk, 0), (general.pk, 0))

    assert replayed == []
    assert subscribed["refused"] == [mentors_channel.pk]
    assert [r["room_id"] for r in subscribed["rooms"]] == [general.pk]
    await post(mentor, mentors_channel, "Тоже между нами")
    assert await nothing_more(socket)
    await close(socket)


# --- send ----------------------------------------------------------------------------


async def test_a_sent_message_is_acknowledged_and_reaches_each_subscribed_member_once(
    general, mentor, mentor2, newcomer
):
    author = await joined_socket(mentor)
    reader = await joined_socket(mentor2)
    unsubscribed = await joined_socket(newcomer)  # a member, but not following the room
    await subscribe(author, (general.pk, 0))
    await subscribe(reader, (general.pk, 0))

    await author.send_json_to(
        {
            "type": "send",
            "id": 5,
            "room_id": general.pk,
            "body": "**Добрый** день",
            "client_id": "tab-a:1",
        }
    )
    frames = await receive(author, 2)

    ack = next(f for f in frames if f["type"] == "ack")
    [event] = [f for f in frames if f["type"] == "message"]
    assert ack == {
        "type": "ack",
        "id": 5,
        "client_id": "tab-a:1",
        "room_id": general.pk,
        "message_id": ack["message_id"],
        "seq": 1,
    }
    assert (event["id"], event["seq"], event["client_id"]) == (ack["message_id"], 1, "tab-a:1")
    assert event["html"] == "<p><strong>Добрый</strong> день</p>"
    assert await receive(reader, 1) == [event]
    assert await nothing_more(author, reader, unsubscribed)
    await close(author, reader, unsubscribed)


async def test_resending_a_client_id_returns_the_same_message_and_broadcasts_nothing(
    general, mentor, mentor2
):
    author = await joined_socket(mentor)
    reader = await joined_socket(mentor2)
    await subscribe(author, (general.pk, 0))
    await subscribe(reader, (general.pk, 0))
    frame = {"type": "send", "room_id": general.pk, "body": "Раз", "client_id": "tab-a:42"}

    await author.send_json_to(frame)
    first_ack = next(f for f in await receive(author, 2) if f["type"] == "ack")
    assert [e["type"] for e in await receive(reader, 1)] == ["message"]

    second_ack = await request(author, frame)  # the tab lost the first ack and resends

    assert second_ack == first_ack
    assert await nothing_more(author, reader)
    assert await message_count() == 1
    assert await room_sequence(general) == 1
    await close(author, reader)


async def test_a_reply_in_the_same_room_carries_its_parent(general, mentor, mentor2):
    question = await post(mentor, general, "Как оформить **служебную записку**?")
    socket = await joined_socket(mentor2)
    await subscribe(socket, (general.pk, question.seq))

    await socket.send_json_to(
        {
            "type": "send",
            "room_id": general.pk,
            "body": "Ответ",
            "client_id": "r-1",
            "reply_to": question.pk,
        }
    )
    [event] = [f for f in await receive(socket, 2) if f["type"] == "message"]

    # Enough to draw the quote: who wrote the parent and how it starts, as plain text.
    assert event["reply_to"] == {
        "id": question.pk,
        "author": mentor.full_name,
        "excerpt": "Как оформить служебную записку?",
        "deleted": False,
    }
    await close(socket)


# --- edit, delete, react -------------------------------------------------------------


async def test_an_authors_edit_reaches_every_subscriber_as_message_edited(general, mentor, mentor2):
    message = await post(mentor, general, "Опечтака")
    author = await joined_socket(mentor)
    reader = await joined_socket(mentor2)
    await subscribe(author, (general.pk, message.seq))
    await subscribe(reader, (general.pk, message.seq))

    await author.send_json_to(
        {"type": "edit", "id": 3, "message_id": message.pk, "body": "Опечатка"}
    )
    frames = await receive(author, 2)

    assert {"type": "ack", "message_id": message.pk, "id": 3} in frames
    [event] = [f for f in frames if f["type"] == "message_edited"]
    assert (event["id"], event["seq"], event["html"], event["edited"]) == (
        message.pk,
        2,
        "<p>Опечатка</p>",
        True,
    )
    assert await receive(reader, 1) == [event]
    assert (await fresh(message)).body == "Опечатка"
    await close(author, reader)


async def test_an_authors_deletion_reaches_every_subscriber_as_a_tombstone(
    general, mentor, mentor2
):
    message = await post(mentor, general, "Лишнее")
    author = await joined_socket(mentor)
    reader = await joined_socket(mentor2)
    await subscribe(author, (general.pk, message.seq))
    await subscribe(reader, (general.pk, message.seq))

    await author.send_json_to({"type": "delete", "id": 4, "message_id": message.pk})
    frames = await receive(author, 2)

    assert {"type": "ack", "message_id": message.pk, "id": 4} in frames
    [event] = [f for f in frames if f["type"] == "message_deleted"]
    assert (event["id"], event["seq"], event["html"], event["deleted"]) == (message.pk, 2, "", True)
    assert await receive(reader, 1) == [event]
    stored = await fresh(message)
    assert (stored.is_deleted, stored.body, stored.body_html) == (True, "", "")
    await close(author, reader)


async def test_a_reaction_toggles_and_broadcasts_the_counts(general, mentor, mentor2, newcomer):
    message = await post(mentor, general, "Спасибо всем")
    reactor = await joined_socket(mentor2)
    reader = await joined_socket(mentor)
    await subscribe(reactor, (general.pk, message.seq))
    await subscribe(reader, (general.pk, message.seq))
    await react(user=newcomer, message=message, emoji="🙏")
    assert (await receive(reader, 1))[0]["reactions"] == {"🙏": 1}
    await receive(reactor, 1)
    frame = {"type": "react", "message_id": message.pk, "emoji": "🙏"}

    await reactor.send_json_to(frame)
    added = [f for f in await receive(reactor, 2) if f["type"] == "reaction"]
    await reactor.send_json_to(frame)
    removed = [f for f in await receive(reactor, 2) if f["type"] == "reaction"]

    assert [(e["id"], e["reactions"]) for e in added + removed] == [
        (message.pk, {"🙏": 2}),
        (message.pk, {"🙏": 1}),
    ]
    assert added[0]["seq"] < removed[0]["seq"]
    assert await receive(reader, 2) == added + removed
    assert await MessageReaction.objects.filter(message=message).acount() == 1
    await close(reactor, reader)


# --- read, typing, presence ----------------------------------------------------------


async def test_reading_moves_the_cursor_and_tells_the_members_other_tab(general, mentor, mentor2):
    for n in range(3):
        await post(mentor, general, f"№{n}")
    reading_tab = await joined_socket(mentor2)
    other_tab = await joined_socket(mentor2)

    await reading_tab.send_json_to({"type": "read", "room_id": general.pk, "seq": 2})

    assert await receive(other_tab, 1) == [{"type": "read", "room_id": general.pk, "seq": 2}]
    assert await read_cursor(mentor2, general) == 2
    await close(reading_tab, other_tab)


async def test_reading_past_the_end_stops_at_the_newest_change(general, mentor, mentor2):
    await post(mentor, general, "Одно")
    tab = await joined_socket(mentor2)
    other_tab = await joined_socket(mentor2)

    await tab.send_json_to({"type": "read", "room_id": general.pk, "seq": 99})

    assert (await receive(other_tab, 1))[0]["seq"] == 1
    assert await read_cursor(mentor2, general) == 1
    await close(tab, other_tab)


async def test_typing_reaches_the_other_members_once_per_burst(general, mentor, mentor2, newcomer):
    typist = await joined_socket(mentor)
    readers = [await joined_socket(mentor2), await joined_socket(newcomer)]
    for socket in readers:
        await subscribe(socket, (general.pk, 0))

    for _ in range(2):
        await typist.send_json_to({"type": "typing", "room_id": general.pk})

    for socket in readers:
        assert await receive(socket, 1) == [
            {
                "type": "typing",
                "room_id": general.pk,
                "expires_in": 6,
                "user": {"id": mentor.pk, "name": mentor.full_name},
            }
        ]
    assert await nothing_more(typist, *readers)
    await close(typist, *readers)


async def test_a_presence_heartbeat_reaches_only_the_rooms_the_socket_follows(
    general, mentors_channel, mentor, mentor2, newcomer
):
    heart = await joined_socket(mentor)
    in_general = await joined_socket(newcomer)
    in_mentors_only = await joined_socket(mentor2)
    await subscribe(heart, (general.pk, 0))
    await subscribe(in_general, (general.pk, 0))
    await subscribe(in_mentors_only, (mentors_channel.pk, 0))

    await heart.send_json_to({"type": "presence"})

    assert await receive(in_general, 1) == [
        {
            "type": "presence",
            "online": True,
            "expires_in": 90,
            "user": {"id": mentor.pk, "name": mentor.full_name},
        }
    ]
    assert await nothing_more(in_mentors_only)
    await close(heart, in_general, in_mentors_only)


async def test_leaving_a_room_stops_its_events_at_once(general, mentor, mentor2):
    leaver = await joined_socket(mentor2)
    await subscribe(leaver, (general.pk, await room_sequence(general)))
    await database_sync_to_async(services.room_leave)(user=mentor2, room=general)
    await post(mentor, general, "после ухода")
    assert await nothing_more(leaver)
    await close(leaver)
