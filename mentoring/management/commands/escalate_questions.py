"""Bring newcomers' questions unanswered for QUESTION_ESCALATION_HOURS to the coordinators.

Run it from cron (docs/deployment.md); each question is escalated once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from mentoring.routing import escalate_questions


class Command(BaseCommand):
    help = "Notify coordinators of newcomers' questions left unanswered too long."

    def handle(self, *args, **options) -> None:
        count = escalate_questions()
        self.stdout.write(f"Escalated {count} question(s).")
