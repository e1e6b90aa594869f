"""A small fixed-window rate limiter on the shared cache, for posting and chat.

allauth limits logins itself; this covers what members write.
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
    """Count one action under `key`; raise RateLimited past `limit` per `period` seconds."""
    bucket = f"ratelimit:{key}:{int(time.time() // period)}"
    if cache.add(bucket, 1, timeout=period):
        return
    try:
        count = cache.incr(bucket)
    except ValueError:  # the window expired between add() and incr()
        cache.set(bucket, 1, timeout=period)
        return
    if count > limit:
        raise RateLimited


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
