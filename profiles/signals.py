"""Access ends when the grant ends: every change that may narrow what a member reads
reaches their open sockets (community.realtime's recheck).

Signals, not services, because these changes arrive on paths we do not own: allauth's
password views, Django's logout, the admin's password form, a shell. Every one of them
saves the member or logs out, so this is the one place they all pass.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from community.realtime.events import recheck_access_on_commit
from profiles.models import User

# A save that touches none of these cannot change what the member may read.
ACCESS_FIELDS = frozenset({"password", "is_active", "role", "is_staff", "is_superuser"})


@receiver(post_save, sender=User, dispatch_uid="profiles.recheck_sockets_on_save")
def recheck_sockets_on_save(
    sender: type[User], instance: User, created: bool, update_fields=None, **kwargs: Any
) -> None:
    if created or (update_fields is not None and not ACCESS_FIELDS & set(update_fields)):
        return
    recheck_access_on_commit([instance.pk])


@receiver(user_logged_out, dispatch_uid="profiles.close_sockets_on_logout")
def close_sockets_on_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    session_key = getattr(getattr(request, "session", None), "session_key", None) or ""
    recheck_access_on_commit([user.pk], ended_session=session_key)
