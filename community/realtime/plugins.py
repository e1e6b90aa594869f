"""The core's own frames."""

from community.realtime import builtin_handlers
from community.realtime.registry import FRAME_HANDLERS, FrameHandler

FRAME_HANDLERS.fill(FrameHandler("ping", builtin_handlers.ping))
