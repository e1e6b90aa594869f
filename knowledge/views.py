from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chat import selectors as chat_selectors
from community.attachments.services import attachments_upload_all
from community.forms import apply_validation_error
from forum import selectors as forum_selectors
from knowledge import rules, selectors, services
from knowledge.forms import ArticleForm, VerifyForm
from knowledge.models import Article, Collection
from profiles.models import ExpertiseTag
from profiles.types import MemberRequest

MAX_SELECTED_IDS = 100


@login_required
@require_GET
def index(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/index.html",
        {
            "articles": selectors.published()[:100],
            "collections": Collection.objects.all(),
            "review_count": selectors.review_queue().count(),
            "can_write": rules.can_write(request.user),
        },
    )


@login_required
@require_GET
def collection(request: MemberRequest, slug: str) -> HttpResponse:
    chosen = get_object_or_404(Collection, slug=slug)
    return render(
        request,
        "knowledge/list.html",
        {
            "heading": chosen.name,
            "description": chosen.description,
            "articles": selectors.published(collection=chosen),
        },
    )


@login_required
@require_GET
def tag(request: MemberRequest, slug: str) -> HttpResponse:
    chosen = get_object_or_404(ExpertiseTag, slug=slug)
    return render(
        request,
        "knowledge/list.html",
        {"heading": f"#{chosen.name}", "articles": selectors.published(tag=chosen)},
    )


@login_required
@require_GET
def review_queue(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/list.html",
        {
            "heading": _("Needs review"),
            "articles": selectors.review_queue(),
            "description": _(
                "Published articles never verified, or verified longer ago than "
                "their review interval. Read one, fix it if needed, and verify it."
            ),
        },
    )


@login_required
@require_GET
def drafts(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/list.html",
        {"heading": _("Drafts"), "articles": selectors.drafts_for(request.user)},
    )


@login_required
@require_GET
def article(request: MemberRequest, slug: str) -> HttpResponse:
    shown = selectors.article_get_for(request.user, slug)
    user = request.user
    sources, hidden_sources = selectors.sources_for(user, shown)
    return render(
        request,
        "knowledge/article.html",
        {
            "article": shown,
            "credits": selectors.credits(shown),
            "sources": sources,
            "hidden_sources": hidden_sources,
            "can_edit": rules.can_edit(user, shown),
            "can_verify": rules.can_verify(user, shown),
            "can_publish": rules.can_publish(user, shown)
            and shown.status != Article.Status.PUBLISHED,
            "can_archive": rules.can_archive(user, shown)
            and shown.status != Article.Status.ARCHIVED,
            "verify_form": VerifyForm(initial={"review_interval_days": shown.review_interval_days}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: MemberRequest) -> HttpResponse:
    if not rules.can_write(request.user):
        raise PermissionDenied(_("Only mentors and coordinators write articles."))
    kind = request.POST.get("kind") or request.GET.get("kind") or Article.Kind.ARTICLE
    if kind not in Article.Kind.values:
        kind = Article.Kind.ARTICLE
    form = ArticleForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.article_create(
                author=request.user,
                kind=kind,
                content=form.content(_uploaded(request, form)),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(created)
    return render(
        request,
        "knowledge/edit.html",
        {"form": form, "kind": kind},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: MemberRequest, slug: str) -> HttpResponse:
    shown = selectors.article_get_for(request.user, slug, edit=True)
    form = ArticleForm(
        request.POST or None,
        request.FILES or None,
        kind=shown.kind,
        initial=ArticleForm.initial_for(shown),
    )
    context = {"form": form, "kind": shown.kind, "article": shown}
    if request.method == "POST" and form.is_valid():
        try:
            mine = form.content(_uploaded(request, form))
            services.article_revise(
                editor=request.user,
                article=shown,
                base_revision=form.cleaned_data["base_revision"] or 0,
                content=mine,
                note=form.cleaned_data["note"],
            )
        except services.EditConflict as conflict:
            return _conflict(request, shown, mine, conflict.current)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved as a new revision."))
            return redirect(shown)
    return render(request, "knowledge/edit.html", context, status=400 if form.errors else 200)


def _uploaded(request: MemberRequest, form: ArticleForm) -> list:
    return attachments_upload_all(owner=request.user, uploads=form.cleaned_data["attachments"])


def _conflict(
    request: MemberRequest, shown: Article, mine: services.Content, current
) -> HttpResponse:
    """Both versions side by side; the form keeps the editor's text (with the files they
    attached), based on the new revision."""
    data = request.POST.copy()
    data["base_revision"] = str(current.number)
    data["body"] = mine.body
    for key, text in (mine.sections or {}).items():  # setting replaces; update() would append
        data[f"section_{key}"] = text
    return render(
        request,
        "knowledge/edit.html",
        {
            "form": ArticleForm(data, kind=shown.kind),
            "kind": shown.kind,
            "article": shown,
            "conflict": current,
            "conflict_diff": selectors.text_diff(
                current.body,
                services.compose_practice(mine.sections or {})
                if shown.kind == Article.Kind.PRACTICE
                else mine.body,
            ),
        },
        status=409,
    )


@login_required
@require_GET
def history(request: MemberRequest, slug: str) -> HttpResponse:
    shown = selectors.article_get_for(request.user, slug)
    revisions = list(shown.revisions.select_related("author"))
    context = {
        "article": shown,
        "revisions": revisions,
        "can_edit": rules.can_edit(request.user, shown),
    }
    older, newer = request.GET.get("from", ""), request.GET.get("to", "")
    if older.isdigit() and newer.isdigit() and len(older) < 10 and len(newer) < 10:
        left = selectors.revision_get(shown, int(older))
        right = selectors.revision_get(shown, int(newer))
        context.update(left=left, right=right, diff=selectors.text_diff(left.body, right.body))
    return render(request, "knowledge/history.html", context)


@login_required
@require_POST
def restore(request: MemberRequest, slug: str, number: int) -> HttpResponse:
    shown = selectors.article_get_for(request.user, slug, edit=True)
    try:
        services.article_restore(editor=request.user, article=shown, number=number)
    except ValidationError as error:
        raise Http404 from error
    messages.success(
        request, _("Revision %(number)d restored as a new revision.") % {"number": number}
    )
    return redirect(shown)


@login_required
@require_POST
def publish(request: MemberRequest, slug: str) -> HttpResponse:
    return _change(
        request,
        slug,
        lambda user, shown: services.article_publish(actor=user, article=shown),
        _("Published."),
    )


@login_required
@require_POST
def archive(request: MemberRequest, slug: str) -> HttpResponse:
    return _change(
        request,
        slug,
        lambda user, shown: services.article_archive(actor=user, article=shown),
        _("Archived."),
    )


@login_required
@require_POST
def verify(request: MemberRequest, slug: str) -> HttpResponse:
    form = VerifyForm(request.POST)
    interval = form.cleaned_data["review_interval_days"] if form.is_valid() else None
    return _change(
        request,
        slug,
        lambda user, shown: services.article_verify(
            verifier=user, article=shown, review_interval_days=interval
        ),
        _("Verified."),
    )


def _change(request: MemberRequest, slug: str, apply, done: str) -> HttpResponse:
    shown = selectors.article_get_for(request.user, slug)
    try:
        apply(request.user, shown)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(shown)


# --- From discussion to knowledge ----------------------------------------------------


@login_required
@require_POST
def from_thread(request: MemberRequest, thread_id: int) -> HttpResponse:
    thread = forum_selectors.thread_get_for(request.user, thread_id)
    kind = request.POST.get("kind", Article.Kind.PRACTICE)
    try:
        draft = services.article_from_thread(actor=request.user, thread=thread, kind=kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(thread)
    return redirect("knowledge:edit", slug=draft.slug)


@login_required
@require_POST
def from_chat(request: MemberRequest) -> HttpResponse:
    ids = [
        int(raw)
        for raw in request.POST.getlist("message")[:MAX_SELECTED_IDS]
        if raw.isdigit() and len(raw) < 18
    ]
    chosen = [chat_selectors.message_get_for(request.user, pk) for pk in ids]
    try:
        draft = services.article_from_messages(actor=request.user, messages=chosen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return (
            redirect("chat:room", room_id=chosen[0].room_id) if chosen else redirect("chat:index")
        )
    return redirect("knowledge:edit", slug=draft.slug)
