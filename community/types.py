from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class AuthedRequest(HttpRequest):
    """A request behind login_required, as the core sees it: `user` is an account, never
    AnonymousUser. The core knows no app, so not the member model either; the apps use
    `profiles.types.MemberRequest`, whose `user` is a member."""

    user: AbstractBaseUser
