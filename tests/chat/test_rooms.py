"""Rooms: who may find, join and invite; direct messages are found again, never doubled."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from chat import selectors, services
from chat.models import Membership, Room

pytestmark = pytest.mark.django_db


def test_any_member_joins_an_open_channel(general, stranger):
    services.room_join(user=stranger, room=general)
    assert Membership.objects.filter(room=general, user=stranger).exists()


def test_a_newcomer_cannot_join_or_create_a_mentors_channel(mentors_channel, newcomer):
    with pytest.raises(PermissionDenied):
        services.room_join(user=newcomer, room=mentors_channel)
    with pytest.raises(PermissionDenied):
        services.channel_create(creator=newcomer, name="Тайный", access=Room.Access.MENTORS)


def test_a_private_group_is_joined_only_by_invitation(mentor, mentor2, newcomer, stranger):
    group = services.group_create(creator=mentor, name="Адаптация Тимура", members=[newcomer])
    with pytest.raises(PermissionDenied):
        services.room_join(user=stranger, room=group)
    with pytest.raises(PermissionDenied):
        services.member_invite(inviter=newcomer, room=group, invitee=stranger)
    services.member_invite(inviter=mentor, room=group, invitee=mentor2)
    assert set(group.memberships.values_list("user_id", flat=True)) == {
        mentor.pk,
        newcomer.pk,
        mentor2.pk,
    }


def test_a_direct_conversation_is_found_again_from_either_side(mentor, newcomer):
    first = services.direct_open(user=mentor, others=[newcomer])
    again = services.direct_open(user=newcomer, others=[mentor])
    assert first == again
    assert Room.objects.filter(kind=Room.Kind.DIRECT).count() == 1


def test_a_group_direct_conversation_has_everyone_in_it(mentor, mentor2, newcomer):
    room = services.direct_open(user=mentor, others=[mentor2, newcomer])
    assert room.memberships.count() == 3
    assert room.direct_key is None


def test_rooms_one_is_not_in_are_a_404_not_a_hint(general, mentors_channel, stranger, newcomer):
    with pytest.raises(Http404):
        selectors.room_get_for(newcomer, mentors_channel.pk)
    with pytest.raises(Http404):
        selectors.room_get_for(stranger, general.pk)
    with pytest.raises(Http404):
        selectors.room_get_for(newcomer, 987654)
