"""Changes racing on one message: a socket acts on a copy fetched a moment before another wrote.

The frame handlers fetch a message, then call a service in a second database call, so
another tab or process can change the message in between. The stale copy must not win.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from chat import services
from chat.models import Message, MessageReaction
from tests.chat.conftest import send

pytestmark = pytest.mark.django_db


def copy(message: Message) -> Message:
    return Message.objects.select_related("room", "author").get(pk=message.pk)


def test_an_edit_from_a_stale_copy_cannot_bring_back_a_deleted_message(
    general, mentor, coordinator
):
    message = send(mentor, general, "Секрет")
    services.room_join(user=coordinator, room=general)
    stale = copy(message)
    services.message_delete(actor=coordinator, message=copy(message))

    with pytest.raises(PermissionDenied):
        services.message_edit(editor=mentor, message=stale, body="Воскрес")

    stored = copy(message)
    assert (stored.is_deleted, stored.body) == (True, "")
    assert not stored.revisions.exists()  # the deleted text does not come back as a revision
    general.refresh_from_db()
    assert general.sequence == 2


def test_reactions_from_stale_copies_are_all_counted(general, mentor, mentor2, newcomer):
    message = send(mentor, general, "Спасибо")
    first, second = copy(message), copy(message)

    services.reaction_toggle(user=mentor2, message=first, emoji="👍")
    services.reaction_toggle(user=newcomer, message=second, emoji="👍")

    assert copy(message).reaction_counts == {"👍": 2}
    assert MessageReaction.objects.filter(message=message).count() == 2


def test_an_edit_from_a_stale_copy_keeps_the_reactions_made_since(general, mentor, mentor2):
    message = send(mentor, general, "Опечтака")
    stale = copy(message)
    services.reaction_toggle(user=mentor2, message=copy(message), emoji="🙏")

    edited = services.message_edit(editor=mentor, message=stale, body="Опечатка")

    assert edited.reaction_counts == {"🙏": 1}
    assert copy(message).reaction_counts == {"🙏": 1}
