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
