"""The one websocket consumer at /ws/: authenticates, routes frames, relays events."""

from __future__ import annotations

import json
import logging
from importlib import import_module
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from community import text as user_text
from community.ratelimit import RateLimited
from community.realtime import registry
from community.realtime.events import user_group

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 64 * 1024
PROTOCOL_VERSION = 1
# Close codes in the 4000-4999 range are ours; 4401 mirrors HTTP 401.
CLOSE_UNAUTHENTICATED = 4401


# What the ASGI server raises when we write to a socket the browser has just closed:
# daphne's autobahn says Disconnected, uvicorn ClientDisconnected, websockets
# ConnectionClosed*. Named, not imported: the consumer must not depend on one server.
_SOCKET_GONE = {
    "Disconnected",
    "ClientDisconnected",
    "ConnectionClosed",
    "ConnectionClosedOK",
    "ConnectionClosedError",
}


def socket_gone(error: BaseException) -> bool:
    return type(error).__name__ in _SOCKET_GONE


def _check_text_in(frame: Any) -> None:
    """The one text rule (community.text) for every string in a frame, keys included: JSON
    may spell NUL and lone surrogates (\\u0000, \\ud800), which no handler could store or
    send back."""
    pending = [frame]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            user_text.check(value)
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())


@database_sync_to_async
def _session_member(session_key: str) -> tuple[Any, bool]:
    """(the member this session names, read afresh, or None; whether its password hash is
    still the member's), as Django's HTTP authentication decides. Unlike channels'
    get_user, this never flushes the session: a check must not log anyone out."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    try:
        user_id = get_user_model()._meta.pk.to_python(store[SESSION_KEY])
        backend_path = store[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return None, False
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None, False
    user = load_backend(backend_path).get_user(user_id)  # None if gone or inactive
    if user is None or not user.is_active:
        return None, False
    stored = store.get(HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return user, any(constant_time_compare(stored, known) for known in hashes)


async def _user_of_session(session_key: str):
    """The active member this session still signs in, or None.

    After a password change every earlier session fails the hash, and the one that made
    the change has a new key (Django cycles it), so every socket opened before closes; the
    browser that changed it reloads with its new cookie and connects again.
    """
    user, current = await _session_member(session_key)
    return user if current else None


class Connection(AsyncJsonWebsocketConsumer):
    """One browser tab. Frame handlers receive it to learn the user and manage groups."""

    groups_joined: set[str]

    @property
    def user(self):
        return self.scope["user"]

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            # Refusing before accept() makes the handshake fail with HTTP 403.
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.language = self._language_from_cookie()
        self.groups_joined = set()
        await self.accept()
        await self.join(user_group(user.pk))
        await self.send_json({"type": "hello", "protocol": PROTOCOL_VERSION, "user_id": user.pk})

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Run the handler for `message`, without channels' database clean-up before it.

        channels closes stale database connections before every message, in a trip to the
        database thread; for the broadcasts that are most of a socket's traffic and never
        touch the database, that trip was the largest cost (bench/chat.py). Every handler
        that touches the database does so through database_sync_to_async, which closes
        stale connections around each call itself.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code: int) -> None:
        for group in list(getattr(self, "groups_joined", ())):
            await self.leave(group)

    async def join(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.add(group)

    async def leave(self, group: str) -> None:
        await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_joined.discard(group)

    # --- Client frames -----------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        with translation.override(self.language):
            if text_data is None:
                await self.send_error("bad_frame", _("Frames must be JSON text."))
                return
            if len(text_data.encode()) > MAX_FRAME_BYTES:
                await self.send_error(
                    "too_large",
                    _("The frame is larger than %(limit)d KB.")
                    % {"limit": MAX_FRAME_BYTES // 1024},
                )
                return
            try:
                frame = json.loads(text_data)
            except (ValueError, RecursionError):  # deep nesting exhausts the parser's stack
                await self.send_error("bad_json", _("The frame is not valid JSON."))
                return
            try:
                _check_text_in(frame)
            except ValidationError as error:
                ref = frame.get("id") if isinstance(frame, dict) else None
                await self.send_error("invalid", " ".join(error.messages), ref=ref)
                return
            await self.receive_json(frame)

    async def receive_json(self, frame: Any, **kwargs) -> None:
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.send_error("bad_frame", _('A frame must be an object with a "type".'))
            return
        frame_type = frame["type"]
        ref = frame.get("id")
        handler = registry.handler_for(frame_type)
        if handler is None:
            await self.send_error(
                "unknown_type",
                _("Unknown frame type: %(type)s.") % {"type": frame_type[:50]},
                ref=ref,
            )
            return
        try:
            reply = await handler(self, frame)
            if reply is not None:
                await self.send_json(reply)
        except RateLimited as error:
            await self.send_error("rate_limited", str(error.message), ref=ref)
        except PermissionDenied:
            await self.send_error("forbidden", _("You do not have access to this."), ref=ref)
        except (Http404, ObjectDoesNotExist):
            await self.send_error("not_found", _("Not found."), ref=ref)
        except ValidationError as error:
            await self.send_error("invalid", " ".join(error.messages), ref=ref)
        except Exception as error:
            if socket_gone(error):
                return  # the tab closed mid-answer; its disconnect event cleans up next
            logger.exception("Frame handler for %r failed", frame_type)
            await self.send_error("server_error", _("Something went wrong on our side."), ref=ref)

    async def send_error(self, code: str, message: str, *, ref: Any = None) -> None:
        try:
            await self.send_json({"type": "error", "code": code, "message": message, "id": ref})
        except Exception as error:
            if not socket_gone(error):
                raise

    # --- Server events -----------------------------------------------------------

    async def realtime_event(self, message: dict[str, Any]) -> None:
        """An event from send_event_on_commit(), relayed as is.

        An event already queued for a group this socket has since left is dropped: the
        leave may be processed after the layer expanded the group to this channel.
        """
        if message.get("group", "") not in self.groups_joined:
            return
        await self.send(text_data=message["text"])

    async def realtime_leave(self, message: dict[str, Any]) -> None:
        """remove_from_group_on_commit(): stop hearing a group the member no longer reads."""
        await self.leave(message["group"])

    async def realtime_recheck(self, message: dict[str, Any]) -> None:
        """recheck_access_on_commit(): does this socket's session still sign the member in,
        and which of its groups may they still hear? Access ends when the grant ends, not at
        the next reconnect."""
        session_key = self.scope["session"].session_key
        user = None
        if session_key and session_key != message.get("ended_session"):
            user = await _user_of_session(session_key)
        if user is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.scope["user"] = user  # a new role counts for every frame from now on
        lost = [
            group
            for group in sorted(self.groups_joined)
            if (guard := registry.guard_for(group)) is not None
            and not await database_sync_to_async(guard.readable)(user, group)
        ]
        for group in lost:
            await self.leave(group)
        if lost:
            await self.send_json({"type": "access_changed"})

    def _language_from_cookie(self) -> str:
        cookies = self.scope.get("cookies", {})
        language = cookies.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
