from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from community.notifications import registry, selectors, services
from community.notifications.forms import PreferenceForm
from community.notifications.models import is_relative_url
from community.types import AuthedRequest

PAGE_SIZE = 30


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
    preference = selectors.preference_for(request.user)
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"email_mode": preference.email_mode},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(user=request.user, email_mode=form.cleaned_data["email_mode"])
        except ValidationError as error:
            form.add_error("email_mode", error.message_dict.get("email_mode", error.messages))
        else:
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "kinds": [label for _kind, label in registry.registered_kinds()],
        },
        status=400 if form.errors else 200,
    )
