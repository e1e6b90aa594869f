"""The one role policy: is this member a coordinator, a moderator, a mentor, and active?

Every rule asks here: each app's rules.py, the admin site and the templates (through the
properties of the same names on User). A deactivated account is none of these, whatever its
role says, so that an answer never depends on which door was asked. Staff and superusers
count as coordinators: the administrator runs the site.

Each function takes any user, AnonymousUser included.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

# The role values of User.Role, named here so that this module imports no model.
NEWCOMER, MENTOR, COORDINATOR = "newcomer", "mentor", "coordinator"
# The fields of User this policy reads: a query that loads many members only to ask the
# policy about them (a thread's fifty watchers) loads these, not whole profiles.
ROLE_FIELDS = ("is_active", "role", "is_staff", "is_superuser")


def is_active_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _has_role(user, role: str) -> bool:
    return is_active_member(user) and getattr(user, "role", None) == role


def is_coordinator(user) -> bool:
    """Runs the programme: coordinators, and the site's staff."""
    return _has_role(user, COORDINATOR) or (
        is_active_member(user) and bool(user.is_staff or user.is_superuser)
    )


def is_moderator(user) -> bool:
    """Moderates the forum and chat: the coordinators."""
    return is_coordinator(user)


def is_mentor(user) -> bool:
    return _has_role(user, MENTOR)


def is_newcomer(user) -> bool:
    return _has_role(user, NEWCOMER)


def is_mentor_or_coordinator(user) -> bool:
    """The experienced members: they read the mentors' places and write the library."""
    return is_mentor(user) or is_coordinator(user)


P = ParamSpec("P")


def active_only(check: Callable[Concatenate[Any, P], bool]) -> Callable[Concatenate[Any, P], bool]:
    """For a rule `(user, ...) -> bool`: no deactivated or anonymous account ever passes it,
    whatever else (authorship, membership, a pair) would let it."""

    @functools.wraps(check)
    def guarded(user: Any, /, *args: P.args, **kwargs: P.kwargs) -> bool:
        return is_active_member(user) and check(user, *args, **kwargs)

    return guarded
