"""Reads of chat, each checking that the member may see what they ask for."""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from chat import rules
from chat.models import Membership, Message, Room

CATCH_UP_LIMIT = 500
HISTORY_PAGE = 50


def rooms_for(user) -> QuerySet[Room]:
    """The member's rooms with their unread counts (changes past the read cursor)."""
    membership = Membership.objects.filter(room=OuterRef("pk"), user=user)
    return (
        Room.objects.filter(memberships__user=user)
        .annotate(last_read_seq=Subquery(membership.values("last_read_seq")[:1]))
        .annotate(unread=Coalesce(
            Subquery(Message.objects.filter(room=OuterRef("pk"), is_deleted=False,
                                            created_seq__gt=OuterRef("last_read_seq"))
                     .exclude(author=user).values("room")
                     .annotate(total=Count("pk")).values("total")[:1],
                     output_field=IntegerField()),
            Value(0)))
        .order_by(F("last_message_at").desc(nulls_last=True), "pk")
    )


def room_get_for(user, room_id: int) -> Room:
    """A room the member belongs to; anything else is a 404, never a hint that it exists."""
    room = Room.objects.filter(pk=room_id).first()
    if room is None or not rules.is_member(user, room):
        raise Http404
    return room


def messages_since(room: Room, cursor: int, *, limit: int = CATCH_UP_LIMIT) -> list[Message]:
    """Every change after `cursor`, in order: new messages, edits, reactions, tombstones."""
    return list(room.messages.filter(seq__gt=cursor).select_related("author")
                .order_by("seq")[:limit])


def history_before(room: Room, before: int | None = None, *,
                   limit: int = HISTORY_PAGE) -> list[Message]:
    """A page of history, oldest first, ending just before `before` (a created_seq)."""
    messages = room.messages.select_related("author", "reply_to", "reply_to__author")
    if before is not None:
        messages = messages.filter(created_seq__lt=before)
    return list(reversed(messages.order_by("-created_seq")[:limit]))
