from __future__ import annotations

from allauth.account.views import LoginView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from community.forms import apply_validation_error
from profiles import activity, selectors, services
from profiles.employee_import import employee_import_start, employee_import_write_checked
from profiles.forms import (
    AvatarForm,
    DecisionForm,
    DirectoryFilterForm,
    EmployeeImportForm,
    MentorApplicationForm,
    ProfileForm,
)
from profiles.models import EmployeeImport, MentorApplication
from profiles.types import MemberRequest

DIRECTORY_PAGE_SIZE = 24


class RateLimitedLoginView(LoginView):
    """allauth's login, answering 429 rather than 200 once failed attempts hit the limit.

    allauth reports the limit as a form error; the status code lets proxies, monitoring
    and scripted clients see the throttling for what it is.
    """

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "too_many_login_attempts"):
            response.status_code = 429
        return response


login = RateLimitedLoginView.as_view()


# --- Directory and profiles ------------------------------------------------------


@login_required
@require_GET
@vary_on_headers("HX-Request")
def directory(request: MemberRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    form.is_valid()  # a bad filter is dropped alone; the valid ones still apply
    filters = getattr(form, "cleaned_data", {})
    department = filters.get("department")
    members = selectors.members_directory(
        query=filters.get("q", ""),
        department_id=department.pk if department else None,
        role=filters.get("role", ""),
        expertise_slug=filters.get("expertise", ""),
    )
    page = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    context = {"form": form, "page": page, "query_string": query_without_page.urlencode()}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "profiles/partials/directory_results.html", context)
    return render(request, "profiles/directory.html", context)


@login_required
@require_GET
def profile_by_id(request: MemberRequest, pk: int) -> HttpResponse:
    return redirect(selectors.member_get(pk=pk), permanent=True)


@login_required
@require_GET
def profile(request: MemberRequest, slug: str) -> HttpResponse:
    member = selectors.member_get(slug=slug)
    return render(
        request,
        "profiles/profile.html",
        {
            "member": member,
            "panels": activity.panels_for(member, request.user),
            "buttons": activity.buttons_for(member, request.user),
        },
    )


@login_required
@require_GET
def avatar(request: MemberRequest, slug: str) -> FileResponse:
    member = selectors.member_get(slug=slug)
    if not member.avatar:
        raise Http404
    try:
        response = FileResponse(member.avatar.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None
    # The URL carries the file name, so a new photo gets a new URL and a long cache is safe.
    response["Cache-Control"] = "private, max-age=604800, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Own profile -----------------------------------------------------------------


@login_required
def profile_edit(request: MemberRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect(user)
    elif request.method == "POST":
        # ModelForm validation wrote the posted values onto request.user; undo that.
        user.refresh_from_db()
    return render(
        request,
        "profiles/profile_edit.html",
        {
            "form": form,
            "avatar_form": AvatarForm(),
        },
    )


@login_required
@require_POST
def avatar_upload(request: MemberRequest) -> HttpResponse:
    form = AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.avatar_set(user=request.user, upload=form.cleaned_data["avatar"])
        except ValidationError as error:
            form.add_error("avatar", error)
    # The page's script sends the photo itself, with a progress bar, and asks for JSON.
    wants_json = not request.accepts("text/html")
    if form.errors:
        if wants_json:
            return JsonResponse(
                {"error": " ".join(str(error) for error in form.errors["avatar"])}, status=400
            )
        return render(
            request,
            "profiles/profile_edit.html",
            {
                "form": ProfileForm(instance=request.user),
                "avatar_form": form,
            },
            status=400,
        )
    messages.success(request, _("Your photo has been updated."))
    if wants_json:
        return JsonResponse({"redirect": reverse("profiles:edit")})
    return redirect("profiles:edit")


@login_required
@require_POST
def avatar_delete(request: MemberRequest) -> HttpResponse:
    services.avatar_remove(user=request.user)
    messages.success(request, _("Your photo has been removed."))
    return redirect("profiles:edit")


# --- Mentor applications ---------------------------------------------------------


@login_required
def mentor_apply(request: MemberRequest) -> HttpResponse:
    latest = selectors.mentor_application_latest(applicant=request.user)
    can_apply = request.user.is_newcomer and not (latest and latest.is_pending)
    form = MentorApplicationForm(
        request.POST or None, initial={"expertise": request.user.expertise.all()}
    )
    if request.method == "POST":
        if not can_apply:
            form.add_error(None, _("You cannot submit an application right now."))
        elif form.is_valid():
            try:
                services.mentor_application_submit(applicant=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, _("Thank you! Your application has been sent to the coordinators.")
                )
                return redirect("profiles:apply")
    return render(
        request,
        "profiles/mentor_apply.html",
        {
            "form": form,
            "latest": latest,
            "can_apply": can_apply,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def mentor_application_withdraw(request: MemberRequest, pk: int) -> HttpResponse:
    application = selectors.mentor_application_get_for(request.user, pk)
    try:
        services.mentor_application_withdraw(application=application, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect("profiles:apply")


@login_required
@require_GET
def mentor_applications(request: MemberRequest) -> HttpResponse:
    if not request.user.is_coordinator:
        raise PermissionDenied
    status = request.GET.get("status", MentorApplication.Status.PENDING)
    if status not in MentorApplication.Status.values:
        status = MentorApplication.Status.PENDING
    page = Paginator(selectors.mentor_applications_for_review(status=status), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "profiles/mentor_applications.html",
        {
            "page": page,
            "status": status,
            "statuses": MentorApplication.Status.choices,
        },
    )


@login_required
def mentor_application(request: MemberRequest, pk: int) -> HttpResponse:
    application = selectors.mentor_application_get_for(request.user, pk)
    if request.method == "POST" and not request.user.is_coordinator:
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_application_decide(
                application=application,
                coordinator=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The decision has been saved and the applicant notified."))
            return redirect("profiles:applications")
    return render(
        request,
        "profiles/mentor_application.html",
        {
            "application": application,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def member_suggestions(request: MemberRequest) -> JsonResponse:
    """Members whose name or address starts like ?q=, for @mentions and invitations."""
    members = selectors.members_for_mention(request.GET.get("q", ""))
    return JsonResponse(
        {"members": [{"id": m.pk, "slug": m.slug, "name": m.full_name} for m in members]}
    )


IMPORT_MAX_BYTES = 5 * 1024 * 1024


@login_required
@require_http_methods(["GET", "POST"])
def employee_import(request: MemberRequest) -> HttpResponse:
    """Coordinators upload the HR system's CSV; a worker checks it (a dry run first) or
    imports it, and the status page follows its progress."""
    if not request.user.is_coordinator:
        raise PermissionDenied
    form = EmployeeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            job = employee_import_start(
                coordinator=request.user,
                upload=upload,
                dry_run=form.cleaned_data["dry_run"],
                partial=form.cleaned_data["partial"],
            )
            return redirect(job)
    return render(
        request,
        "profiles/employee_import.html",
        {"form": form, "recent": selectors.recent_imports()},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def employee_import_status(request: MemberRequest, pk: int) -> HttpResponse:
    """An import's progress and report; while it runs, the page asks again every second."""
    if not request.user.is_coordinator:
        raise PermissionDenied
    job = get_object_or_404(EmployeeImport, pk=pk)
    if request.method == "POST":  # import the file that was just checked, without re-upload
        try:
            job = employee_import_write_checked(
                coordinator=request.user, checked=job, partial=request.POST.get("partial") == "on"
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(job)
    template = (
        "profiles/partials/import_status.html"
        if request.htmx
        else "profiles/employee_import_status.html"
    )
    return render(request, template, {"job": job})
