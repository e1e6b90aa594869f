from __future__ import annotations

from functools import cache

from django.http import HttpRequest

from community.notifications import selectors


def notifications(request: HttpRequest) -> dict:
    """The header badge's unread count: one COUNT query, and only if a template prints it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    # Templates call callables when they resolve them; the cache makes that one query per
    # request, and htmx fragments that never print the badge cost none.
    @cache
    def unread() -> int:
        return selectors.unread_count(user)

    return {"notification_unread_count": unread}
