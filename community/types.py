from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails


class AuthedRequest(HttpRequest):
    """A request behind login_required, as the core sees it. The core knows no app, so not
    the member model either: the apps use `profiles.types.MemberRequest`, whose `user` is
    a member, never AnonymousUser."""

    htmx: HtmxDetails  # set by django_htmx's middleware
