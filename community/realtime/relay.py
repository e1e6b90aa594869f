"""The relay: how a worker's events reach browsers when the channel layer is in memory.

On the embedded default the channel layer lives in the web server's memory, so a
background worker (another process) cannot reach its sockets: a watcher's notification
written by a task would never light their badge. Such a worker posts its layer messages
to the web server instead, signed with the site's secret key, and the server hands them
to its layer (community/realtime/views.py). This is how Zulip's Django processes reach
Tornado. With Redis every process shares the layer and no relay is used.

`run_worker` turns the relay on (relay_from_worker) when the layer is in memory;
REALTIME_RELAY_URL names the web server (make run's address by default).
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

RELAY_PATH = "/realtime/relay/"
SALT = "community.realtime.relay"
# A relayed batch older than this is refused: a captured request cannot be replayed later.
MAX_AGE_SECONDS = 60
# Messages per request, so that a large batch stays far below the server's body limit.
BATCH_SIZE = 200
TIMEOUT_SECONDS = 5

_relay_url = ""


def relay_url() -> str:
    """The web server this process relays its layer messages to; empty when it sends
    them to the layer itself."""
    return _relay_url


def relay_from_worker() -> None:
    """In a worker beside an in-memory layer, send layer messages through the relay."""
    global _relay_url
    from channels.layers import InMemoryChannelLayer, get_channel_layer

    if not isinstance(get_channel_layer(), InMemoryChannelLayer):
        return
    if not settings.REALTIME_RELAY_URL:
        logger.warning(
            "The channel layer is in memory and REALTIME_RELAY_URL is empty: this worker's "
            "events (live notifications) reach no browser. Set REALTIME_RELAY_URL or REDIS_URL."
        )
        return
    url = settings.REALTIME_RELAY_URL.rstrip("/")
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(f"REALTIME_RELAY_URL must be an http(s):// URL, got {url!r}")
    _relay_url = url


def relay_stop() -> None:
    global _relay_url
    _relay_url = ""


def relay_sign(messages: list[tuple[str, dict[str, Any]]]) -> str:
    return signing.dumps(messages, salt=SALT, compress=True)


def relay_open(token: str, *, types: Collection[str]) -> list[tuple[str, dict[str, Any]]]:
    """The messages of a signed batch. BadSignature (or SignatureExpired) for a forged or
    stale one, ValueError for a signed one that is not a batch of these message types."""
    batch = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    if not isinstance(batch, list):
        raise ValueError("A relayed batch is a list")
    messages = []
    for item in batch:
        if not (isinstance(item, list) and len(item) == 2):
            raise ValueError("A relayed message is a [group, message] pair")
        group, message = item
        if not (isinstance(group, str) and isinstance(message, dict)):
            raise ValueError("A relayed message is a [group, message] pair")
        if message.get("type") not in types:
            raise ValueError(f"Not a relayed message type: {message.get('type')!r}")
        messages.append((group, message))
    return messages


def relay_post(messages: list[tuple[str, dict[str, Any]]]) -> None:
    """Post the messages to the web server, in batches. Best-effort like the layer itself:
    a server that is down or refuses is logged, never raised (the write has committed)."""
    for start in range(0, len(messages), BATCH_SIZE):
        batch = messages[start : start + BATCH_SIZE]
        body = relay_sign(batch).encode()
        request = urllib.request.Request(  # noqa: S310 (http or https: relay_from_worker)
            _relay_url + RELAY_PATH,
            data=body,
            method="POST",
            headers={"Content-Type": "text/plain; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                response.read()
        except (urllib.error.URLError, OSError) as error:
            logger.warning("Could not relay %d message(s) to %s: %s", len(batch), _relay_url, error)
            return
