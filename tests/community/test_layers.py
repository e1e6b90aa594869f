"""The embedded default's channel layer: channels' in-memory layer with a cheaper sweep."""

from __future__ import annotations

import asyncio

import pytest
from channels.exceptions import ChannelFull

from community.realtime.layers import InMemoryChannelLayer


@pytest.mark.asyncio
async def test_expired_messages_are_still_swept_out():
    layer = InMemoryChannelLayer(expiry=0.05, capacity=1)
    await layer.group_add("room", "socket!one")
    await layer.send("socket!one", {"type": "old"})
    with pytest.raises(ChannelFull):
        await layer.send("socket!one", {"type": "new"})

    # Once the message has expired, the next sweep (group_send runs one) drops it, and with
    # it the channel's group membership, as channels' own layer does.
    await asyncio.sleep(0.1)
    layer._swept_at -= InMemoryChannelLayer.SWEEP_INTERVAL
    await layer.group_send("room", {"type": "to the room"})
    assert "socket!one" not in layer.groups.get("room", {})
    await layer.send("socket!one", {"type": "new"})
    assert (await layer.receive("socket!one"))["type"] == "new"


@pytest.mark.asyncio
async def test_sweeps_run_at_most_once_a_second(monkeypatch):
    layer = InMemoryChannelLayer()
    sweeps = []
    monkeypatch.setattr(
        "channels.layers.InMemoryChannelLayer._clean_expired", lambda self: sweeps.append(1)
    )
    for n in range(50):
        await layer.send("socket!one", {"type": "event", "n": n})
        await layer.receive("socket!one")
    assert len(sweeps) == 1
