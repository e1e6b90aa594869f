"""Reads of notifications and preferences; every getter is scoped to the member who asks."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from community.notifications.models import Notification, NotificationPreference


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
