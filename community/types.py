from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from profiles.models import User


class AuthedRequest(HttpRequest):
    """A request behind login_required: `user` is a member, never AnonymousUser."""

    user: User
