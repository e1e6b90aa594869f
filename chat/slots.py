"""Places on the room page that the floors above chat fill, such as the knowledge base.

A tool can act on selected messages: when any tool shows, every message gets a checkbox
that belongs to the form with id "message-selection", which the tool's template provides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chat.models import Room
from community.slots import Slot


@dataclass(frozen=True)
class RoomTool:
    key: str
    template: str
    # (room shown, member looking) -> whether the tool shows
    shown: Callable[[Room, object], bool]
    order: int = 100


ROOM_TOOLS: Slot[RoomTool] = Slot("room tools")


def tools_for(room: Room, viewer) -> list[RoomTool]:
    return [tool for tool in ROOM_TOOLS if tool.shown(room, viewer)]
