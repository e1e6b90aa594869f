"""@mentions in chat: linked in the message, notifying only members who can read it."""

from __future__ import annotations

import pytest

from chat import services
from community.notifications.models import Notification
from tests.chat.conftest import send

pytestmark = pytest.mark.django_db(transaction=True)


def _mentions_of(member) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member, kind="chat.mention"))


def test_a_mention_links_the_profile_and_notifies_the_member(general, mentor, mentor2):
    message = send(mentor, general, f"@{mentor2.slug}, посмотрите, пожалуйста")
    assert f'href="{mentor2.get_absolute_url()}"' in message.body_html
    assert f"@{mentor2.full_name}" in message.body_html
    [notification] = _mentions_of(mentor2)
    assert notification.actor == mentor
    assert notification.url == f"/chat/r/{general.pk}/#message-{message.pk}"
    assert "Общий" in notification.text and mentor.full_name in notification.text


def test_members_outside_the_room_are_linked_but_never_told(general, mentor, stranger):
    # The stranger cannot read the room: a notification would leak what was said there.
    message = send(mentor, general, f"@{stranger.slug} не в этом канале")
    assert stranger.get_absolute_url() in message.body_html
    assert _mentions_of(stranger) == []


def test_naming_yourself_or_writing_in_code_notifies_nobody(general, mentor, mentor2):
    send(mentor, general, f"@{mentor.slug} и `@{mentor2.slug}`")
    assert _mentions_of(mentor) == [] and _mentions_of(mentor2) == []


def test_an_edit_tells_only_the_members_it_newly_names(general, mentor, mentor2, newcomer):
    message = send(mentor, general, f"@{mentor2.slug}")
    services.message_edit(
        editor=mentor, message=message, body=f"@{mentor2.slug} и @{newcomer.slug}"
    )
    assert len(_mentions_of(mentor2)) == 1
    assert len(_mentions_of(newcomer)) == 1


def test_a_direct_conversation_is_named_without_a_title(mentor, mentor2):
    room = services.direct_open(user=mentor, others=[mentor2])
    send(mentor, room, f"@{mentor2.slug} привет")
    [notification] = _mentions_of(mentor2)
    assert "conversation" in notification.text or "переписк" in notification.text


def test_a_failed_send_notifies_nobody(general, mentor, mentor2, stranger):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        send(stranger, general, f"@{mentor2.slug}")
    assert _mentions_of(mentor2) == []
