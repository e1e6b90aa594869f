"""Project-level pages: the home dashboard and the health check.

Unlike the community core (markup, search, realtime), these sit on top of the house
and may read from any app's selectors.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from community import search
from community.home import panels_for as home_panels_for
from community.ratelimit import too_many_attempts
from community.search_forms import SearchForm
from community.types import AuthedRequest
from profiles import selectors as profile_selectors

HEALTH_TIMEOUT_SECONDS = 3.0


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"counts": profile_selectors.community_counts()}
    user = request.user
    if user.is_authenticated:
        if user.is_coordinator:
            context["pending_applications"] = profile_selectors.mentor_applications_pending_count()
        if user.is_newcomer:
            context["application"] = profile_selectors.mentor_application_latest(applicant=user)
        context["panels"] = home_panels_for(user)
    return render(request, "home.html", context)


@login_required
@require_GET
def search_page(request: AuthedRequest) -> HttpResponse:
    """One search over everything the member may read; results grouped by type."""
    form = SearchForm(request.GET or None, user=request.user)
    groups = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        groups = search.search(request.user, form.cleaned_data["q"], form.filters())
    template = "search_results.html" if request.htmx else "search.html"
    return render(
        request,
        template,
        {
            "form": form,
            "groups": groups,
            "query": form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else "",
        },
    )


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: with hashed static files the name is known only after collectstatic.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def _error_page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "error_page.html", {"title": title, "text": text}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        400,
        _("Bad request"),
        _("The request could not be understood. Go back and try again."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error_page(
        request,
        403,
        _("The form has expired"),
        _(
            "The page was open too long or your session ended. Go back, reload the page "
            "and send the form again."
        ),
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403, _("Access denied"), _("You do not have access to this page."))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request, 404, _("Page not found"), _("The page does not exist or has been removed.")
    )


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return too_many_attempts(request)


@never_cache
async def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: can we reach the database and the channel layer?"""
    checks = {
        "database": await _check(sync_to_async(_database_answers)),
        "channel_layer": await _check(_channel_layer_round_trip),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )


async def _check(probe) -> dict:
    try:
        await asyncio.wait_for(probe(), HEALTH_TIMEOUT_SECONDS)
    except Exception as error:  # any failure means unhealthy; the type says which
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def _database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


async def _channel_layer_round_trip() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    # The default prefix, not a name of our own: channels_redis receives every channel of a
    # process through one key per prefix, and while a socket's consumer holds the process's
    # receive loop on "specific.", a "healthz." channel would never be read (a 503 whenever
    # anyone was connected).
    channel = await layer.new_channel()
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "healthz", "token": token})
    message = await layer.receive(channel)
    if message.get("token") != token:
        raise RuntimeError("channel layer returned another message")
