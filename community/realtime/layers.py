"""The embedded default's channel layer."""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    """channels' in-memory layer, sweeping out expired messages at most once a second.

    The original sweeps every channel and every group on every send and receive. With a
    few hundred sockets, each receiving every broadcast of its rooms, the sweeps took a
    tenth of the server's time (bench/chat.py). Messages expire after a minute and group
    memberships after a day, so a sweep a second changes nothing a client can notice.
    """

    SWEEP_INTERVAL = 1.0
    _swept_at = float("-inf")

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept_at >= self.SWEEP_INTERVAL:
            self._swept_at = now
            super()._clean_expired()
