"""Notification emails, run by the workers (community/background)."""

from __future__ import annotations

from django_tasks import task

from community.notifications import services


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """Queue the immediate emails of a batch of new notifications (one task per event)."""
    return services.notifications_email(notification_ids)


@task()
def send_digests() -> int:
    """Periodic, daily: the digests of members who chose one."""
    return services.digest_send()
