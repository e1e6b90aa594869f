"""The date ranges: defaults shown in the form, bad input refused with a message."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.forms import DashboardFilter

DASHBOARD = reverse("analytics:dashboard")


def test_form_shows_the_default_ranges(login, coordinator):
    today = timezone.localdate()
    page = login(coordinator).get(DASHBOARD).content.decode()
    assert f'name="end" value="{today:%Y-%m-%d}"' in page
    assert f'name="start" value="{today - datetime.timedelta(days=83):%Y-%m-%d}"' in page


def test_default_hiring_range_is_twelve_whole_quarters():
    form = DashboardFilter.from_query({})
    assert form.is_valid()
    _activity, hired = form.periods()
    assert hired.start.day == 1 and hired.start.month in (1, 4, 7, 10)
    months = (hired.end.year - hired.start.year) * 12 + hired.end.month - hired.start.month
    assert 33 <= months <= 35


@pytest.mark.parametrize(
    "query, field",
    [
        ({"start": "2026-13-01"}, "start"),
        ({"start": "не дата"}, "start"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "start"),
        ({"start": "1066-10-14", "end": "2026-04-01"}, "start"),
        ({"start": "2000-01-01", "end": "2026-04-01"}, "start"),
        ({"hired_from": "2026-05-01", "hired_to": "2026-04-01"}, "hired_from"),
    ],
)
def test_bad_range_is_refused_with_its_message(login, coordinator, query, field):
    response = login(coordinator).get(DASHBOARD, query)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[field]
    assert 'role="alert"' in response.content.decode()
    assert "health" not in response.context


def test_export_with_a_bad_range_is_400_with_the_reason(login, coordinator):
    response = login(coordinator).get(
        reverse("analytics:export", args=["activity"]), {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().strip()


def test_russian_dates_are_understood_too():
    form = DashboardFilter.from_query({"start": "01.09.2026", "end": "30.09.2026"})
    assert form.is_valid(), form.errors
    activity, _hired = form.periods()
    assert (activity.start, activity.end) == (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
    assert activity.days == 30
