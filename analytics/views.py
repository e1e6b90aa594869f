from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from analytics import dashboard as page
from analytics.exports import csv_row
from analytics.forms import DashboardFilter
from analytics.tables import TABLES, Periods, Table
from mentoring import rules
from profiles.types import MemberRequest


def _filter_for(request: MemberRequest) -> DashboardFilter:
    if not rules.is_coordinator(request.user):
        raise PermissionDenied(_("The dashboard is for coordinators."))
    return DashboardFilter.from_query(request.GET)


@login_required
@require_GET
def dashboard(request: MemberRequest) -> HttpResponse:
    form = _filter_for(request)
    if not form.is_valid():
        return render(request, "analytics/dashboard.html", {"form": form}, status=400)
    periods = Periods(*form.periods())
    return render(
        request,
        "analytics/dashboard.html",
        {"form": form, "periods": periods, "query": form.query(), **page.context(periods)},
    )


@login_required
@require_GET
def export(request: MemberRequest, slug: str) -> HttpResponseBase:
    """One table as CSV, every row of it, for the same date ranges as the page."""
    form = _filter_for(request)
    table = TABLES.get(slug)
    if table is None:
        raise Http404
    if not form.is_valid():
        return HttpResponseBadRequest(
            " ".join(str(message) for messages in form.errors.values() for message in messages),
            content_type="text/plain; charset=utf-8",
        )
    periods = Periods(*form.periods())
    response = StreamingHttpResponse(
        _lines(table, periods, translation.get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="nastavnik-{slug}-{periods.activity.start:%Y%m%d}-'
        f'{periods.activity.end:%Y%m%d}.csv"'
    )
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _lines(table: Table, periods: Periods, language: str) -> Iterator[str]:
    # The server iterates after the view has returned, outside the request's language.
    with translation.override(language):
        # The byte order mark makes Excel read the file as UTF-8, not in the ANSI code page.
        yield "\ufeff"
        writer = csv.writer(_Echo())
        yield writer.writerow([str(column) for column in table.columns])
        source = table.source(periods)
        rows = source.iterator(chunk_size=2000) if isinstance(source, QuerySet) else source
        for item in rows:
            yield writer.writerow(csv_row(table.cells(item)))
