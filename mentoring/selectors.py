"""Reads of mentoring pairs, each checking who asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from community.attachments.selectors import attachments_of
from mentoring import rules
from mentoring.models import (
    MEETING_FILES,
    Feedback,
    Meeting,
    MentorReport,
    Mentorship,
    PlanStep,
    RoutingOptIn,
)


def pair_get_for(user, pk: int) -> Mentorship:
    pair = (
        Mentorship.objects.select_related("mentor", "newcomer", "proposed_by", "room")
        .filter(pk=pk)
        .first()
    )
    if pair is None or not rules.can_see(user, pair):
        raise Http404
    return pair


def pairs_for(user) -> QuerySet[Mentorship]:
    """The member's own pairs, newest first; a coordinator sees every pair."""
    pairs = Mentorship.objects.select_related("mentor", "newcomer", "room")
    if rules.is_coordinator(user):
        return pairs
    return pairs.filter(Q(mentor=user) | Q(newcomer=user))


def mentor_load(mentors: QuerySet) -> QuerySet:
    """Mentors with their number of active pairs, for choosing one with a free place."""
    return mentors.annotate(
        active_pairs=Count(
            "mentorships_as_mentor", filter=Q(mentorships_as_mentor__status="active")
        )
    )


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def plan_for(pair: Mentorship) -> tuple[list[PlanStep], Progress]:
    steps = list(pair.steps.select_related("article", "thread"))
    progress = Progress(
        done=sum(s.done_at is not None for s in steps),
        total=len(steps),
        overdue=sum(s.is_overdue for s in steps),
    )
    return steps, progress


def meetings_for(pair: Mentorship) -> list[Meeting]:
    """The pair's meetings, newest first, each with its files: two queries in all."""
    meetings = list(pair.meetings.all())
    files = attachments_of(MEETING_FILES, [meeting.pk for meeting in meetings])
    for meeting in meetings:
        meeting.files = files.get(meeting.pk, [])
    return meetings


def step_get_for(user, pk: int) -> PlanStep:
    step = PlanStep.objects.select_related("mentorship").filter(pk=pk).first()
    if step is None or not rules.can_see(user, step.mentorship):
        raise Http404
    return step


def open_pair_of_newcomer(newcomer) -> Mentorship | None:
    return (
        Mentorship.objects.filter(newcomer=newcomer, status__in=Mentorship.OPEN)
        .select_related("mentor", "room")
        .first()
    )


def mentees_of(mentor) -> list[tuple[Mentorship, Progress]]:
    """The mentor's active pairs and proposals waiting for an answer, with plan progress."""
    pairs = list(
        Mentorship.objects.filter(mentor=mentor, status__in=Mentorship.OPEN)
        .select_related("newcomer")
        .annotate(
            steps_total=Count("steps"),
            steps_done=Count("steps", filter=Q(steps__done_at__isnull=False)),
            steps_overdue=Count(
                "steps",
                filter=Q(steps__done_at__isnull=True, steps__due_on__lt=timezone.localdate()),
            ),
        )
        .order_by("status", "newcomer__sort_name")
    )
    return [
        (pair, Progress(pair.steps_done, pair.steps_total, pair.steps_overdue)) for pair in pairs
    ]


def closing_for(user, pair: Mentorship) -> dict:
    """The feedback and the report, for those who may read them, and which are still due."""
    feedback = Feedback.objects.filter(mentorship=pair).first()
    report = MentorReport.objects.filter(mentorship=pair).first()
    return {
        "feedback": feedback if rules.can_read_feedback(user, pair) else None,
        "report": report if rules.can_read_report(user, pair) else None,
        "feedback_due": feedback is None and rules.can_give_feedback(user, pair),
        "report_due": report is None and rules.can_report(user, pair),
    }


def routing_enabled(user) -> bool:
    return RoutingOptIn.objects.filter(user=user).exists()
