from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from community.forms import apply_validation_error
from community.notifications import selectors, services
from community.notifications.forms import PreferenceForm
from community.notifications.models import is_relative_url
from community.types import AuthedRequest

PAGE_SIZE = 30
# The bell's dropdown shows this many; the rest are on the full page.
RECENT_SIZE = 10


@login_required
@require_GET
@vary_on_headers("HX-Request")
def notification_list(request: AuthedRequest) -> HttpResponse:
    unread_only = request.GET.get("filter") == "unread"
    notifications = selectors.notifications_for(request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "query_string": "filter=unread" if unread_only else "",
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_GET
def notification_recent(request: AuthedRequest) -> HttpResponse:
    """The bell's dropdown: the member's latest notifications, as a fragment for htmx."""
    notifications = selectors.notifications_for(request.user)[:RECENT_SIZE]
    # "Mark all as read" brings the member back to the page the dropdown opened on.
    back = request.htmx.current_url_abs_path if request.htmx else None
    context = {"notifications": notifications, "next": back or reverse("notifications:list")}
    return render(request, "notifications/partials/recent.html", context)


@login_required
@require_GET
def badge(request: AuthedRequest) -> HttpResponse:
    """The header badge alone, for tabs that heard of new or read notifications live."""
    return render(request, "notifications/partials/badge.html")


@login_required
@require_GET
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = services.notification_open(user=request.user, pk=pk)
    # The service validated the path on write; checking again keeps this from ever
    # becoming an open redirect, whatever got into the table.
    if not is_relative_url(notification.url):
        return redirect("notifications:list")
    return redirect(notification.url)


@login_required
@require_POST
def notifications_read_all(request: AuthedRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preference_edit(request: AuthedRequest) -> HttpResponse:
    in_app, email = selectors.kinds_wanted_by(request.user)
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={
            "email_mode": selectors.preference_for(request.user).email_mode,
            "in_app": in_app,
            "email": email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
