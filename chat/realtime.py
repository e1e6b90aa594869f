"""Chat's frames on /ws/ (docs/realtime-protocol.md): every frame checks membership."""

from __future__ import annotations

import logging

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from chat import selectors, services
from community.realtime.events import layer_messages
from community.realtime.registry import Frame

logger = logging.getLogger(__name__)

MAX_ROOMS_PER_SUBSCRIBE = 200
TYPING_SECONDS = 6
PRESENCE_SECONDS = 90


def _int(frame: Frame, field: str, *, minimum: int = 0) -> int:
    value = frame.get(field)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValidationError(_("%(field)s must be a whole number.") % {"field": field})
    return value


def _text(frame: Frame, field: str) -> str:
    value = frame.get(field)
    if not isinstance(value, str):
        raise ValidationError(_("%(field)s must be text.") % {"field": field})
    return value


@database_sync_to_async
def _room_for(user, frame: Frame):
    return selectors.room_get_for(user, _int(frame, "room_id", minimum=1))


@database_sync_to_async
def _message_for(user, frame: Frame):
    return selectors.message_get_for(user, _int(frame, "message_id", minimum=1))


async def subscribe(connection, frame: Frame) -> Frame:
    """Follow rooms from the given cursors; everything newer is replayed first, in order."""
    rooms = frame.get("rooms")
    if not isinstance(rooms, list) or len(rooms) > MAX_ROOMS_PER_SUBSCRIBE:
        raise ValidationError(
            _("rooms must be a list of at most %(count)d rooms.")
            % {"count": MAX_ROOMS_PER_SUBSCRIBE}
        )
    subscribed, refused = [], []
    for entry in rooms:
        if not isinstance(entry, dict):
            raise ValidationError(_("Each room is an object with room_id and cursor."))
        cursor = _int(entry, "cursor") if "cursor" in entry else 0
        try:
            room = await _room_for(connection.user, entry)
        except Http404:  # an unknown room and a foreign room look the same
            refused.append(entry.get("room_id"))
            continue
        # Join before replaying, so nothing committed in between falls through the gap;
        # a change seen twice is harmless, because clients keep the highest seq per message.
        await connection.join(services.room_group(room.pk))
        replay, more = await database_sync_to_async(selectors.catch_up)(room, cursor)
        for event in replay:
            await connection.send_json(event)
        subscribed.append(
            {"room_id": room.pk, "cursor": replay[-1]["seq"] if replay else cursor, "more": more}
        )
    return {"type": "subscribed", "rooms": subscribed, "refused": refused, "id": frame.get("id")}


async def send(connection, frame: Frame) -> Frame:
    room_id = _int(frame, "room_id", minimum=1)
    body, client_id = _text(frame, "body"), _text(frame, "client_id")
    # A reply_to of the wrong type is refused, not dropped: the reply would lose its parent.
    reply_to = None if frame.get("reply_to") is None else _int(frame, "reply_to", minimum=1)

    def write():  # one trip to the database thread: this is the hottest frame
        room = selectors.room_get_for(connection.user, room_id)
        parent = (
            selectors.message_get_for(connection.user, reply_to) if reply_to is not None else None
        )
        return services.message_send(
            author=connection.user, room=room, body=body, client_id=client_id, reply_to=parent
        )

    message, _new = await database_sync_to_async(write)()
    return {
        "type": "ack",
        "client_id": client_id,
        "room_id": message.room_id,
        "message_id": message.pk,
        "seq": message.created_seq,
        "id": frame.get("id"),
    }


async def edit(connection, frame: Frame) -> Frame:
    body = _text(frame, "body")
    return await _change(
        connection,
        frame,
        lambda user, message: services.message_edit(editor=user, message=message, body=body),
    )


async def delete(connection, frame: Frame) -> Frame:
    return await _change(
        connection,
        frame,
        lambda user, message: services.message_delete(actor=user, message=message),
    )


async def react(connection, frame: Frame) -> Frame:
    emoji = _text(frame, "emoji")
    return await _change(
        connection,
        frame,
        lambda user, message: services.reaction_toggle(user=user, message=message, emoji=emoji),
    )


async def _change(connection, frame: Frame, apply) -> Frame:
    """Find the message the frame names (404 unless the member's), apply, acknowledge."""
    message = await _message_for(connection.user, frame)
    await database_sync_to_async(apply)(connection.user, message)
    return {"type": "ack", "message_id": message.pk, "id": frame.get("id")}


async def read(connection, frame: Frame) -> None:
    room = await _room_for(connection.user, frame)
    await database_sync_to_async(services.room_mark_read)(
        user=connection.user, room=room, seq=_int(frame, "seq")
    )


async def typing(connection, frame: Frame) -> None:
    """Tell the room someone is typing: ephemeral, never stored, expiring on the clients."""
    room = await _room_for(connection.user, frame)
    user = connection.user
    # At most one typing event per member and room every few seconds.
    if not cache.add(f"chat.typing:{room.pk}:{user.pk}", 1, timeout=TYPING_SECONDS // 2):
        return
    await _tell(
        [services.room_group(room.pk)],
        {
            "type": "typing",
            "room_id": room.pk,
            "user": {"id": user.pk, "name": user.full_name},
            "expires_in": TYPING_SECONDS,
        },
    )


async def presence(connection, frame: Frame) -> None:
    """A tab's heartbeat: the member is online in every room it follows, for a while.

    Presence expires on the clients after PRESENCE_SECONDS without a new heartbeat, so a
    socket that died without a goodbye (disconnect() is not guaranteed) fades out by itself.
    """
    user = connection.user
    rooms = [g for g in connection.groups_joined if g.startswith("chat.room.")]
    # Per socket: another tab's heartbeat must not silence the rooms only this one follows.
    if not rooms or not cache.add(
        f"chat.presence:{connection.channel_name}", 1, timeout=PRESENCE_SECONDS // 3
    ):
        return
    await _tell(
        rooms,
        {
            "type": "presence",
            "user": {"id": user.pk, "name": user.full_name},
            "online": True,
            "expires_in": PRESENCE_SECONDS,
        },
    )


async def _tell(groups: list[str], event: dict) -> None:
    """Send an ephemeral event now: nothing is stored, so there is no commit to wait for."""
    layer = get_channel_layer()
    for group, message in layer_messages(groups, event):
        try:
            await layer.group_send(group, message)
        except Exception:  # a full channel drops typing and presence; both expire anyway
            logger.warning("Dropped %s for %s", event["type"], group, exc_info=True)


def still_reads_room(user, group: str) -> bool:
    """The group guard of chat's rooms: may the member still read the room? (rules.py)"""
    try:
        selectors.room_get_for(user, int(group.removeprefix(services.ROOM_GROUP_PREFIX)))
    except (Http404, ValueError):
        return False
    return True
