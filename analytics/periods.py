"""Date ranges of the dashboard, the calendar arithmetic of cohorts and anniversaries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import ExpressionWrapper, IntegerField
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone


@dataclass(frozen=True)
class Period:
    """Whole local days, both ends included."""

    start: datetime.date
    end: datetime.date

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware datetimes, [first midnight, midnight after the last day)."""
        return (_midnight(self.start), _midnight(self.end + datetime.timedelta(days=1)))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarters_before(day: datetime.date, quarters: int) -> datetime.date:
    """The first day of the quarter that many quarters before the one holding `day`."""
    start = quarter_start(day)
    months = start.year * 12 + start.month - 1 - 3 * quarters
    return datetime.date(months // 12, months % 12 + 1, 1)


def quarter_end(day: datetime.date) -> datetime.date:
    following = next_month(next_month(next_month(quarter_start(day))))
    return following - datetime.timedelta(days=1)


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


# A first year is over on the first anniversary, which is not a fixed number of days (leap
# years, 29 February). As a number YYYYMMDD a date's anniversary is exactly 10000 more, so
# "left before the anniversary" is a difference of such numbers, the same on every database.
ONE_YEAR = 10_000


def datestamp(day: datetime.date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


def datestamp_of(field: str) -> ExpressionWrapper:
    return ExpressionWrapper(
        ExtractYear(field) * 10_000 + ExtractMonth(field) * 100 + ExtractDay(field),
        output_field=IntegerField(),
    )


def datestamp_distance(field_from: str, field_to: str) -> ExpressionWrapper:
    """The difference of two date fields as YYYYMMDD numbers: below ONE_YEAR is within a year."""
    return ExpressionWrapper(
        datestamp_of(field_to) - datestamp_of(field_from), output_field=IntegerField()
    )
