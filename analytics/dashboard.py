"""The dashboard page: figures from the selectors, charts from them, tables cut to a page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext as _

from analytics import selectors
from analytics.charts import Bar, Chart, Series, bar_chart
from analytics.exports import percent_text
from analytics.tables import (
    ACTIVITY,
    FEEDBACK,
    MENTOR_LOAD,
    PLANS,
    RETENTION,
    UNANSWERED,
    Cell,
    Periods,
    Table,
    cohort_label,
    summary_rows,
)

ROWS_SHOWN = 15


@dataclass(frozen=True)
class ShownTable:
    """The first rows of a table on the page; the CSV export has them all."""

    table: Table
    rows: list[tuple[Cell, ...]]
    total: int


def shown(table: Table, source: QuerySet | list) -> ShownTable:
    total = source.count() if isinstance(source, QuerySet) else len(source)
    return ShownTable(table, table.rows(source[:ROWS_SHOWN]), total)


def context(periods: Periods) -> dict:
    health = selectors.health(periods.activity)
    figures = selectors.mentoring(periods.activity)
    bucket, activity = selectors.activity_by_week(periods.activity)
    cohorts = selectors.retention(periods.hired)
    mentored, others = selectors.retention_totals(cohorts)
    return {
        "health": health,
        "figures": figures,
        "summary": summary_rows(health, figures),
        "activity_charts": _activity_charts(bucket, activity),
        "activity": ShownTable(ACTIVITY, ACTIVITY.rows(activity), len(activity)),
        "ratings_chart": _ratings_chart(figures),
        "unanswered": shown(UNANSWERED, selectors.unanswered_questions(periods.activity)),
        "mentor_load": shown(MENTOR_LOAD, selectors.mentor_load()),
        "plans": shown(PLANS, selectors.plans()),
        "feedback": shown(FEEDBACK, selectors.feedback_in(periods.activity)),
        "retention": ShownTable(RETENTION, RETENTION.rows(cohorts), len(cohorts)),
        "retention_chart": _retention_chart(cohorts),
        "retention_mentored": mentored,
        "retention_others": others,
        "retention_change": selectors.relative_change(mentored, others),
        "cohorts_in_first_year": sum(not cohort.year_over for cohort in cohorts),
    }


def _activity_charts(bucket: str, activity: list[selectors.ActivityBucket]) -> list[Chart]:
    weekly = bucket == "week"
    labels = [format_date(b.start, "d.m" if weekly else "m.Y") for b in activity]
    charts = []
    for field, title in (
        ("threads", _("New threads")),
        ("replies", _("Forum replies")),
        ("chat_messages", _("Chat messages")),
    ):
        per = _("per week") if weekly else _("per month")
        bars = [
            Bar(
                getattr(b, field),
                str(getattr(b, field)),
                _("%(start)s: %(count)s") % {"start": label, "count": getattr(b, field)},
            )
            for b, label in zip(activity, labels, strict=True)
        ]
        charts.append(
            bar_chart(
                chart_id=f"activity-{field}",
                title=f"{title}, {per}",
                description=_("Bars from %(first)s to %(last)s; the table below has the numbers.")
                % {"first": labels[0], "last": labels[-1]}
                if labels
                else "",
                labels=labels,
                series=[Series(title, bars)],
            )
        )
    return charts


def _ratings_chart(figures: selectors.MentoringFigures) -> Chart:
    bars = [
        Bar(
            count,
            str(count),
            _("Rating %(rating)s: %(count)s") % {"rating": rating, "count": count},
        )
        for rating, count in figures.ratings.items()
    ]
    return bar_chart(
        chart_id="ratings",
        title=_("Ratings of mentors, 1 to 5"),
        description=_("How many newcomers gave each rating."),
        labels=[str(rating) for rating in figures.ratings],
        series=[Series(_("Feedback forms"), bars)],
    )


def _retention_chart(cohorts: list[selectors.Cohort]) -> Chart:
    def label(cohort: selectors.Cohort, separator: str = " ") -> str:
        return cohort_label(cohort.quarter, separator) + ("" if cohort.year_over else "*")

    series = [
        Series(
            name, [_retention_bar(getattr(cohort, side), name, label(cohort)) for cohort in cohorts]
        )
        for side, name in (("mentored", _("With a mentor")), ("others", _("Without a mentor")))
    ]
    return bar_chart(
        chart_id="retention",
        title=_("Share who left in their first year, by hiring quarter"),
        description=_(
            "Two bars per quarter: with a mentor (solid) and without (hatched). "
            "A star marks quarters whose first year is not over yet."
        ),
        labels=[label(cohort, separator="\n") for cohort in cohorts],
        series=series,
        width=960,
    )


def _retention_bar(group: selectors.Group, side: str, cohort: str) -> Bar:
    percent = None if group.left_share is None else 100 * group.left_share
    text = "—" if percent is None else percent_text(percent, 0)
    return Bar(
        percent,
        text,
        _("%(cohort)s, %(side)s: %(left)s of %(hired)s left in the first year (%(share)s)")
        % {
            "cohort": cohort,
            "side": side.lower(),
            "left": group.left,
            "hired": group.hired,
            "share": text,
        },
    )
