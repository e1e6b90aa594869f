"""Helpers for talking chat's protocol over /ws/ in Communicator tests."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from chat import services
from chat.models import Membership, Message, Room
from tests.chat.conftest import send

# Writes made "by someone else" while the sockets under test listen.
post = database_sync_to_async(send)
edit = database_sync_to_async(services.message_edit)
delete = database_sync_to_async(services.message_delete)
react = database_sync_to_async(services.reaction_toggle)


async def receive(socket: WebsocketCommunicator, count: int) -> list[dict]:
    """The next `count` frames, in the order they arrived."""
    return [await socket.receive_json_from(timeout=2) for _ in range(count)]


async def subscribe(
    socket: WebsocketCommunicator, *rooms: tuple[int, int], ref: int = 1
) -> tuple[list[dict], dict]:
    """Subscribe to (room_id, cursor) pairs; returns the replayed events and "subscribed"."""
    await socket.send_json_to(
        {
            "type": "subscribe",
            "id": ref,
            "rooms": [{"room_id": room_id, "cursor": cursor} for room_id, cursor in rooms],
        }
    )
    replayed = []
    while (frame := await socket.receive_json_from(timeout=2))["type"] != "subscribed":
        replayed.append(frame)
    return replayed, frame


async def request(socket: WebsocketCommunicator, frame: dict) -> dict:
    """Send one frame and return the first frame that comes back."""
    await socket.send_json_to(frame)
    return await socket.receive_json_from(timeout=2)


async def nothing_more(*sockets: WebsocketCommunicator) -> bool:
    for socket in sockets:
        if not await socket.receive_nothing(timeout=0.2):
            return False
    return True


async def close(*sockets: WebsocketCommunicator) -> None:
    for socket in sockets:
        await socket.disconnect()


@database_sync_to_async
def message_count() -> int:
    return Message.objects.count()


@database_sync_to_async
def room_sequence(room: Room) -> int:
    return Room.objects.values_list("sequence", flat=True).get(pk=room.pk)


@database_sync_to_async
def fresh(message: Message) -> Message:
    return Message.objects.get(pk=message.pk)


@database_sync_to_async
def read_cursor(user, room: Room) -> int:
    return Membership.objects.values_list("last_read_seq", flat=True).get(user=user, room=room)
