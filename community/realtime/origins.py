"""Which pages may open a websocket: this site's own, compared exactly.

channels' AllowedHostsOriginValidator compares the Origin's host only, so a page served
from another port or scheme of the same host (another app on the machine, plain http next
to https) could open a socket with the member's cookie, which browsers send to every port
of a site. Here an Origin must equal, in scheme, host and port, one of:

- `SITE_URL`, and each of `CSRF_TRUSTED_ORIGINS` (a leading `*.` matches subdomains, as
  Django's CSRF check does);
- the origin of the handshake itself: the scheme the server saw (ws → http, wss → https)
  and its `Host` header, when that host is one of `ALLOWED_HOSTS`.

A handshake without an Origin, or with `null`, is refused: every browser sends one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalized(origin: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin or a URL, or None when it is not http(s)."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _matches_trusted(origin: tuple[str, str, int], trusted: str) -> bool:
    scheme, _, rest = trusted.partition("://")
    if rest.startswith("*."):
        pattern = normalized(f"{scheme}://{rest[2:]}")
        return (
            pattern is not None
            and origin[0] == pattern[0]
            and origin[2] == pattern[2]
            and (origin[1] == pattern[1] or origin[1].endswith("." + pattern[1]))
        )
    return normalized(trusted) == origin


def origin_allowed(scope: dict[str, Any]) -> bool:
    raw = _header(scope, b"origin")
    origin = normalized(raw) if raw else None
    if origin is None:
        return False
    if origin == normalized(settings.SITE_URL):
        return True
    if any(_matches_trusted(origin, trusted) for trusted in settings.CSRF_TRUSTED_ORIGINS):
        return True
    host = _header(scope, b"host")
    if not host:
        return False
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
    return normalized(f"{scheme}://{host}") == origin


class ExactOriginValidator:
    """ASGI middleware: refuse (HTTP 403) a websocket whose Origin is not this site's."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
