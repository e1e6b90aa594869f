"""The realtime registry and event capture, without a socket."""

from __future__ import annotations

import pytest

from community.realtime import registry
from community.realtime.events import send_event_on_commit
from tests.helpers import capture_events


def test_a_frame_type_cannot_be_registered_twice():
    async def other(connection, frame):
        return None

    with pytest.raises(ValueError, match="ping"):
        registry.FRAME_HANDLERS.fill(registry.FrameHandler("ping", other))


def test_capture_events_records_broadcasts_after_commit(db):
    with capture_events() as events:
        send_event_on_commit(["user.1", "user.2"], {"type": "test.captured"})
    assert events.sent == [(["user.1", "user.2"], {"type": "test.captured"})]
    assert events.types == ["test.captured"]
