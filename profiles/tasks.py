"""Profiles' background work, run by the workers (community/background)."""

from __future__ import annotations

from django_tasks import task

from profiles import services


@task()
def email_application_submitted(application_id: int) -> int:
    return services.application_submitted_email(application_id)


@task()
def email_application_decided(application_id: int) -> int:
    return services.application_decided_email(application_id)
