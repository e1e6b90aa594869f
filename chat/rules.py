"""Who may do what in chat. A room is invisible to anyone who may not read it.

The one room-access rule: a member reads a room when they belong to it *and* the room's
access level is within what their current role reaches. Membership is granted once; the
role is asked at every read, so a demoted mentor loses the mentors' channel at once, in
the page, its history, the socket, search, files and article sources alike.
"""

from __future__ import annotations

from django.db.models import Q

from chat.models import Membership, Message, Room
from profiles.roles import active_only, is_active_member, is_mentor_or_coordinator, is_moderator


def access_levels(user) -> list[str]:
    """The room access levels that the member's current role reaches."""
    if not is_active_member(user):
        return []
    if is_mentor_or_coordinator(user):
        return [Room.Access.MEMBERS, Room.Access.MENTORS]
    return [Room.Access.MEMBERS]


def readable_rooms(user) -> Q:
    """The rule as a filter over rooms, for lists, search and getters."""
    return Q(
        pk__in=Membership.objects.filter(user=user).values("room_id"),
        access__in=access_levels(user),
    )


@active_only
def is_member(user, room: Room) -> bool:
    return Membership.objects.filter(room=room, user=user).exists()


@active_only
def may_read_level(user, room: Room) -> bool:
    """Whether the room's access level is within the member's role, member or not."""
    return room.access in access_levels(user)


@active_only
def can_read(user, room: Room) -> bool:
    return may_read_level(user, room) and is_member(user, room)


@active_only
def can_find(user, room: Room) -> bool:
    """Channels open to the member's role are listed; everything else only to members."""
    if room.is_channel and not room.is_archived:
        return may_read_level(user, room)
    return can_read(user, room)


@active_only
def can_join(user, room: Room) -> bool:
    return room.is_channel and not room.is_archived and can_find(user, room)


@active_only
def can_post(user, room: Room) -> bool:
    return posting_open(user, room) and is_member(user, room)


@active_only
def posting_open(user, room: Room) -> bool:
    """Everything posting asks of a member but the membership itself, which the write
    checks in the same statement."""
    return may_read_level(user, room) and not room.is_archived


@active_only
def can_invite(user, room: Room) -> bool:
    if room.kind in {Room.Kind.DIRECT, Room.Kind.PAIR}:
        return False
    return can_read(user, room) and (
        room.is_channel
        or Membership.objects.filter(room=room, user=user, role=Membership.Role.OWNER).exists()
        or is_moderator(user)
    )


@active_only
def can_change(user, message: Message) -> bool:
    if message.is_deleted:
        return False
    if not can_read(user, message.room):
        return False
    return message.author_id == user.pk or is_moderator(user)
