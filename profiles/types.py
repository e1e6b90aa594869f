from __future__ import annotations

from typing import TYPE_CHECKING

from community.types import AuthedRequest

if TYPE_CHECKING:
    from profiles.models import User


class MemberRequest(AuthedRequest):
    """A request behind login_required in an app: `user` is a member, never AnonymousUser."""

    user: User
