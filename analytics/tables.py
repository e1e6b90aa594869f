"""The dashboard's tables: each one is shown on the page and exported to CSV from one source.

A table knows its columns and how to turn a source row into cells. Cells are typed (a share, a
duration, a link) so that the page prints them for people («12,5 %», «3 ч 20 мин») while the
CSV keeps plain numbers a spreadsheet can sum.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from analytics import selectors
from analytics.periods import Period

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Percent:
    fraction: float | None


@dataclass(frozen=True)
class Hours:
    duration: datetime.timedelta | None


Cell = str | Promise | int | float | bool | datetime.date | Link | Percent | Hours | None


@dataclass(frozen=True)
class Periods:
    activity: Period
    hired: Period


@dataclass(frozen=True)
class Table:
    slug: str
    title: StrOrPromise
    columns: tuple[StrOrPromise, ...]
    source: Callable[[Periods], QuerySet | list]
    # One row of the source (a model, an annotated row or a dataclass) -> its cells.
    cells: Callable[[Any], tuple[Cell, ...]]

    def rows(self, source: Iterable) -> list[tuple[Cell, ...]]:
        return [self.cells(item) for item in source]


def _member(user) -> Link:
    return Link(user.full_name, user.get_absolute_url())


def _department(user) -> str:
    return user.department.name if user.department else ""


def _pair(pair) -> Link:
    return Link(f"{pair.mentor.full_name} → {pair.newcomer.full_name}", pair.get_absolute_url())


def _summary(periods: Periods) -> list[tuple[StrOrPromise, Cell]]:
    health = selectors.health(periods.activity)
    figures = selectors.mentoring(periods.activity)
    return summary_rows(health, figures)


def summary_rows(
    health: selectors.Health, figures: selectors.MentoringFigures
) -> list[tuple[StrOrPromise, Cell]]:
    return [
        (_("Members in service"), health.members),
        (_("Active members"), health.active_members),
        (_("Active mentors"), health.active_mentors),
        (_("New threads"), health.threads),
        (_("Forum replies"), health.replies),
        (_("Chat messages"), health.chat_messages),
        (_("Questions asked"), health.questions),
        (_("Answered within 24 hours"), Percent(health.answered_within_day_share)),
        (_("Median time to the first answer, hours"), Hours(health.median_first_answer)),
        (_("Questions without an answer"), health.unanswered),
        (_("Active pairs"), figures.active_pairs),
        (_("Proposals awaiting a mentor"), figures.proposed_pairs),
        (_("Pairs started"), figures.started),
        (_("Pairs completed"), figures.completed),
        (_("Pairs ended early"), figures.ended_early),
        (_("Mentors"), figures.mentors),
        (_("Mentors at capacity"), figures.mentors_full),
        (_("Free places with mentors"), figures.free_places),
        (_("Plan steps done in active pairs"), Percent(figures.plan_completion)),
        (_("Overdue plan steps"), figures.steps_overdue),
        (_("Feedback forms"), figures.feedback_count),
        (_("Average rating"), figures.feedback_average),
        (_("Found the mentor helpful"), Percent(figures.helpful_share)),
    ]


def _retention_cells(cohort: selectors.Cohort) -> tuple[Cell, ...]:
    return (
        cohort_label(cohort.quarter),
        cohort.mentored.hired,
        cohort.mentored.left,
        Percent(cohort.mentored.left_share),
        cohort.others.hired,
        cohort.others.left,
        Percent(cohort.others.left_share),
        Percent(cohort.change),
        cohort.year_over,
    )


def cohort_label(quarter: datetime.date, separator: str = " ") -> str:
    """«2 кв. 2025»; a chart breaks it in two lines."""
    return _("Q%(quarter)s%(separator)s%(year)s") % {
        "quarter": (quarter.month - 1) // 3 + 1,
        "separator": separator,
        "year": quarter.year,
    }


SUMMARY = Table("summary", _("Key figures"), (_("Figure"), _("Value")), _summary, tuple)
ACTIVITY = Table(
    "activity",
    _("Activity"),
    (_("Period starting"), _("New threads"), _("Forum replies"), _("Chat messages")),
    lambda periods: selectors.activity_by_week(periods.activity)[1],
    lambda bucket: (bucket.start, bucket.threads, bucket.replies, bucket.chat_messages),
)
UNANSWERED = Table(
    "unanswered",
    _("Questions without an answer"),
    (_("Question"), _("Asked"), _("Asked by"), _("Department"), _("Category")),
    lambda periods: selectors.unanswered_questions(periods.activity),
    lambda thread: (
        Link(thread.title, thread.get_absolute_url()),
        thread.created_at,
        thread.author.full_name,
        _department(thread.author),
        thread.category.name,
    ),
)
MENTOR_LOAD = Table(
    "mentor-load",
    _("Load per mentor"),
    (_("Mentor"), _("Department"), _("Active pairs"), _("Capacity"), _("Accepting new mentees")),
    lambda periods: selectors.mentor_load(),
    lambda mentor: (
        _member(mentor),
        _department(mentor),
        mentor.active_pairs,
        mentor.mentor_capacity,
        mentor.accepting_mentees,
    ),
)
PLANS = Table(
    "plans",
    _("Adaptation plans of active pairs"),
    (_("Pair"), _("Ends"), _("Steps done"), _("Steps"), _("Overdue")),
    lambda periods: selectors.plans(),
    lambda pair: (_pair(pair), pair.ends_on, pair.steps_done, pair.steps_total, pair.steps_overdue),
)
FEEDBACK = Table(
    "feedback",
    _("Newcomers' feedback"),
    (_("Pair"), _("Given"), _("Rating"), _("The mentor was helpful"), _("Comment")),
    lambda periods: selectors.feedback_in(periods.activity),
    lambda feedback: (
        _pair(feedback.mentorship),
        feedback.created_at,
        feedback.rating,
        feedback.helpful,
        feedback.comment,
    ),
)
RETENTION = Table(
    "retention",
    _("Left in the first year, by hiring quarter"),
    (
        _("Hired in"),
        _("Mentored: hired"),
        _("Mentored: left"),
        _("Mentored: share left"),
        _("Not mentored: hired"),
        _("Not mentored: left"),
        _("Not mentored: share left"),
        _("Change in the share with a mentor"),
        pgettext_lazy("cohort", "First year over for all"),
    ),
    lambda periods: selectors.retention(periods.hired),
    _retention_cells,
)

TABLES = {
    table.slug: table
    for table in (SUMMARY, ACTIVITY, UNANSWERED, MENTOR_LOAD, PLANS, FEEDBACK, RETENTION)
}
