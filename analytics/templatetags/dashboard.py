import datetime

from django import template

from analytics.exports import duration_text, html_value
from analytics.tables import Percent

register = template.Library()

register.filter("cell", html_value)


@register.filter
def percent(fraction: float | None) -> str:
    return html_value(Percent(fraction))


@register.filter
def duration(value: datetime.timedelta) -> str:
    return duration_text(value)


@register.filter
def absolute(number: float) -> float:
    return abs(number)
