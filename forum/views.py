from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from community import markup
from community.attachments.services import text_with_uploads
from community.forms import apply_validation_error
from community.ratelimit import RateLimited, too_many_attempts
from forum import moderation, rules, selectors, services, slots
from forum.forms import EditForm, FlagForm, MoveForm, ReplyForm, SubscriptionForm, ThreadForm
from forum.post_html import PostPage, post_article, reactions
from profiles.types import MemberRequest

# ?focus= takes a post number; isdigit() alone would pass "²" and 5 000-digit numbers.
POST_NUMBER = re.compile(r"[0-9]{1,9}")
# Flagged posts per page of the moderation queue: a flood of reports must not hide the
# older ones behind a cut-off.
MODERATION_PAGE = 25
MODERATION_LOG_PAGE = 100


# --- Lists ---------------------------------------------------------------------------


@login_required
@require_GET
def index(request: MemberRequest) -> HttpResponse:
    order = request.GET.get("order", "latest")
    try:
        page = selectors.threads_for(
            request.user,
            order=order,
            after=request.GET.get("after"),
            before=request.GET.get("before"),
        )
    except ValueError:
        return _first_page(request, order)
    return render(
        request,
        "forum/index.html",
        {
            "categories": selectors.categories_for(request.user),
            "page": page,
            "order": order,
            "orders": _orders(),
            "is_moderator": rules.is_moderator(request.user),
        },
    )


@login_required
@require_GET
def category(request: MemberRequest, slug: str) -> HttpResponse:
    category = selectors.category_get_for(request.user, slug)
    order = request.GET.get("order", "latest")
    try:
        page = selectors.threads_for(
            request.user,
            category=category,
            order=order,
            after=request.GET.get("after"),
            before=request.GET.get("before"),
        )
    except ValueError:
        return _first_page(request, order)
    return render(
        request,
        "forum/category.html",
        {
            "category": category,
            "order": order,
            "orders": _orders(),
            "page": page,
            "can_start": rules.can_start_thread(request.user, category),
            "subscription_form": SubscriptionForm(
                initial={
                    "level": selectors.subscription_level(request.user, category=category) or ""
                }
            ),
        },
    )


def _first_page(request: MemberRequest, order: str) -> HttpResponse:
    """A page link we did not make (edited by hand, or cut short): say so, and start over."""
    messages.error(request, _("That page link is broken; here is the first page."))
    return redirect(f"{request.path}?{urlencode({'order': order})}")


def _orders() -> list[tuple[str, str]]:
    return [
        ("latest", _("Latest")),
        ("newest", _("New")),
        ("top", _("Top")),
        ("unanswered", _("Unanswered")),
    ]


# --- Threads -------------------------------------------------------------------------


@login_required
def thread_new(request: MemberRequest) -> HttpResponse:
    initial = {}
    if slug := request.GET.get("category"):
        initial["category"] = selectors.category_by_slug(slug)
    form = ThreadForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if not form.allowed_categories.exists():
        raise PermissionDenied(_("You cannot start threads in any category."))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.thread_create(
                author=request.user,
                category=data["category"],
                kind=data["kind"],
                title=data["title"],
                body=text_with_uploads(
                    owner=request.user, text=data["body"], uploads=data["attachments"]
                ),
                tags=data["tags"],
                submission_token=data["submission_token"],
            )
        except RateLimited as error:
            return too_many_attempts(request, error.message)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(thread)
    return render(
        request, "forum/thread_new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def thread_redirect(request: MemberRequest, pk: int) -> HttpResponse:
    return redirect(selectors.thread_get_for(request.user, pk), permanent=True)


@login_required
@require_GET
def thread(request: MemberRequest, pk: int, slug: str) -> HttpResponse:
    thread = selectors.thread_get_for(request.user, pk)
    if slug != thread.slug:  # a renamed thread keeps its old links working
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(thread.get_absolute_url() + query, permanent=True)
    view = "flat" if request.GET.get("view") == "flat" else "tree"
    try:
        page = selectors.thread_page(thread, request.user, view=view, **_chunk_wanted(request))
    except ValueError:
        messages.error(request, _("That page link is broken; here is the first page."))
        return redirect(thread.get_absolute_url() + ("?view=flat" if view == "flat" else ""))
    context = _post_context(request, thread)
    response = render(
        request,
        "forum/thread.html",
        {
            **context,
            "opening_html": post_article(page.opening, context["post_page"], opening=True),
            "replies_html": _chunk_html(page, context["post_page"]),
            "page": page,
            "reply_form": ReplyForm(),
            "subscription_form": SubscriptionForm(initial={"level": page.subscription_level or ""}),
            "reply_count_forms": _reply_count_forms(),
            "move_form": MoveForm(initial={"category": thread.category}),
            "asides": slots.asides_for(thread, request.user),
        },
    )
    services.thread_viewed(user=request.user, thread=thread, up_to=page.read_up_to)
    return response


@login_required
@require_GET
def thread_chunk(request: MemberRequest, pk: int) -> HttpResponse:
    """The next chunk of a thread's replies, for «Показать ещё» (htmx swaps it in)."""
    thread = selectors.thread_get_for(request.user, pk)
    view = "flat" if request.GET.get("view") == "flat" else "tree"
    try:
        page = selectors.thread_page(thread, request.user, view=view, **_chunk_wanted(request))
    except ValueError:
        return HttpResponse(_("That page link is broken."), status=400, content_type="text/plain")
    context = _post_context(request, thread)
    response = render(
        request,
        "forum/partials/chunk.html",
        {**context, "page": page, "replies_html": _chunk_html(page, context["post_page"])},
    )
    services.thread_read(user=request.user, thread=thread, up_to=page.read_up_to)
    return response


def _chunk_wanted(request: MemberRequest) -> dict:
    """Which chunk of replies the page asks for: a branch (focus), the one after a
    cursor, or the one holding a post (at)."""
    focus, at = request.GET.get("focus", ""), request.GET.get("at", "")
    return {
        "focus_number": int(focus) if POST_NUMBER.fullmatch(focus) else None,
        "after": request.GET.get("after") or None,
        "at": int(at) if POST_NUMBER.fullmatch(at) else None,
    }


# --- Posts ---------------------------------------------------------------------------


@login_required
@require_GET
def post(request: MemberRequest, pk: int) -> HttpResponse:
    """A post's permalink: the thread at that post, focused on it when nested deep."""
    post = selectors.post_get_for(request.user, pk)
    url = post.thread.get_absolute_url()
    if post.depth > selectors.DISPLAY_DEPTH:
        url += f"?focus={post.number}"
    else:  # the chunk of replies that holds it
        url += selectors.chunk_query_at(post.thread, post.number, "tree")
    return redirect(f"{url}#post-{post.number}")


@login_required
@require_GET
def post_fragment(request: MemberRequest, pk: int) -> HttpResponse:
    """One post as the thread page renders it, for live updates."""
    post = selectors.post_get_for(request.user, pk)
    view = "flat" if request.GET.get("view") == "flat" else "tree"
    post_page = PostPage.for_viewer(request.user, post.thread, get_token(request))
    return HttpResponse(
        post_article(selectors.post_view_for(request.user, post, view=view), post_page)
    )


def _reply_count_forms() -> str:
    """The replies heading's plural forms, for the script that counts live replies: each
    form once, at a number that takes it (1, 2 and 5 cover Russian and English). The
    script picks the one whose plural category (Intl.PluralRules) matches its count."""
    return json.dumps(
        {
            n: ngettext("%(counter)s reply", "%(counter)s replies", n) % {"counter": "{n}"}
            for n in (1, 2, 5)
        },
        ensure_ascii=False,
    )


def _post_context(request: MemberRequest, thread) -> dict:
    """What a page of posts needs besides the posts, worked out once per page."""
    post_page = PostPage.for_viewer(request.user, thread, get_token(request))
    return {
        "thread": thread,
        "post_page": post_page,
        "can_reply": post_page.can_reply,
        "is_moderator": post_page.is_moderator,
    }


def _chunk_html(page: selectors.ThreadPage, post_page: PostPage) -> SafeString:
    return mark_safe("".join(post_article(item, post_page) for item in page.replies))  # noqa: S308


@login_required
def reply(request: MemberRequest, pk: int) -> HttpResponse:
    parent = selectors.post_get_for(request.user, pk, write=True)
    thread = parent.thread
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_reply(
                author=request.user,
                thread=thread,
                parent=parent,
                body=text_with_uploads(
                    owner=request.user,
                    text=form.cleaned_data["body"],
                    uploads=form.cleaned_data["attachments"],
                ),
                submission_token=form.cleaned_data["submission_token"],
            )
        except RateLimited as error:
            return too_many_attempts(request, error.message)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(post)
    return render(
        request,
        "forum/reply.html",
        {"form": form, "parent": parent, "thread": thread},
        status=400 if form.errors else 200,
    )


@login_required
def edit(request: MemberRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_for(request.user, pk)
    if not rules.can_edit_post(request.user, post):
        raise PermissionDenied(_("You cannot edit this post."))
    form = EditForm(
        request.POST or None,
        request.FILES or None,
        opening=post.is_opening,
        initial={"body": post.body, "title": post.thread.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                editor=request.user,
                post=post,
                body=text_with_uploads(
                    owner=request.user,
                    text=form.cleaned_data["body"],
                    uploads=form.cleaned_data["attachments"],
                ),
                title=form.cleaned_data.get("title"),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(post)
    return render(
        request, "forum/edit.html", {"form": form, "post": post}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def delete(request: MemberRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_for(request.user, pk)
    services.post_delete(actor=request.user, post=post)
    messages.success(request, _("The post has been deleted."))
    return redirect(post)


@login_required
@require_GET
def revisions(request: MemberRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_for(request.user, pk)
    if not rules.can_read_history(request.user, post):
        raise Http404
    return render(
        request,
        "forum/revisions.html",
        {
            "post": post,
            "revisions": selectors.post_revisions(post),
        },
    )


@login_required
@require_POST
def react(request: MemberRequest) -> HttpResponse:
    """A reaction button pressed: `reaction` names the post and the kind («5:like»), so
    that one form serves every post of a page (forum/post_html.reactions)."""
    post_id, _colon, kind = request.POST.get("reaction", "").partition(":")
    if not POST_NUMBER.fullmatch(post_id):
        return HttpResponse(_("Choose a reaction."), status=400, content_type="text/plain")
    post = selectors.post_get_for(request.user, int(post_id))
    try:
        services.reaction_toggle(user=request.user, post=post, kind=kind)
    except ValidationError as error:
        if not request.htmx:
            messages.error(request, " ".join(error.messages))
    if request.htmx:
        post_page = PostPage.for_viewer(request.user, post.thread, get_token(request))
        return HttpResponse(reactions(post, selectors.my_reactions(request.user, post), post_page))
    return redirect(post)


@login_required
@require_POST
def accept(request: MemberRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_for(request.user, pk)
    try:
        services.answer_accept(actor=request.user, post=post)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(post.thread)


@login_required
@require_POST
def unaccept(request: MemberRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_get_for(request.user, pk)
    services.answer_unaccept(actor=request.user, thread=thread)
    return redirect(thread)


@login_required
def flag(request: MemberRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_for(request.user, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.flag_create(user=request.user, post=post, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Thank you. Moderators will look at this post."))
            return redirect(post)
    return render(
        request, "forum/flag.html", {"form": form, "post": post}, status=400 if form.errors else 200
    )


# --- Subscriptions -------------------------------------------------------------------


@login_required
@require_POST
def thread_subscription(request: MemberRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_get_for(request.user, pk)
    return _save_subscription(request, thread, thread=thread)


@login_required
@require_POST
def category_subscription(request: MemberRequest, slug: str) -> HttpResponse:
    category = selectors.category_get_for(request.user, slug)
    return _save_subscription(request, category, category=category)


def _save_subscription(request: MemberRequest, target, **where) -> HttpResponse:
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        services.subscription_set(
            user=request.user, level=form.cleaned_data["level"] or None, **where
        )
        messages.success(request, _("Notification settings saved."))
    return redirect(target)


# --- Moderation ----------------------------------------------------------------------

THREAD_ACTIONS = {
    "pin": {"pinned": True},
    "unpin": {"pinned": False},
    "lock": {"locked": True},
    "unlock": {"locked": False},
    "hide": {"hidden": True},
    "restore": {"hidden": False},
}


@login_required
@require_POST
def thread_moderate(request: MemberRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_get_for(request.user, pk)
    action = request.POST.get("action", "")
    if action == "move":
        form = MoveForm(request.POST)
        if not form.is_valid():
            raise Http404
        moderation.thread_move(
            moderator=request.user, thread=thread, category=form.cleaned_data["category"]
        )
    elif action in THREAD_ACTIONS:
        moderation.thread_set_flags(moderator=request.user, thread=thread, **THREAD_ACTIONS[action])
    else:
        raise Http404
    return redirect(thread)


@login_required
@require_POST
def post_moderate(request: MemberRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_for(request.user, pk)
    action = request.POST.get("action", "")
    if action in {"hide", "restore"}:
        moderation.post_set_hidden(moderator=request.user, post=post, hidden=action == "hide")
    elif action == "dismiss":
        moderation.flags_dismiss(moderator=request.user, post=post)
    else:
        raise Http404
    if request.POST.get("next") == "queue":
        return redirect("forum:moderation")
    return redirect(post)


@login_required
@require_GET
def moderation_queue(request: MemberRequest) -> HttpResponse:
    if not rules.is_moderator(request.user):
        raise PermissionDenied
    page = Paginator(selectors.moderation_queue(), MODERATION_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "forum/moderation_queue.html", {"page": page, "posts": page})


@login_required
@require_GET
def moderation_log(request: MemberRequest) -> HttpResponse:
    if not rules.is_moderator(request.user):
        raise PermissionDenied
    page = Paginator(selectors.moderation_log(), MODERATION_LOG_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "forum/moderation_log.html", {"page": page, "actions": page})


# --- Composer helpers ----------------------------------------------------------------


@login_required
@require_POST
def preview(request: MemberRequest) -> HttpResponse:
    body = request.POST.get("body", "")
    try:
        html = markup.render(body) if body.strip() else ""
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    return render(request, "forum/partials/preview.html", {"html": html})


@login_required
@require_GET
def similar(request: MemberRequest) -> HttpResponse:
    """While a question is typed: what the floors above offer (articles), then questions
    already asked, solved or open."""
    title = request.GET.get("title", "")[:200]
    return render(
        request,
        "forum/partials/similar.html",
        {
            "hints": slots.hints_for(request.user, title),
            "threads": selectors.similar_questions(request.user, title),
        },
    )
