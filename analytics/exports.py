"""Cells as people read them on the page, and as spreadsheets read them in CSV."""

from __future__ import annotations

import datetime

from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from analytics.tables import Cell, Hours, Link, Percent

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_row(cells: tuple[Cell, ...]) -> list[str | int | float]:
    return [_csv_value(cell) for cell in cells]


def _csv_value(cell: Cell) -> str | int | float:
    match cell:
        case None:
            return ""
        case bool():
            return _("yes") if cell else _("no")
        case Link(text=text):
            return _defused(text)
        case Percent(fraction=fraction) if fraction is not None:
            return round(100 * fraction, 1)
        case Hours(duration=duration) if duration is not None:
            return round(duration.total_seconds() / 3600, 1)
        case Percent() | Hours():  # nothing to measure
            return ""
        case datetime.datetime():
            return timezone.localtime(cell).strftime("%Y-%m-%d %H:%M")
        case datetime.date():
            return cell.isoformat()
        case float():
            return round(cell, 2)
        case str() | Promise():
            return _defused(str(cell))
    return cell


def _defused(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def html_value(cell: Cell) -> SafeString | str:
    match cell:
        case None | Percent(fraction=None) | Hours(duration=None):
            return "—"
        case bool():
            return _("yes") if cell else _("no")
        case Link(text=text, url=url):
            return format_html('<a href="{}">{}</a>', url, text)
        case Percent(fraction=fraction) if fraction is not None:
            return percent_text(100 * fraction, 1)
        case Hours(duration=duration) if duration is not None:
            return duration_text(duration)
        case datetime.datetime():
            return format_date(timezone.localtime(cell), "SHORT_DATETIME_FORMAT")
        case datetime.date():
            return format_date(cell, "SHORT_DATE_FORMAT")
        case float():
            return number_format(cell, 2)
        case int():
            return number_format(cell, force_grouping=True)
    return str(cell)


def percent_text(percent: float, decimals: int) -> str:
    """«12,5 %»: the sign stays on the number's line."""
    return f"{number_format(percent, decimals)}\u00a0%"


def duration_text(duration: datetime.timedelta) -> str:
    minutes = round(duration.total_seconds() / 60)
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    if minutes < 48 * 60:
        return _("%(hours)s h %(minutes)s min") % {"hours": minutes // 60, "minutes": minutes % 60}
    return _("%(days)s days %(hours)s h") % {"days": minutes // 1440, "hours": minutes % 1440 // 60}
