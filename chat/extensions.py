"""Places on the room page that apps above chat fill, such as the knowledge base.

A tool can act on selected messages: when any tool shows, every message gets a checkbox
that belongs to the form with id "message-selection", which the tool's template provides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chat.models import Room


@dataclass(frozen=True)
class RoomTool:
    key: str
    template: str
    # (room shown, member looking) -> whether the tool shows
    shown: Callable[[Room, object], bool]
    order: int = 100


_tools: dict[str, RoomTool] = {}


def register_room_tool(tool: RoomTool) -> None:
    _tools[tool.key] = tool


def tools_for(room: Room, viewer) -> list[RoomTool]:
    return [tool for tool in sorted(_tools.values(), key=lambda t: (t.order, t.key))
            if tool.shown(room, viewer)]
