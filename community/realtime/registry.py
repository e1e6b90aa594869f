"""The websocket frame handlers that apps plug into.

Each app fills `FRAME_HANDLERS` with the frame types it handles, in its plugins, as
Zulip's event system lets each feature own its events. The consumer only looks them up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from community.slots import Slot

if TYPE_CHECKING:
    from community.realtime.consumer import Connection

Frame = dict[str, Any]
# Gets the connection and the frame; what it returns (if anything) is sent back to the
# client. It raises PermissionDenied, Http404 or ValidationError to answer with an error.
HandleFrame = Callable[["Connection", Frame], Awaitable[Frame | None]]


@dataclass(frozen=True)
class FrameHandler:
    key: str  # the frame's "type"
    handle: HandleFrame


FRAME_HANDLERS: Slot[FrameHandler] = Slot("websocket frame handlers")


def handler_for(frame_type: str) -> HandleFrame | None:
    found = FRAME_HANDLERS.get(frame_type)
    return found.handle if found is not None else None


@dataclass(frozen=True)
class GroupGuard:
    """Says whether a member may still hear a group, for the groups an app's frames join.

    When a member's access may have changed (a new role, deactivation, logout, a new
    password), each of their sockets asks the guard of every group it has joined, and
    leaves those the member may no longer read.
    """

    key: str  # the groups' name prefix: "chat.room."
    readable: Callable[[Any, str], bool]  # (member, group name) -> may they hear it


GROUP_GUARDS: Slot[GroupGuard] = Slot("websocket group guards")


def guard_for(group: str) -> GroupGuard | None:
    return next((guard for guard in GROUP_GUARDS if group.startswith(guard.key)), None)
