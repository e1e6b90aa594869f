"""The dashboard's figures. Every one is counted by the database, in a fixed number of queries
whatever the size of the community; Python only loops over weeks, cohorts and page rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import TruncMonth, TruncQuarter, TruncWeek
from django.utils import timezone

from analytics.periods import (
    ONE_YEAR,
    Period,
    datestamp,
    datestamp_distance,
    datestamp_of,
    month_start,
    next_month,
    quarter_end,
    week_start,
)
from chat.models import Message
from forum.models import Post, Thread
from mentoring.models import Feedback, Mentorship, MentorshipEvent, PlanStep
from profiles.models import User


class _FirstAnswer(TypedDict):
    # Any, not the datetime it holds: django-stubs checks `__isnull` against the field's type.
    first_answer_at: Any
    wait: datetime.timedelta | None


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # Questions with their first answer's time and the wait for it (questions_in).
    Questions = QuerySet[WithAnnotations[Thread, _FirstAnswer]]

ANSWER_WITHIN = datetime.timedelta(hours=24)
# Beyond a year of weekly bars a chart stops being readable; months take over.
WEEKLY_UP_TO_DAYS = 371


# Community health ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    members: int
    active_members: int
    active_mentors: int
    threads: int
    replies: int
    chat_messages: int
    questions: int
    questions_day_old: int
    answered_within_day: int
    unanswered: int
    median_first_answer: datetime.timedelta | None

    @property
    def answered_within_day_share(self) -> float | None:
        return share(self.answered_within_day, self.questions_day_old)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def health(period: Period) -> Health:
    start, end = period.bounds
    members = _member_activity(start, end)
    counts = _content_counts(start, end)
    questions = questions_in(period)
    answered = questions.filter(first_answer_at__isnull=False)
    question_counts = questions.aggregate(
        asked=Count("pk"),
        day_old=Count("pk", filter=Q(created_at__lte=timezone.now() - ANSWER_WITHIN)),
        within_day=Count(
            "pk",
            filter=Q(
                created_at__lte=timezone.now() - ANSWER_WITHIN,
                first_answer_at__lte=F("created_at") + ANSWER_WITHIN,
            ),
        ),
        unanswered=Count("pk", filter=Q(first_answer_at__isnull=True)),
    )
    return Health(
        **members,
        **counts,
        questions=question_counts["asked"],
        questions_day_old=question_counts["day_old"],
        answered_within_day=question_counts["within_day"],
        unanswered=question_counts["unanswered"],
        median_first_answer=_median_wait(
            answered, question_counts["asked"] - question_counts["unanswered"]
        ),
    )


def _member_activity(start: datetime.datetime, end: datetime.datetime) -> dict[str, int]:
    """Members now in service, and those who posted or chatted in the period."""
    posted = Exists(
        Post.objects.filter(
            author=OuterRef("pk"), created_at__gte=start, created_at__lt=end, is_deleted=False
        )
    )
    chatted = Exists(
        Message.objects.filter(
            author=OuterRef("pk"), created_at__gte=start, created_at__lt=end, is_deleted=False
        )
    )
    active = Q(posted) | Q(chatted)
    return User.objects.filter(is_active=True).aggregate(
        members=Count("pk", filter=Q(service_end__isnull=True)),
        active_members=Count("pk", filter=active),
        active_mentors=Count("pk", filter=active & Q(role=User.Role.MENTOR)),
    )


def _content_counts(start: datetime.datetime, end: datetime.datetime) -> dict[str, int]:
    return {
        "threads": Thread.objects.filter(created_at__gte=start, created_at__lt=end).count(),
        "replies": _replies().filter(created_at__gte=start, created_at__lt=end).count(),
        "chat_messages": _chat_messages().filter(created_at__gte=start, created_at__lt=end).count(),
    }


def _replies() -> QuerySet[Post]:
    return Post.objects.filter(number__gt=1, is_deleted=False)


def _chat_messages() -> QuerySet[Message]:
    return Message.objects.filter(is_deleted=False)


def questions_in(period: Period) -> Questions:
    """Questions asked in the period, with when someone other than the asker first replied."""
    start, end = period.bounds
    first_answer = (
        _replies()
        .filter(thread=OuterRef("pk"), is_hidden=False)
        .exclude(author=OuterRef("author"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return (
        Thread.objects.filter(
            kind=Thread.Kind.QUESTION, is_hidden=False, created_at__gte=start, created_at__lt=end
        )
        .annotate(first_answer_at=Subquery(first_answer))
        .annotate(
            wait=ExpressionWrapper(
                F("first_answer_at") - F("created_at"), output_field=DurationField()
            )
        )
    )


def _median_wait(answered: Questions, count: int) -> datetime.timedelta | None:
    """The median in the database: sort the waits there and fetch the middle one or two."""
    if not count:
        return None
    middle = list(
        answered.order_by("wait").values_list("wait", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return sum(middle, datetime.timedelta()) / len(middle)


def unanswered_questions(period: Period) -> Questions:
    return (
        questions_in(period)
        .filter(first_answer_at__isnull=True)
        .select_related("author__department", "category")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class ActivityBucket:
    start: datetime.date
    threads: int
    replies: int
    chat_messages: int


def activity_by_week(period: Period) -> tuple[str, list[ActivityBucket]]:
    """New threads, replies and chat messages per week (per month over long periods)."""
    weekly = period.days <= WEEKLY_UP_TO_DAYS
    trunc, first, step = (
        (TruncWeek, week_start, lambda d: d + datetime.timedelta(days=7))
        if weekly
        else (TruncMonth, month_start, next_month)
    )
    start, end = period.bounds
    series = {}
    for name, rows in (
        ("threads", Thread.objects.all()),
        ("replies", _replies()),
        ("chat_messages", _chat_messages()),
    ):
        per_bucket = (
            rows.filter(created_at__gte=start, created_at__lt=end)
            .annotate(bucket=trunc("created_at"))
            .order_by()
            .values("bucket")
            .annotate(n=Count("pk"))
            .values_list("bucket", "n")
        )
        series[name] = {_local_date(bucket): n for bucket, n in per_bucket}
    buckets, day = [], first(period.start)
    while day <= period.end:
        buckets.append(ActivityBucket(day, *(series[name].get(day, 0) for name in series)))
        day = step(day)
    return ("week" if weekly else "month"), buckets


def _local_date(moment: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


# Mentoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MentoringFigures:
    active_pairs: int
    proposed_pairs: int
    started: int
    completed: int
    ended_early: int
    mentors: int
    mentors_full: int
    free_places: int
    steps_total: int
    steps_done: int
    steps_overdue: int
    feedback_count: int
    feedback_average: float | None
    feedback_helpful: int
    ratings: dict[int, int]

    @property
    def plan_completion(self) -> float | None:
        return share(self.steps_done, self.steps_total)

    @property
    def helpful_share(self) -> float | None:
        return share(self.feedback_helpful, self.feedback_count)


def mentoring(period: Period) -> MentoringFigures:
    start, end = period.bounds
    pairs = Mentorship.objects.aggregate(
        active_pairs=Count("pk", filter=Q(status=Mentorship.Status.ACTIVE)),
        proposed_pairs=Count("pk", filter=Q(status=Mentorship.Status.PROPOSED)),
    )
    moves = MentorshipEvent.objects.filter(at__gte=start, at__lt=end).aggregate(
        **{
            name: Count("pk", filter=Q(to_status=status))
            for name, status in (
                ("started", Mentorship.Status.ACTIVE),
                ("completed", Mentorship.Status.COMPLETED),
                ("ended_early", Mentorship.Status.ENDED),
            )
        }
    )
    load = (
        mentor_load()
        .order_by()
        .aggregate(
            mentors=Count("pk"),
            mentors_full=Count("pk", filter=Q(active_pairs__gte=F("mentor_capacity"))),
            free_places=_sum_free_places(),
        )
    )
    steps = PlanStep.objects.filter(mentorship__status=Mentorship.Status.ACTIVE).aggregate(
        steps_total=Count("pk"),
        steps_done=Count("pk", filter=Q(done_at__isnull=False)),
        steps_overdue=Count("pk", filter=Q(done_at__isnull=True, due_on__lt=timezone.localdate())),
    )
    feedback = feedback_in(period).aggregate(
        feedback_count=Count("pk"),
        feedback_average=Avg("rating"),
        feedback_helpful=Count("pk", filter=Q(helpful=True)),
        **{f"rating_{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)},
    )
    ratings = {n: feedback.pop(f"rating_{n}") for n in range(1, 6)}
    load["free_places"] = load["free_places"] or 0
    return MentoringFigures(**pairs, **moves, **load, **steps, **feedback, ratings=ratings)


def _sum_free_places() -> Sum:
    """Places a mentor who accepts mentees still has; a full or closed mentor adds none."""
    return Sum(
        Case(
            When(
                accepting_mentees=True,
                active_pairs__lt=F("mentor_capacity"),
                then=F("mentor_capacity") - F("active_pairs"),
            ),
            default=0,
        )
    )


def mentor_load() -> QuerySet[User]:
    """Mentors with their active pairs against their capacity, the busiest first."""
    return (
        User.objects.filter(role=User.Role.MENTOR, is_active=True)
        .annotate(
            active_pairs=Count(
                "mentorships_as_mentor",
                filter=Q(mentorships_as_mentor__status=Mentorship.Status.ACTIVE),
            )
        )
        .select_related("department")
        .order_by("-active_pairs", "sort_name")
    )


def plans() -> QuerySet[Mentorship]:
    """Active pairs with their plan's progress, those with the most overdue steps first."""
    today = timezone.localdate()
    return (
        Mentorship.objects.filter(status=Mentorship.Status.ACTIVE)
        .select_related("mentor", "newcomer")
        .annotate(
            steps_total=Count("steps"),
            steps_done=Count("steps", filter=Q(steps__done_at__isnull=False)),
            steps_overdue=Count(
                "steps", filter=Q(steps__done_at__isnull=True, steps__due_on__lt=today)
            ),
        )
        .order_by("-steps_overdue", "ends_on", "pk")
    )


def feedback_in(period: Period) -> QuerySet[Feedback]:
    start, end = period.bounds
    return (
        Feedback.objects.filter(created_at__gte=start, created_at__lt=end)
        .select_related("mentorship__mentor", "mentorship__newcomer")
        .order_by("-created_at")
    )


# Retention ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    hired: int = 0
    left: int = 0
    in_first_year: int = 0

    @property
    def left_share(self) -> float | None:
        return share(self.left, self.hired)


@dataclass(frozen=True)
class Cohort:
    quarter: datetime.date
    mentored: Group
    others: Group
    year_over: bool

    @property
    def change(self) -> float | None:
        return relative_change(self.mentored, self.others)


def relative_change(mentored: Group, others: Group) -> float | None:
    """The mentored share of early leavers against the others': Kazan's −30 % is -0.3."""
    if mentored.left_share is None or not others.left_share:
        return None
    return mentored.left_share / others.left_share - 1


def retention(hired: Period) -> list[Cohort]:
    """Employees hired in the period by quarter, mentored or not: how many left in year one.

    Mentored means a pair of theirs as newcomer got as far as starting. Left in year one
    means a service end before the first anniversary of the service start.
    """
    today_stamp = datestamp(timezone.localdate())
    was_mentored = Exists(
        Mentorship.objects.filter(
            newcomer=OuterRef("pk"),
            status__in=[
                Mentorship.Status.ACTIVE,
                Mentorship.Status.COMPLETED,
                Mentorship.Status.ENDED,
            ],
        )
    )
    rows = (
        User.objects.filter(service_start__gte=hired.start, service_start__lte=hired.end)
        .annotate(
            cohort=TruncQuarter("service_start"),
            mentored=was_mentored,
            tenure=datestamp_distance("service_start", "service_end"),
            started=datestamp_of("service_start"),
        )
        .order_by()
        .values("cohort", "mentored")
        .annotate(
            hired=Count("pk"),
            left=Count("pk", filter=Q(service_end__isnull=False, tenure__lt=ONE_YEAR)),
            in_first_year=Count(
                "pk", filter=Q(service_end__isnull=True, started__gt=today_stamp - ONE_YEAR)
            ),
        )
    )
    groups: dict[datetime.date, dict[bool, Group]] = {}
    for row in rows:
        groups.setdefault(_local_date(row["cohort"]), {})[bool(row["mentored"])] = Group(
            row["hired"], row["left"], row["in_first_year"]
        )
    return [
        Cohort(
            quarter,
            mentored=by_flag.get(True, Group()),
            others=by_flag.get(False, Group()),
            year_over=today_stamp - datestamp(quarter_end(quarter)) >= ONE_YEAR,
        )
        for quarter, by_flag in sorted(groups.items())
    ]


def retention_totals(cohorts: list[Cohort]) -> tuple[Group, Group]:
    """Mentored and others summed over the cohorts whose first year is over."""
    over = [c for c in cohorts if c.year_over]
    mentored, others = (
        Group(sum(getattr(c, side).hired for c in over), sum(getattr(c, side).left for c in over))
        for side in ("mentored", "others")
    )
    return mentored, others
