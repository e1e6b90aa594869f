"""Messages: persisted first, sent once, ordered by a room sequence that every change moves."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chat import selectors, services
from chat.models import MESSAGE_MAX_LENGTH, Message, Room
from community.ratelimit import RateLimited
from tests.chat.conftest import send
from tests.helpers import capture_events

pytestmark = pytest.mark.django_db


def test_a_message_is_broadcast_to_its_room_only_after_commit(general, mentor):
    with capture_events() as events:
        message = send(mentor, general, "**Добрый** день")
    assert events.sent == [([f"chat.room.{general.pk}"], events.sent[0][1])]
    event = events.sent[0][1]
    assert (event["type"], event["id"], event["seq"]) == ("message", message.pk, 1)
    assert "<strong>Добрый</strong>" in event["html"]


def test_a_resend_with_the_same_client_id_returns_the_first_message(general, mentor):
    first, new = services.message_send(
        author=mentor, room=general, body="Раз", client_id="tab-1:42"
    )
    again, new_again = services.message_send(
        author=mentor, room=general, body="Раз", client_id="tab-1:42"
    )
    assert (new, new_again) == (True, False)
    assert first == again
    assert Message.objects.count() == 1


def test_every_change_takes_the_next_number_of_the_room(general, mentor, mentor2):
    first = send(mentor, general, "Первое")
    second = send(mentor2, general, "Второе")
    services.message_edit(editor=mentor, message=first, body="Первое, исправленное")
    services.reaction_toggle(user=mentor, message=second, emoji="👍")
    services.message_delete(actor=mentor2, message=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.created_seq, second.created_seq) == (1, 2)
    assert (first.seq, second.seq) == (3, 5)
    general.refresh_from_db()
    assert general.sequence == 5


def test_catch_up_replays_edits_and_tombstones_in_order(general, mentor, mentor2):
    first = send(mentor, general, "Первое")
    cursor = first.seq
    second = send(mentor2, general, "Второе")
    services.message_edit(editor=mentor, message=first, body="Правка")
    services.message_delete(actor=mentor2, message=second)
    replay = selectors.messages_since(general, cursor)
    assert [(m.pk, m.is_deleted) for m in replay] == [(first.pk, False), (second.pk, True)]
    assert replay[0].body == "Правка" and replay[1].body == ""


def test_only_members_post_and_only_authors_or_moderators_change(
    general, mentor, mentor2, stranger, coordinator
):
    before = Room.objects.get(pk=general.pk).sequence
    with pytest.raises(PermissionDenied):
        send(stranger, general)
    # Refused inside the transaction: the room's sequence did not move, nothing was stored.
    assert Room.objects.get(pk=general.pk).sequence == before
    assert not Message.objects.filter(author=stranger).exists()
    message = send(mentor, general)
    with pytest.raises(PermissionDenied):
        services.message_edit(editor=mentor2, message=message, body="чужое")
    services.room_join(user=coordinator, room=general)
    services.message_delete(actor=coordinator, message=message)
    assert Message.objects.get(pk=message.pk).is_deleted


@pytest.mark.parametrize(
    ("body", "code"), [("   ", "empty"), ("я" * (MESSAGE_MAX_LENGTH + 1), "too_long")]
)
def test_empty_and_oversize_messages_are_refused_and_nothing_is_written(
    general, mentor, body, code
):
    with pytest.raises(ValidationError) as error:
        send(mentor, general, body)
    assert error.value.code == code
    assert not Message.objects.exists()
    general.refresh_from_db()
    assert general.sequence == 0


def test_a_flood_is_stopped_by_the_rate_limit(general, mentor):
    for n in range(services.MESSAGES_PER_WINDOW):
        send(mentor, general, f"сообщение {n}")
    with pytest.raises(RateLimited):
        send(mentor, general, "лишнее")
    assert Message.objects.count() == services.MESSAGES_PER_WINDOW


def test_reading_moves_the_cursor_forward_only_and_tells_every_tab(general, mentor, mentor2):
    for n in range(3):
        send(mentor, general, f"{n}")
    assert {r.pk: r.unread for r in selectors.rooms_for(mentor2)}[general.pk] == 3
    with capture_events() as events:
        assert services.room_mark_read(user=mentor2, room=general, seq=2) == 2
    assert events.sent == [
        ([f"user.{mentor2.pk}"], {"type": "read", "room_id": general.pk, "seq": 2})
    ]
    assert services.room_mark_read(user=mentor2, room=general, seq=1) == 2
    assert {r.pk: r.unread for r in selectors.rooms_for(mentor2)}[general.pk] == 1
    assert {r.pk: r.unread for r in selectors.rooms_for(mentor)}[general.pk] == 0


def test_history_pages_backwards_from_a_cursor(general, mentor):
    messages = [send(mentor, general, f"№{n}") for n in range(7)]
    page = selectors.history_before(general, messages[5].created_seq, limit=3)
    assert [m.body for m in page] == ["№2", "№3", "№4"]


def test_reactions_toggle_and_refuse_nonsense(general, mentor, mentor2):
    message = send(mentor, general)
    assert services.reaction_toggle(user=mentor2, message=message, emoji="🙏") is True
    assert services.reaction_toggle(user=mentor2, message=message, emoji="🙏") is False
    message.refresh_from_db()
    assert message.reaction_counts == {}
    with pytest.raises(ValidationError):
        services.reaction_toggle(user=mentor2, message=message, emoji="x" * 40)
