"""The knowledge base's background work, run by the workers (community/background)."""

from __future__ import annotations

from django_tasks import task

from knowledge import services


@task()
def review_reminders() -> int:
    """Periodic, daily: remind who vouches for articles that are due for review."""
    return services.review_reminders_send()
