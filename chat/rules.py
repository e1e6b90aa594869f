"""Who may do what in chat. A room is invisible to anyone who may not read it."""

from __future__ import annotations

from chat.models import Membership, Message, Room
from profiles.roles import active_only, is_active_member, is_mentor_or_coordinator, is_moderator


@active_only
def is_member(user, room: Room) -> bool:
    return Membership.objects.filter(room=room, user=user).exists()


@active_only
def can_find(user, room: Room) -> bool:
    """Channels open to the member's role are listed; everything else only to members."""
    if room.is_channel and not room.is_archived:
        return room.access == Room.Access.MEMBERS or is_mentor_or_coordinator(user)
    return is_member(user, room)


@active_only
def can_join(user, room: Room) -> bool:
    return room.is_channel and not room.is_archived and can_find(user, room)


@active_only
def can_post(user, room: Room) -> bool:
    return posting_open(user, room) and is_member(user, room)


@active_only
def posting_open(user, room: Room) -> bool:
    """Everything posting asks of a member but the membership itself."""
    return is_active_member(user) and not room.is_archived


@active_only
def can_invite(user, room: Room) -> bool:
    if room.kind in {Room.Kind.DIRECT, Room.Kind.PAIR}:
        return False
    return Membership.objects.filter(room=room, user=user).exists() and (
        room.is_channel
        or Membership.objects.filter(room=room, user=user, role=Membership.Role.OWNER).exists()
        or is_moderator(user)
    )


@active_only
def can_change(user, message: Message) -> bool:
    if message.is_deleted:
        return False
    return message.author_id == user.pk or (is_moderator(user) and is_member(user, message.room))
