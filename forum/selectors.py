"""Reads of the forum, each in a fixed number of queries, with their permission checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.base import ModelState
from django.http import Http404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from community import search
from community.pagination import CursorPage, keyset_page
from forum import rules
from forum.models import (
    MAX_TREE_DEPTH,
    PATH_DIGITS,
    Access,
    Category,
    Flag,
    ModerationAction,
    Post,
    Reaction,
    ReadState,
    Subscription,
    Thread,
)
from profiles.models import User

THREADS_PER_PAGE = 30
# Replies deeper than this are shown behind a "continue this thread" link.
DISPLAY_DEPTH = 5
# Each order ends with the primary key, and an index of Thread's answers it (keyset pages,
# community/pagination.py). A category pins first; the forum-wide list does not.
ORDERS = {
    "latest": ["-last_activity_at", "-pk"],
    "newest": ["-created_at", "-pk"],
    "top": ["-score", "-reply_count", "-last_activity_at", "-pk"],
    "unanswered": ["-created_at", "-pk"],
}
CATEGORY_ORDERS = {**ORDERS, "latest": ["-is_pinned", "-last_activity_at", "-pk"]}


def categories_for(user) -> list[Category]:
    return list(Category.objects.filter(read_access__in=rules.access_levels(user)))


def category_get_for(user, slug: str) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None or not rules.can_read_category(user, category):
        raise Http404
    return category


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def subscription_level(
    user, *, thread: Thread | None = None, category: Category | None = None
) -> str | None:
    target: dict[str, Thread | Category | None] = (
        {"thread": thread} if thread is not None else {"category": category}
    )
    return Subscription.objects.filter(user=user, **target).values_list("level", flat=True).first()


def my_reactions(user, post: Post) -> set[str]:
    return set(post.reactions.filter(user=user).values_list("kind", flat=True))


def threads_for(
    user,
    *,
    category: Category | None = None,
    order: str = "latest",
    after: str | None = None,
    before: str | None = None,
    per_page: int = THREADS_PER_PAGE,
) -> CursorPage:
    """A page of threads the member may read, with their unread counts: the first, or the
    one after (before) a cursor. Raises ValueError for a cursor that is not one of ours."""
    threads = Thread.objects.filter(category__read_access__in=rules.access_levels(user))
    if not rules.is_moderator(user):
        threads = threads.filter(is_hidden=False)
    if category is not None:
        threads = threads.filter(category=category)
    else:
        # As in Discourse, what a member muted stays out of the forum-wide lists; it is
        # still there in its category.
        muted = Subscription.objects.filter(user=user, level=Subscription.Level.MUTED)
        threads = threads.exclude(pk__in=muted.filter(thread__isnull=False).values("thread_id"))
        threads = threads.exclude(
            category_id__in=muted.filter(category__isnull=False).values("category_id")
        )
    if order == "unanswered":
        threads = threads.filter(kind=Thread.Kind.QUESTION, accepted_answer__isnull=True)
    last_read = ReadState.objects.filter(user=user, thread=OuterRef("pk"))
    threads = (
        threads.select_related("category", "author", "last_poster")
        .prefetch_related("tags")
        .annotate(last_read_number=Subquery(last_read.values("last_read_number")[:1]))
    )
    orders = CATEGORY_ORDERS if category is not None else ORDERS
    page = keyset_page(
        threads,
        orders.get(order, orders["latest"]),
        after=after,
        before=before,
        per_page=per_page,
    )
    for thread in page:
        # Worked out here, not in SQL: an annotation would repeat the subquery per row.
        thread.unread_count = (
            thread.post_sequence - thread.last_read_number
            if thread.last_read_number is not None
            else None
        )
    return page


def thread_get_for(user, pk: int, *, write: bool = False) -> Thread:
    """The thread if the member may read it (404 otherwise); with write, may reply (403)."""
    thread = Thread.objects.select_related("category", "author").filter(pk=pk).first()
    if thread is None or not rules.can_read_thread(user, thread):
        raise Http404
    if write and not rules.can_reply(user, thread):
        raise PermissionDenied
    return thread


def post_get_for(user, pk: int, *, write: bool = False) -> Post:
    """The post if the member may read it (404 otherwise), with its thread, category and
    author; with write, the member may also reply in its thread (403)."""
    post = Post.objects.select_related("thread__category", "author").filter(pk=pk).first()
    if post is None or not rules.can_read_thread(user, post.thread):
        raise Http404
    if post.is_hidden and not (rules.is_moderator(user) or post.author_id == user.pk):
        raise Http404
    if write and not rules.can_reply(user, post.thread):
        raise PermissionDenied
    return post


@dataclass
class PostView:
    post: Post
    indent: int
    url: str = ""
    is_own: bool = False
    can_edit: bool = False
    can_delete: bool = False
    text_hidden: bool = False
    is_new: bool = False
    my_reactions: set[str] = field(default_factory=set)
    continue_below: bool = False


@dataclass
class ThreadPage:
    thread: Thread
    opening: PostView
    replies: list[PostView]
    accepted: Post | None
    view: str
    focus: Post | None
    last_read_number: int
    first_unread_number: int | None
    new_count: int
    subscription_level: str | None
    reply_total: int
    # The query of the chunk after this one (None when the replies end here).
    more_query: str | None = None
    # The chunk starts after the first replies (a permalink or an unread jump led here).
    starts_later: bool = False

    @property
    def last_number_shown(self) -> int:
        return max([1, *(item.post.number for item in self.replies)])

    @property
    def read_up_to(self) -> int:
        """How far the reader has read: the whole thread when it showed in one chunk, else
        as far as this chunk reached (the next chunk moves the cursor on)."""
        if self.more_query is None and not self.starts_later and self.focus is None:
            return self.thread.post_sequence
        return self.last_number_shown

    @property
    def accepted_url(self) -> str:
        number = self.accepted.number if self.accepted else None
        return f"{chunk_query_at(self.thread, number, self.view)}#post-{number}"

    @property
    def first_unread_url(self) -> str:
        """Where «N new replies» leads: the chunk that holds the first of them."""
        number = self.first_unread_number
        return f"{chunk_query_at(self.thread, number, self.view)}#post-{number}"


# A topic page shows its replies in chunks, as Discourse does: the first 20 top-level
# replies with their subtrees, at most 50 posts; «Показать ещё» loads the next chunk.
CHUNK_POSTS = 50
CHUNK_TOP_LEVEL = 20
CHUNK_POST_FIELDS = (
    "thread",
    "number",
    "parent",
    "depth",
    "path",
    "author",
    "body_html",
    "created_at",
    "edit_count",
    "reply_count",
    "reaction_counts",
    "is_deleted",
    "is_hidden",
)
CHUNK_AUTHOR_FIELDS = ("full_name", "slug", "role", "avatar", "email", "is_active")
_PATH = re.compile(rf"(?:\d{{{PATH_DIGITS}}}/){{1,{MAX_TREE_DEPTH + 1}}}")


def chunk_query_at(thread: Thread, number: int | None, view: str) -> str:
    """The query string of the chunk that holds post `number` (empty: the first chunk)."""
    query = {"view": "flat"} if view == "flat" else {}
    # A thread shorter than a chunk's top-level replies shows every reply at once.
    if number and number > 1 and thread.reply_count >= CHUNK_TOP_LEVEL:
        query["at"] = str(number)
    return f"?{urlencode(query)}" if query else ""


def thread_page(
    thread: Thread,
    user,
    *,
    view: str = "tree",
    focus_number: int | None = None,
    after: str | None = None,
    at: int | None = None,
) -> ThreadPage:
    """The opening post and one chunk of replies: the first chunk, the one after the
    `after` cursor, or the one holding post `at`. A fixed number of queries, and the
    same work, however long the thread is. Raises ValueError for a cursor not ours."""
    user = _unproxied(user)
    chunk = _chunk(thread, user, view=view, focus_number=focus_number, after=after, at=at)
    opening = chunk.opening
    posts = chunk.posts
    ids = [opening.pk, *(post.pk for post in posts)]
    my_reactions: dict[int, set[str]] = {}
    for post_id, kind in Reaction.objects.filter(user=user, post_id__in=ids).values_list(
        "post_id", "kind"
    ):
        my_reactions.setdefault(post_id, set()).add(kind)
    read_state = ReadState.objects.filter(user=user, thread=thread).first()
    last_read = read_state.last_read_number if read_state else 0
    subscription = Subscription.objects.filter(user=user, thread=thread).first()
    accepted = None
    if thread.accepted_answer_id:
        accepted = next((p for p in posts if p.pk == thread.accepted_answer_id), None) or (
            Post.objects.select_related("author").filter(pk=thread.accepted_answer_id).first()
        )
        if accepted is not None and rules.text_hidden_from(user, accepted):
            accepted = None
    for post in [opening, *posts]:  # the rules read post.thread; this saves a query per post
        post.thread = thread
    prefix = _post_url_prefix()

    def make(post: Post, indent: int = 0, continue_below: bool = False) -> PostView:
        return _post_view(
            post,
            user,
            prefix=prefix,
            indent=indent,
            last_read=last_read,
            reactions=my_reactions.get(post.pk, set()),
            continue_below=continue_below,
        )

    # Numbers are handed out in sequence, so the unread ones are those past the cursor.
    unread = max(thread.post_sequence - max(last_read, 1), 0) if last_read else 0
    return ThreadPage(
        thread=thread,
        opening=make(opening),
        replies=[
            make(post, indent, indent == DISPLAY_DEPTH - 1 and post.reply_count > 0)
            for post, indent in chunk.arranged(view)
        ],
        accepted=accepted,
        view=view,
        focus=chunk.focus,
        last_read_number=last_read,
        first_unread_number=last_read + 1 if unread else None,
        new_count=unread,
        subscription_level=subscription.level if subscription else None,
        reply_total=thread.reply_count,
        more_query=chunk.more_query,
        starts_later=chunk.starts_later,
    )


def _unproxied(user):
    """The member behind request.user's lazy proxy: every attribute read goes through the
    proxy, and the rules read several for each of a chunk's fifty posts."""
    if isinstance(user, SimpleLazyObject):
        bool(user)  # loads it, if nothing has yet
        return user._wrapped  # type: ignore[attr-defined]
    return user


def _loaded(rows: QuerySet[Post]) -> list[Post]:
    """The posts of `rows` with their authors, built from plain rows.

    Django's model __init__ sets every field of every instance one by one: two instances
    a post, a tenth of a 50-post chunk's time. These are whole Post and User instances for
    what a page reads (CHUNK_POST_FIELDS, CHUNK_AUTHOR_FIELDS); any other field loads on
    access, like a deferred one. An author of several posts is one instance.
    """
    post_names = ["id", *(_attnames(Post)[n] for n in CHUNK_POST_FIELDS)]
    author_names = ["id", *(_attnames(User)[n] for n in CHUNK_AUTHOR_FIELDS)]
    split = len(post_names)
    authors: dict[int, User] = {}
    posts = []
    for values in rows.values_list(*post_names, *(f"author__{n}" for n in author_names)):
        post = _instance(Post, rows.db, dict(zip(post_names, values[:split], strict=True)))
        author = authors.get(values[split])
        if author is None:
            author = authors[values[split]] = _instance(
                User, rows.db, dict(zip(author_names, values[split:], strict=True))
            )
        post._state.fields_cache["author"] = author
        posts.append(post)
    return posts


def _attnames(model) -> dict[str, str]:
    """Field name to column attribute: author → author_id."""
    return {field.name: field.attname for field in model._meta.concrete_fields}


def _instance(model, database: str, fields: dict):
    """A model instance of a loaded row, without __init__ (as Model.from_db would leave it)."""
    instance = model.__new__(model)
    instance.__dict__.update(fields)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = database
    return instance


@dataclass
class _Chunk:
    opening: Post
    focus: Post | None
    posts: list[Post]
    more_query: str | None
    starts_later: bool

    def arranged(self, view: str) -> list[tuple[Post, int]]:
        """Each post with its indent: nested under the opening (or the focus), or flat."""
        if view == "flat":
            return [(post, 0) for post in self.posts]
        root_depth = self.focus.depth if self.focus else 0
        shift = 0 if self.focus else 1
        return [(post, post.depth - root_depth - shift) for post in self.posts]


def _chunk(
    thread: Thread,
    user,
    *,
    view: str,
    focus_number: int | None,
    after: str | None,
    at: int | None,
) -> _Chunk:
    # What a post's HTML shows (forum/post_html.py), not its source text nor its author's
    # whole profile: a chunk loads fifty of them, and each column costs its conversion.
    posts = (
        Post.objects.filter(thread=thread)
        .select_related("author")
        .only(*CHUNK_POST_FIELDS, *(f"author__{name}" for name in CHUNK_AUTHOR_FIELDS))
    )
    focus = None
    if focus_number and focus_number > 1 and view != "flat":
        focus = posts.filter(number=focus_number).first()
    flat = view == "flat"
    rows = posts.order_by("number" if flat else "path")
    root = focus
    if focus is not None:
        rows = rows.filter(path__startswith=focus.path, depth__lt=focus.depth + DISPLAY_DEPTH)
    elif not flat:
        # Deeper replies wait behind «continue this thread».
        rows = rows.filter(depth__lte=DISPLAY_DEPTH)
    starts_later = False
    if after:
        if flat and after.isdigit() and len(after) < 10:
            rows = rows.filter(number__gt=int(after))
        elif not flat and _PATH.fullmatch(after):
            rows = rows.filter(path__gt=after)
        else:
            raise ValueError("Not a chunk cursor")
        starts_later = True
    elif at and at > 1:
        target = posts.filter(number=at).values_list("path", "depth").first()
        if target is not None:
            path, depth = target
            if flat:
                rows = rows.filter(number__gte=at)
            elif focus is None and depth >= 1:
                # From its top-level reply, so that the post is read in its context.
                rows = rows.filter(path__gte=path[: 2 * (PATH_DIGITS + 1)])
            starts_later = True
    if starts_later or focus is not None:
        opening = posts.filter(number=1).first()
        if focus is None:
            rows = rows.exclude(number=1)
        fetched = _loaded(rows[: CHUNK_POSTS + 1])
    else:
        fetched = _loaded(rows[: CHUNK_POSTS + 2])  # the opening comes first, in either order
        opening = fetched.pop(0) if fetched and fetched[0].number == 1 else None
    if opening is None:
        raise Http404
    top_depth = (root.depth if root else 0) + 1
    shown: list[Post] = []
    top_level = 0
    for post in fetched:
        if not flat and post.depth == top_depth:
            top_level += 1
        if len(shown) == CHUNK_POSTS or top_level > CHUNK_TOP_LEVEL:
            break
        shown.append(post)
    more_query = None
    if len(shown) < len(fetched) and shown:
        cursor = str(shown[-1].number) if flat else shown[-1].path
        more_query = urlencode(
            {
                **({"view": "flat"} if flat else {}),
                **({"focus": focus.number} if focus else {}),
                "after": cursor,
            }
        )
    return _Chunk(
        opening=opening,
        focus=focus,
        posts=shown,
        more_query=more_query,
        starts_later=starts_later,
    )


def post_view_for(user, post: Post, *, view: str = "tree") -> PostView:
    """One post as the thread page would show it (for live updates), in two queries."""
    last_read = (
        ReadState.objects.filter(user=user, thread=post.thread)
        .values_list("last_read_number", flat=True)
        .first()
        or 0
    )
    indent = 0 if view == "flat" else min(max(post.depth - 1, 0), DISPLAY_DEPTH - 1)
    return _post_view(
        post,
        user,
        prefix=_post_url_prefix(),
        indent=indent,
        last_read=last_read,
        reactions=my_reactions(user, post),
    )


def _post_url_prefix() -> str:
    # "/forum/p/": a 300-reply page would otherwise reverse each post's URLs 2 000 times.
    return reverse("forum:post", kwargs={"pk": 0})[:-2]


def _post_view(
    post: Post,
    user,
    *,
    prefix: str,
    indent: int,
    last_read: int,
    reactions: set[str],
    continue_below: bool = False,
) -> PostView:
    return PostView(
        post=post,
        indent=indent,
        url=f"{prefix}{post.pk}/",
        is_own=post.author_id == user.pk,
        can_edit=rules.can_edit_post(user, post),
        can_delete=rules.can_delete_post(user, post),
        text_hidden=rules.text_hidden_from(user, post),
        is_new=bool(last_read) and post.number > last_read,
        my_reactions=reactions,
        continue_below=continue_below,
    )


def similar_questions(user, title: str, *, limit: int = 5) -> list[Thread]:
    """Questions sharing words (in any form) with `title`, best match first: solved ones,
    whose answer may already do, and open ones, where the asker can join in rather than
    ask twice. A thread's `accepted_answer_id` tells which is which."""
    hits = search.similar(user, title, kinds=("forum.thread",), limit=50)
    order = {hit.object_id: n for n, hit in enumerate(hits)}
    questions = Thread.objects.filter(
        pk__in=order, kind=Thread.Kind.QUESTION, is_hidden=False
    ).select_related("category")
    return sorted(questions, key=lambda thread: order[thread.pk])[:limit]


def post_revisions(post: Post) -> list[dict]:
    """Each revision with the text that replaced it, oldest first."""
    revisions = list(post.revisions.select_related("edited_by").order_by("number"))
    texts = [r.body for r in revisions] + [post.body]
    return [
        {"revision": revision, "before": texts[i], "after": texts[i + 1]}
        for i, revision in enumerate(revisions)
    ]


def moderation_queue() -> QuerySet[Post]:
    return (
        # flag_count counts open flags; `flags__resolved_at__isnull` would also match
        # every post that has no flags at all (the LEFT JOIN leaves resolved_at NULL).
        Post.objects.filter(flag_count__gt=0)
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .select_related("thread", "thread__category", "author")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("user"),
            )
        )
        .order_by("-open_flags", "-pk")
        .distinct()
    )


def moderation_log() -> QuerySet[ModerationAction]:
    return ModerationAction.objects.select_related("actor", "thread", "post")


def threads_started_by(member, viewer) -> QuerySet[Thread]:
    return Thread.objects.filter(
        author=member, is_hidden=False, category__read_access__in=rules.access_levels(viewer)
    )


def accepted_answers_by(member, viewer) -> QuerySet[Thread]:
    return Thread.objects.filter(
        accepted_answer__author=member,
        is_hidden=False,
        category__read_access__in=rules.access_levels(viewer),
    )


def public_thread_title(match) -> str | None:
    """The title a bare link to a thread shows, if every member may read the thread."""
    title = (
        Thread.objects.filter(
            pk=int(match["pk"]), is_hidden=False, category__read_access=Access.MEMBERS
        )
        .values_list("title", flat=True)
        .first()
    )
    if title and match["number"]:
        return f"{title} #{match['number']}"
    return title
