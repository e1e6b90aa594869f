"""The registry of websocket frame handlers that apps plug into.

Each app registers the frame types it handles in its AppConfig.ready(), as Zulip's
event system lets each feature own its events. The consumer only looks handlers up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from community.realtime.consumer import Connection

Frame = dict[str, Any]
FrameHandler = Callable[["Connection", Frame], Awaitable[Frame | None]]

_handlers: dict[str, FrameHandler] = {}


def frame_handler(frame_type: str) -> Callable[[FrameHandler], FrameHandler]:
    """Register an async handler for client frames of `frame_type`.

    The handler gets the connection and the frame; what it returns (if anything) is
    sent back to the client. Raise PermissionDenied, Http404 or ValidationError to
    answer with an error frame.
    """

    def register(handler: FrameHandler) -> FrameHandler:
        existing = _handlers.get(frame_type)
        if existing is not None and existing is not handler:
            raise ValueError(f"A handler for {frame_type!r} frames is already registered")
        _handlers[frame_type] = handler
        return handler

    return register


def handler_for(frame_type: str) -> FrameHandler | None:
    return _handlers.get(frame_type)

