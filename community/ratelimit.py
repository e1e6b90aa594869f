"""A sliding-window rate limiter on the shared cache, for what members write.

allauth limits logins itself; this covers posting, chat, edits, reactions and uploads.

A fixed window lets a double burst through at its edge (ten replies at 0:59, ten more at
1:00). This counts hits in fixed windows but weighs the previous window by how much of it
still overlaps the sliding one (the estimate Cloudflare and others use): two counters a
key, atomic increments, no list of timestamps.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class RateLimited(Exception):
    """Raised by services when a member acts faster than the limit allows."""

    def __init__(self, message=None) -> None:
        super().__init__(message or _("You are doing this too often. Wait a minute and try again."))
        self.message = message or self.args[0]


def rate_limit_hit(*, key: str, limit: int, period: int) -> None:
    """Count one action under `key`; raise RateLimited past `limit` in any `period` seconds."""
    now = time.time()
    window, offset = divmod(now, period)
    current = f"ratelimit:{key}:{int(window)}"
    previous = cache.get(f"ratelimit:{key}:{int(window) - 1}", 0)
    # Kept for two periods: the next window still weighs this one.
    if cache.add(current, 1, timeout=2 * period):
        count = 1
    else:
        try:
            count = cache.incr(current)
        except ValueError:  # expired between add() and incr()
            cache.set(current, 1, timeout=2 * period)
            count = 1
    if previous * (1 - offset / period) + count > limit:
        raise RateLimited


# One budget per member across forum and chat: each edit and reaction is re-rendered and
# broadcast to every reader, so a flood costs the same wherever it happens.
EDITS_PER_MINUTE = 30
REACTIONS_PER_MINUTE = 60


def edit_hit(user) -> None:
    rate_limit_hit(key=f"edit:{user.pk}", limit=EDITS_PER_MINUTE, period=60)


def reaction_hit(user) -> None:
    rate_limit_hit(key=f"react:{user.pk}", limit=REACTIONS_PER_MINUTE, period=60)


def too_many_attempts(request: HttpRequest, message=None) -> HttpResponse:
    """The 429 page, for allauth's limits and ours alike."""
    return render(
        request,
        "error_page.html",
        {
            "title": _("Too many attempts"),
            "text": message
            or _("You have made too many attempts. Please wait a few minutes and try again."),
        },
        status=429,
    )
