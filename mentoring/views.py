from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community.forms import apply_validation_error
from mentoring import routing, rules, selectors, services
from mentoring.forms import (
    FeedbackForm,
    MeetingForm,
    ProposeForm,
    ReasonForm,
    ReportForm,
)
from profiles import selectors as profile_selectors
from profiles.types import MemberRequest


@login_required
@require_GET
def index(request: MemberRequest) -> HttpResponse:
    pairs = list(selectors.pairs_for(request.user)[:200])
    return render(
        request,
        "mentoring/index.html",
        {
            "pairs": pairs,
            "can_propose": rules.is_coordinator(request.user),
            "routing": selectors.routing_enabled(request.user) if request.user.is_mentor else None,
        },
    )


@login_required
@require_POST
def routing_toggle(request: MemberRequest) -> HttpResponse:
    if not request.user.is_mentor:
        raise PermissionDenied(_("Questions are routed to mentors."))
    routing.routing_set(user=request.user, enabled=request.POST.get("enabled") == "1")
    return redirect("mentoring:index")


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: MemberRequest) -> HttpResponse:
    if not rules.is_coordinator(request.user):
        raise PermissionDenied(_("Only coordinators propose pairs."))
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pair = services.mentorship_propose(
                coordinator=request.user,
                mentor=data["mentor"],
                newcomer=data["newcomer"],
                message=data["message"],
                starts_on=data["starts_on"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Proposed; the mentor decides."))
            return redirect(pair)
    return render(
        request, "mentoring/propose.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def request_mentor(request: MemberRequest) -> HttpResponse:
    """A newcomer asks a mentor from their profile («Попросить в наставники»)."""
    mentor = profile_selectors.member_get(slug=request.POST.get("member", ""))
    try:
        pair = services.mentorship_request(
            newcomer=request.user, mentor=mentor, message=request.POST.get("message", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(mentor)
    messages.success(request, _("Asked; %(name)s will answer.") % {"name": mentor.full_name})
    return redirect(pair)


@login_required
@require_GET
def pair(request: MemberRequest, pk: int) -> HttpResponse:
    shown = selectors.pair_get_for(request.user, pk)
    user = request.user
    steps, progress = selectors.plan_for(shown)
    return render(
        request,
        "mentoring/pair.html",
        {
            "pair": shown,
            "events": shown.events.select_related("actor"),
            "steps": steps,
            "progress": progress,
            "can_tick": rules.can_tick(user, shown),
            "meetings": selectors.meetings_for(shown),
            "meeting_form": MeetingForm(),
            "can_log_meeting": rules.can_log_meeting(user, shown),
            "feedback_form": FeedbackForm(),
            "report_form": ReportForm(),
            **selectors.closing_for(user, shown),
            "reason_form": ReasonForm(),
            "can_answer": rules.can_answer(user, shown),
            "can_end": rules.can_end(user, shown),
            "can_withdraw": rules.can_withdraw(user, shown),
            "can_complete": rules.can_complete(user, shown),
        },
    )


_ACTIONS = {
    "accept": lambda user, p, reason: services.mentorship_accept(mentor=user, pair=p),
    "decline": lambda user, p, reason: services.mentorship_decline(
        mentor=user, pair=p, reason=reason
    ),
    "withdraw": lambda user, p, reason: services.mentorship_withdraw(actor=user, pair=p),
    "end": lambda user, p, reason: services.mentorship_end(actor=user, pair=p, reason=reason),
    "complete": lambda user, p, reason: services.mentorship_complete(actor=user, pair=p),
}


@login_required
@require_POST
def act(request: MemberRequest, pk: int, action: str) -> HttpResponse:
    handler = _ACTIONS.get(action)
    if handler is None:
        raise Http404
    shown = selectors.pair_get_for(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        handler(request.user, shown, reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(shown)


@login_required
@require_POST
def step_toggle(request: MemberRequest, pk: int) -> HttpResponse:
    step = selectors.step_get_for(request.user, pk)
    services.step_set_done(user=request.user, step=step, done=request.POST.get("done") == "1")
    return redirect(f"{step.mentorship.get_absolute_url()}#step-{step.pk}")


@login_required
@require_POST
def meeting(request: MemberRequest, pk: int) -> HttpResponse:
    return _closing_form(
        request,
        pk,
        MeetingForm,
        lambda user, pair, data: services.meeting_log(mentor=user, pair=pair, **data),
    )


@login_required
@require_POST
def feedback(request: MemberRequest, pk: int) -> HttpResponse:
    return _closing_form(
        request,
        pk,
        FeedbackForm,
        lambda user, pair, data: services.feedback_give(newcomer=user, pair=pair, **data),
    )


@login_required
@require_POST
def report(request: MemberRequest, pk: int) -> HttpResponse:
    return _closing_form(
        request,
        pk,
        ReportForm,
        lambda user, pair, data: services.report_write(mentor=user, pair=pair, **data),
    )


def _closing_form(request: MemberRequest, pk: int, form_class, save) -> HttpResponse:
    """Meetings, feedback and the report: one form posted, saved, or its errors shown."""
    shown = selectors.pair_get_for(request.user, pk)
    form = form_class(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        save(request.user, shown, form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(shown)
