"""send_event_on_commit(): the one way to push an event to browsers."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from community.realtime import relay

logger = logging.getLogger(__name__)

# The channel-layer message type that the consumer's realtime_event() receives.
EVENT_MESSAGE_TYPE = "realtime.event"
LEAVE_MESSAGE_TYPE = "realtime.leave"
RECHECK_MESSAGE_TYPE = "realtime.recheck"
# What a worker may ask the web server to send for it (community/realtime/relay.py).
RELAYED_MESSAGE_TYPES = frozenset({EVENT_MESSAGE_TYPE, LEAVE_MESSAGE_TYPE, RECHECK_MESSAGE_TYPE})


def layer_messages(groups: Iterable[str], event: dict[str, Any]) -> Iterator[tuple[str, dict]]:
    """What the channel layer carries to each group's sockets for one event.

    The event travels as JSON text, encoded once: a room's every socket would otherwise
    encode it again, and the in-memory layer deep-copies a dict for each of them.
    """
    text = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    for group in groups:
        yield group, {"type": EVENT_MESSAGE_TYPE, "text": text, "group": group}


def user_group(user_id: int) -> str:
    """Every socket of a member joins this group, so events can reach all their tabs."""
    return f"user.{user_id}"


def send_event_on_commit(groups: Iterable[str], event: dict[str, Any]) -> None:
    """Broadcast `event` to `groups` once the current transaction commits.

    A rolled-back write never sends a ghost event. The channel layer is best-effort
    (it drops messages when a channel is full), so clients catch up from the database.
    """
    groups = list(groups)
    transaction.on_commit(lambda: _broadcast(groups, event))


def send_events_on_commit(events: Iterable[tuple[Iterable[str], dict[str, Any]]]) -> None:
    """Broadcast several events once the transaction commits, in one hop to the channel
    layer's event loop (a reply that notifies 50 watchers sends 50 events)."""
    batch = [(list(groups), event) for groups, event in events]
    if batch:
        transaction.on_commit(lambda: _broadcast_many(batch))


def remove_from_group_on_commit(user_ids: Iterable[int], group: str) -> None:
    """Take every socket of these members out of `group` once the transaction commits.

    A member who leaves a room must stop hearing it at once, not at their next reconnect.
    """
    messages = [
        (user_group(user_id), {"type": LEAVE_MESSAGE_TYPE, "group": group}) for user_id in user_ids
    ]
    transaction.on_commit(lambda: send_to_layer(messages))


def recheck_access_on_commit(user_ids: Iterable[int], *, ended_session: str = "") -> None:
    """Make every open socket of these members check, once the transaction commits, that
    its session still signs the member in and which of its groups they may still hear.

    Sockets whose session no longer authenticates (logged out, a new password, the
    account deactivated) close with 4401; the others leave what the member may no longer
    read. `ended_session` names a session that is ending right now (a logout), which its
    socket must not outlive even if it checks before the session row is gone.
    """
    messages = [
        (user_group(user_id), {"type": RECHECK_MESSAGE_TYPE, "ended_session": ended_session})
        for user_id in user_ids
    ]
    transaction.on_commit(lambda: send_to_layer(messages))


def _broadcast(groups: list[str], event: dict[str, Any]) -> None:
    _broadcast_many([(groups, event)])


def _broadcast_many(batch: list[tuple[list[str], dict[str, Any]]]) -> None:
    send_to_layer([message for groups, event in batch for message in layer_messages(groups, event)])


def send_to_layer(messages: list[tuple[str, dict[str, Any]]]) -> None:
    """Hand (group, message) pairs to the channel layer in one hop to its event loop, or,
    in a process that cannot reach the web server's layer (a worker beside an in-memory
    layer), to the web server through the relay (community/realtime/relay.py).

    Best-effort: a full channel or a Redis hiccup must not fail a write that already
    committed. Clients catch up from the database.
    """
    if not messages:
        return
    if relay.relay_url():
        relay.relay_post(messages)
        return
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(group_send_all)(layer, messages)


async def group_send_all(layer, messages: list[tuple[str, dict[str, Any]]]) -> None:
    for group, message in messages:
        try:
            await layer.group_send(group, message)
        except Exception:
            logger.exception("Could not send %s to %s", message.get("type"), group)
