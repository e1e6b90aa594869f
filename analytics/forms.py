from __future__ import annotations

import datetime

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.periods import Period, quarters_before

EARLIEST = datetime.date(1990, 1, 1)
LATEST = datetime.date(2100, 12, 31)
LONGEST_DAYS = 3660
ACTIVITY_DAYS = 84
RETENTION_QUARTERS = 12


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date_field(label) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), input_formats=["%Y-%m-%d", "%d.%m.%Y"])


class DashboardFilter(forms.Form):
    """Two ranges: the activity period, and the hiring dates of the retention cohorts.

    Retention needs hires whose first year can be over, so its default reaches three years
    back, while activity defaults to the last twelve weeks.
    """

    start = _date_field(_("Activity from"))
    end = _date_field(_("Activity to"))
    hired_from = _date_field(_("Hired from"))
    hired_to = _date_field(_("Hired to"))

    @classmethod
    def from_query(cls, query: QueryDict) -> DashboardFilter:
        """The ranges asked for, with the defaults filled in so that the form shows them."""
        today = timezone.localdate()
        defaults = {
            "start": today - datetime.timedelta(days=ACTIVITY_DAYS - 1),
            "end": today,
            "hired_from": quarters_before(today, RETENTION_QUARTERS - 1),
            "hired_to": today,
        }
        data = {
            name: query.get(name) or f"{default:%Y-%m-%d}" for name, default in defaults.items()
        }
        return cls(data)

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        for first, last in (("start", "end"), ("hired_from", "hired_to")):
            if data.get(first) and data.get(last):
                self._check_range(data, first, last)
        return data

    def _check_range(self, data: dict, first: str, last: str) -> None:
        if not (EARLIEST <= data[first] <= LATEST and EARLIEST <= data[last] <= LATEST):
            self.add_error(
                first,
                _("Choose dates between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST.year, "latest": LATEST.year},
            )
        elif data[first] > data[last]:
            self.add_error(first, _("The start comes after the end."))
        elif (data[last] - data[first]).days >= LONGEST_DAYS:
            self.add_error(first, _("Choose a range of at most ten years."))

    def periods(self) -> tuple[Period, Period]:
        data = self.cleaned_data
        return Period(data["start"], data["end"]), Period(data["hired_from"], data["hired_to"])

    def query(self) -> str:
        """The ranges as a query string, so that exports and presets keep them."""
        activity, hired = self.periods()
        return (
            f"start={activity.start:%Y-%m-%d}&end={activity.end:%Y-%m-%d}"
            f"&hired_from={hired.start:%Y-%m-%d}&hired_to={hired.end:%Y-%m-%d}"
        )
