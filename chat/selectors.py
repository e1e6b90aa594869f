"""Reads of chat, each checking that the member may see what they ask for."""

from __future__ import annotations

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from chat import rules
from chat.models import Membership, Message, Room
from chat.serializers import message_event

CATCH_UP_LIMIT = 500
HISTORY_PAGE = 50


def rooms_for(user) -> QuerySet[Room]:
    """The member's rooms with their unread counts (changes past the read cursor)."""
    membership = Membership.objects.filter(room=OuterRef("pk"), user=user)
    return (
        Room.objects.filter(rules.readable_rooms(user))
        .annotate(last_read_seq=Subquery(membership.values("last_read_seq")[:1]))
        .annotate(
            unread=Coalesce(
                Subquery(
                    Message.objects.filter(
                        room=OuterRef("pk"),
                        is_deleted=False,
                        created_seq__gt=OuterRef("last_read_seq"),
                    )
                    .exclude(author=user)
                    .values("room")
                    .annotate(total=Count("pk"))
                    .values("total")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            )
        )
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("user"))
        )
        .order_by(F("last_message_at").desc(nulls_last=True), "pk")
    )


def room_get_for(user, room_id: int) -> Room:
    """A room the member belongs to; anything else is a 404, never a hint that it exists."""
    room = Room.objects.filter(rules.readable_rooms(user), pk=room_id).first()
    if room is None:
        raise Http404
    return room


def messages_since(room: Room, cursor: int, *, limit: int = CATCH_UP_LIMIT) -> list[Message]:
    """Every change after `cursor`, in order: new messages, edits, reactions, tombstones."""
    return list(
        room.messages.filter(seq__gt=cursor)
        .select_related("author", "reply_to__author")
        .order_by("seq")[:limit]
    )


def history_before(
    room: Room, before: int | None = None, *, limit: int = HISTORY_PAGE
) -> list[Message]:
    """A page of history, oldest first, ending just before `before` (a created_seq)."""
    messages = room.messages.select_related("author", "reply_to", "reply_to__author")
    if before is not None:
        messages = messages.filter(created_seq__lt=before)
    return list(reversed(messages.order_by("-created_seq")[:limit]))


def catch_up(room: Room, cursor: int) -> tuple[list[dict], bool]:
    """The events a client at `cursor` missed, and whether there are more than one batch."""
    changes = messages_since(room, cursor, limit=CATCH_UP_LIMIT + 1)
    more = len(changes) > CATCH_UP_LIMIT
    return [message_event(m, _EVENT_FOR[_kind(m)]) for m in changes[:CATCH_UP_LIMIT]], more


_EVENT_FOR = {"new": "message", "edited": "message_edited", "deleted": "message_deleted"}


def _kind(message: Message) -> str:
    if message.is_deleted:
        return "deleted"
    return "edited" if message.edited_at else "new"


def message_get_for(user, message_id: int) -> Message:
    """A message in one of the member's rooms; anything else is a 404."""
    message = Message.objects.select_related("room", "author").filter(pk=message_id).first()
    if message is None or not rules.can_read(user, message.room):
        raise Http404
    return message


def joinable_channels(user) -> QuerySet[Room]:
    """Channels the member may join and has not joined yet."""
    return (
        Room.objects.filter(
            kind=Room.Kind.CHANNEL, is_archived=False, access__in=rules.access_levels(user)
        )
        .exclude(memberships__user=user)
        .order_by("name")
    )


def room_members(room: Room) -> list:
    return [m.user for m in room.memberships.select_related("user").order_by("user__sort_name")]


def room_title(room: Room, viewer) -> str:
    """A channel or group by its name; a direct conversation by the other people in it."""
    if room.name:
        return room.name
    # .all(): the sidebar prefetched memberships with their users, one query for all rooms.
    others = [m.user.full_name for m in room.memberships.all() if m.user_id != viewer.pk]
    return ", ".join(others) or viewer.full_name


def last_read_seq(user, room: Room) -> int:
    return (
        Membership.objects.filter(room=room, user=user)
        .values_list("last_read_seq", flat=True)
        .first()
        or 0
    )
