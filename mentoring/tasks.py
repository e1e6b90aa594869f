"""Mentoring's background work, run by the workers (community/background)."""

from __future__ import annotations

from django_tasks import task

from mentoring import routing


@task()
def escalate_questions() -> int:
    """Periodic: newcomers' questions unanswered for QUESTION_ESCALATION_HOURS."""
    return routing.escalate_questions()
