"""Chat over /ws/ refusing what it must: foreign rooms, bad fields, floods, broken frames."""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

import pytest

from chat import services
from chat.models import MESSAGE_MAX_LENGTH
from community import ratelimit
from tests.chat.sockets import (
    close,
    fresh,
    message_count,
    nothing_more,
    post,
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


def send_frame(room_id, **fields) -> dict:
    return {
        "type": "send",
        "id": 7,
        "room_id": room_id,
        "body": "Привет",
        "client_id": "tab:1",
        **fields,
    }


async def assert_pings(socket) -> None:
    """The socket is still open and answering after an error."""
    assert await request(socket, {"type": "ping", "id": "after"}) == {"type": "pong", "id": "after"}


# --- send ----------------------------------------------------------------------------


async def test_sending_to_a_room_one_is_not_in_is_not_found_and_writes_nothing(general, stranger):
    socket = await joined_socket(stranger)

    foreign = await request(socket, send_frame(general.pk))
    missing = await request(socket, send_frame(987654))

    assert (foreign["type"], foreign["code"], foreign["id"]) == ("error", "not_found", 7)
    assert foreign == missing  # no hint that the first room exists
    assert await message_count() == 0
    assert await room_sequence(general) == 0
    await assert_pings(socket)
    await close(socket)


async def test_an_oversize_message_is_invalid_with_a_clear_reason_and_writes_nothing(
    general, mentor, mentor2
):
    author = await joined_socket(mentor)
    reader = await joined_socket(mentor2)
    await subscribe(reader, (general.pk, 0))

    error = await request(author, send_frame(general.pk, body="я" * (MESSAGE_MAX_LENGTH + 1)))

    assert (error["type"], error["code"], error["id"]) == ("error", "invalid", 7)
    assert error["message"] == "Сообщение слишком длинное: не более 4000 символов."
    assert await message_count() == 0
    assert await room_sequence(general) == 0
    assert await nothing_more(reader)
    await close(author, reader)


async def test_a_message_of_exactly_the_limit_is_accepted(general, mentor):
    socket = await joined_socket(mentor)
    ack = await request(socket, send_frame(general.pk, body="я" * MESSAGE_MAX_LENGTH))
    assert (ack["type"], ack["seq"]) == ("ack", 1)
    await close(socket)


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"room_id": ...}, id="no room_id"),
        pytest.param({"room_id": "<general.pk as text>"}, id="room_id as a string"),
        pytest.param({"room_id": True}, id="room_id true"),
        pytest.param({"room_id": 1.5}, id="room_id fractional"),
        pytest.param({"body": ...}, id="no body"),
        pytest.param({"body": ""}, id="empty body"),
        pytest.param({"body": "  \n\t "}, id="blank body"),
        pytest.param({"body": 42}, id="body as a number"),
        pytest.param({"body": None}, id="body null"),
        pytest.param({"client_id": ...}, id="no client_id"),
        pytest.param({"client_id": None}, id="client_id null"),
        pytest.param({"client_id": ""}, id="client_id empty"),
        pytest.param({"client_id": 17}, id="client_id as a number"),
        pytest.param(
            {"client_id": "x" * (services.CLIENT_ID_MAX_LENGTH + 1)}, id="client_id too long"
        ),
        pytest.param({"reply_to": "1"}, id="reply_to as a string"),
        pytest.param({"reply_to": 0}, id="reply_to zero"),
    ],
)
async def test_a_send_with_a_missing_or_ill_typed_field_is_invalid_and_writes_nothing(
    general, mentor, fields
):
    if fields.get("room_id") == "<general.pk as text>":
        fields = {"room_id": str(general.pk)}
    socket = await joined_socket(mentor)

    frame = {**send_frame(general.pk), **fields}  # `...` marks a field left out
    error = await request(socket, {k: v for k, v in frame.items() if v is not ...})

    assert (error["type"], error["code"], error["id"]) == ("error", "invalid", 7)
    assert error["message"]
    assert await message_count() == 0
    await assert_pings(socket)
    await close(socket)


async def test_replying_to_a_message_in_another_room_writes_nothing(
    general, mentors_channel, mentor, newcomer
):
    elsewhere = await post(mentor, mentors_channel, "В другой комнате")
    member_of_both = await joined_socket(mentor)
    outsider = await joined_socket(newcomer)

    refused = await request(member_of_both, send_frame(general.pk, reply_to=elsewhere.pk))
    hidden = await request(outsider, send_frame(general.pk, reply_to=elsewhere.pk))

    assert (refused["code"], refused["message"]) == (
        "invalid",
        "Ответить можно только на сообщение в этой комнате.",
    )
    assert hidden["code"] == "not_found"  # the newcomer learns nothing about that room
    assert await message_count() == 1
    await close(member_of_both, outsider)


async def test_a_flood_of_sends_is_rate_limited_and_the_socket_stays_usable(general, mentor):
    socket = await joined_socket(mentor)
    # One fixed window for the whole test, so a window boundary cannot reset the count.
    frozen = SimpleNamespace(time=lambda: 1_700_000_000.0)
    with mock.patch.object(ratelimit, "time", frozen):
        for n in range(services.MESSAGES_PER_WINDOW):
            ack = await request(socket, send_frame(general.pk, client_id=f"flood:{n}"))
            assert ack["type"] == "ack"

        error = await request(socket, send_frame(general.pk, client_id="flood:extra"))

    assert (error["type"], error["code"], error["id"]) == ("error", "rate_limited", 7)
    assert error["message"]
    assert await message_count() == services.MESSAGES_PER_WINDOW
    await assert_pings(socket)
    await close(socket)


# --- edit, delete, react -------------------------------------------------------------


@pytest.mark.parametrize(
    "frame",
    [
        pytest.param({"type": "edit", "body": "Чужая правка"}, id="edit"),
        pytest.param({"type": "delete"}, id="delete"),
    ],
)
async def test_changing_someone_elses_message_is_forbidden(general, mentor, mentor2, frame):
    message = await post(mentor, general, "Моё")
    socket = await joined_socket(mentor2)
    await subscribe(socket, (general.pk, message.seq))

    error = await request(socket, {**frame, "message_id": message.pk, "id": 2})

    assert (error["type"], error["code"], error["id"]) == ("error", "forbidden", 2)
    stored = await fresh(message)
    assert (stored.body, stored.is_deleted, stored.seq) == ("Моё", False, message.seq)
    assert await nothing_more(socket)
    await close(socket)


@pytest.mark.parametrize(
    "frame",
    [
        pytest.param({"type": "edit", "body": "Правка"}, id="edit"),
        pytest.param({"type": "delete"}, id="delete"),
        pytest.param({"type": "react", "emoji": "👍"}, id="react"),
    ],
)
async def test_changing_an_unknown_or_foreign_message_is_not_found(
    mentors_channel, mentor, newcomer, frame
):
    secret = await post(mentor, mentors_channel, "Между нами")
    socket = await joined_socket(newcomer)

    foreign = await request(socket, {**frame, "message_id": secret.pk})
    unknown = await request(socket, {**frame, "message_id": 987654})

    assert foreign == unknown
    assert (foreign["type"], foreign["code"]) == ("error", "not_found")
    assert await room_sequence(mentors_channel) == secret.seq
    await close(socket)


@pytest.mark.parametrize(
    "frame",
    [
        pytest.param({"type": "edit", "message_id": "1", "body": "Правка"}, id="edit id string"),
        pytest.param({"type": "edit", "body": 5}, id="edit body number"),
        pytest.param({"type": "edit", "body": " "}, id="edit body blank"),
        pytest.param({"type": "delete", "message_id": None}, id="delete id null"),
        pytest.param({"type": "react", "emoji": ""}, id="react emoji empty"),
        pytest.param({"type": "react", "emoji": ["👍"]}, id="react emoji list"),
        pytest.param({"type": "react", "emoji": "x" * 40}, id="react emoji too long"),
    ],
)
async def test_a_change_with_ill_typed_fields_is_invalid(general, mentor, frame):
    message = await post(mentor, general, "Исходное")
    socket = await joined_socket(mentor)

    error = await request(socket, {"message_id": message.pk, **frame})

    assert (error["type"], error["code"]) == ("error", "invalid")
    assert (await fresh(message)).seq == message.seq
    await close(socket)


# --- subscribe, read, typing ---------------------------------------------------------


@pytest.mark.parametrize(
    "rooms",
    [
        pytest.param(None, id="no rooms"),
        pytest.param({"room_id": 1}, id="rooms an object"),
        pytest.param([1], id="a room that is a number"),
        pytest.param([{"room_id": "1", "cursor": 0}], id="room_id a string"),
        pytest.param([{"room_id": 1, "cursor": -1}], id="negative cursor"),
        pytest.param([{"room_id": 1, "cursor": "5"}], id="cursor a string"),
        pytest.param([{"room_id": 1, "cursor": 0}] * 201, id="too many rooms"),
    ],
)
async def test_a_malformed_subscribe_is_invalid_and_replays_nothing(general, mentor, rooms):
    await post(mentor, general, "Есть что воспроизвести")
    socket = await joined_socket(mentor)

    error = await request(socket, {"type": "subscribe", "id": 4, "rooms": rooms})

    assert (error["type"], error["code"], error["id"]) == ("error", "invalid", 4)
    assert await nothing_more(socket)
    await close(socket)


async def test_reading_a_foreign_room_is_not_found_and_moves_no_cursor(
    general, mentor, stranger, newcomer
):
    await post(mentor, general, "Раз")
    socket = await joined_socket(stranger)

    error = await request(socket, {"type": "read", "room_id": general.pk, "seq": 1})

    assert error["code"] == "not_found"
    assert await read_cursor(newcomer, general) == 0
    await close(socket)


async def test_typing_into_a_foreign_room_is_not_found_and_reaches_no_one(
    general, mentor, stranger
):
    reader = await joined_socket(mentor)
    await subscribe(reader, (general.pk, 0))
    socket = await joined_socket(stranger)

    error = await request(socket, {"type": "typing", "room_id": general.pk})

    assert error["code"] == "not_found"
    assert await nothing_more(reader)
    await close(reader, socket)


@pytest.mark.parametrize("huge", [2**63, 10**30])
async def test_an_id_beyond_any_database_integer_is_simply_not_found(general, mentor, huge):
    socket = await joined_socket(mentor)

    sent = await request(socket, send_frame(huge))
    edited = await request(socket, {"type": "edit", "message_id": huge, "body": "Правка"})
    _events, subscribed = await subscribe(socket, (huge, 0))

    assert (sent["code"], edited["code"]) == ("not_found", "not_found")
    assert (subscribed["rooms"], subscribed["refused"]) == ([], [huge])
    await close(socket)


# --- frames that break the protocol ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("{not json", "bad_json", id="malformed JSON"),
        pytest.param('{"type": "chat.explode"}', "unknown_type", id="unknown type"),
        pytest.param('["send", 1]', "bad_frame", id="an array"),
        pytest.param('"send"', "bad_frame", id="a string"),
        pytest.param("42", "bad_frame", id="a number"),
        pytest.param('{"type": null}', "bad_frame", id="type null"),
    ],
)
async def test_a_broken_frame_gets_an_error_and_the_socket_stays_open(general, mentor, text, code):
    socket = await joined_socket(mentor)
    await subscribe(socket, (general.pk, 0))

    await socket.send_to(text_data=text)
    error = await socket.receive_json_from()

    assert (error["type"], error["code"]) == ("error", code)
    assert error["message"]
    await assert_pings(socket)
    await socket.send_json_to(send_frame(general.pk))  # chat still works on the same socket
    assert {f["type"] for f in await receive(socket, 2)} == {"ack", "message"}
    await close(socket)
