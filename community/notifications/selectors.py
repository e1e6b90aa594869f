"""Reads of notifications and preferences; every getter is scoped to the member who asks."""

from __future__ import annotations

from collections.abc import Collection

from django.core.cache import cache
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from community.notifications import registry
from community.notifications.models import KindPreference, Notification, NotificationPreference

# How long the cached list of who switched a kind off on the site is trusted. Saving the
# settings writes the new list at once; this bounds the rare race of two saves of one
# kind, and, without Redis (each process its own cache), how late a worker hears of one.
OPT_OUTS_CACHE_SECONDS = 60


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The member's notifications, newest first, with actors fetched in the same query."""
    notifications = Notification.objects.filter(recipient=user).select_related("actor")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_for(user, pk: int) -> Notification:
    """The member's own notification; anyone else's is 404, as if it did not exist."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


def preference_for(user) -> NotificationPreference:
    """The member's preference, or an unsaved default: rows are created on first change."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)


def kinds_wanted_by(user) -> tuple[list[str], list[str]]:
    """The registered kinds the member wants on the site, and those they want by email."""
    switched_off = {p.kind: p for p in KindPreference.objects.filter(user=user)}
    kinds = [kind for kind, _label in registry.registered_kinds()]
    in_app = [k for k in kinds if k not in switched_off or switched_off[k].in_app]
    email = [k for k in kinds if k not in switched_off or switched_off[k].email]
    return in_app, email


def _opt_outs_key(kind: str) -> str:
    return f"notifications:in-app-off:{kind}"


def in_app_opt_outs(kinds: Collection[str]) -> dict[str, frozenset[int]]:
    """For each kind, the ids of the members who switched it off on the site.

    Asked on every notification sent, so it reads the cache: the usual case (a warm cache)
    costs no query, a cold one a single query for every kind it lacked.
    """
    keys = {kind: _opt_outs_key(kind) for kind in kinds}
    cached = cache.get_many(keys.values())
    found = {kind: cached[key] for kind, key in keys.items() if key in cached}
    missing = [kind for kind in keys if kind not in found]
    if missing:
        loaded = _in_app_opt_outs_read(missing)
        for kind, members in loaded.items():
            # add, not set: a save that wrote a newer list meanwhile (see
            # in_app_opt_outs_refresh()) wins over this older read.
            cache.add(keys[kind], members, timeout=OPT_OUTS_CACHE_SECONDS)
        found.update(loaded)
    return found


def in_app_opt_outs_refresh(kinds: Collection[str]) -> None:
    """Read these kinds' opt-outs again into the cache, once a change has committed."""
    if kinds:
        cache.set_many(
            {
                _opt_outs_key(kind): members
                for kind, members in _in_app_opt_outs_read(kinds).items()
            },
            timeout=OPT_OUTS_CACHE_SECONDS,
        )


def _in_app_opt_outs_read(kinds: Collection[str]) -> dict[str, frozenset[int]]:
    members: dict[str, set[int]] = {kind: set() for kind in kinds}
    for kind, user_id in KindPreference.objects.filter(kind__in=kinds, in_app=False).values_list(
        "kind", "user_id"
    ):
        members[kind].add(user_id)
    return {kind: frozenset(ids) for kind, ids in members.items()}
