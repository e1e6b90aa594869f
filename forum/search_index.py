"""Threads and replies in the community search (community/search.py).

A thread's document is its title and opening post; each visible reply is a document of its
own, titled by its thread. Hidden threads, and hidden or deleted posts, are not found.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community import search
from forum import rules
from forum.models import Category, Post, Thread


def _visible_categories(user) -> Q:
    return Q(
        category_id__in=Category.objects.filter(read_access__in=rules.access_levels(user)).values(
            "pk"
        )
    )


def _thread_document(thread: Thread) -> search.Document | None:
    opening = thread.posts.filter(number=1).first()
    if thread.is_hidden or opening is None:
        return None
    return search.Document(
        title=thread.title,
        body=opening.body if not opening.is_hidden else "",
        created_at=thread.created_at,
        author_id=thread.author_id,
        category_id=thread.category_id,
        tags=tuple(t.slug for t in thread.tags.all()),
    )


def _post_document(post: Post) -> search.Document | None:
    thread = post.thread
    if post.number == 1 or post.is_deleted or post.is_hidden or thread.is_hidden:
        return None  # the opening post is found as its thread
    return search.Document(
        title=thread.title,
        body=post.body,
        created_at=post.created_at,
        author_id=post.author_id,
        category_id=thread.category_id,
    )


def index_post(post: Post) -> None:
    """After a post changed: an opening post speaks for its thread."""
    if post.number == 1:
        search.index(Thread.objects.get(pk=post.thread_id))
    else:
        search.index(post)


def index_thread(thread: Thread) -> None:
    """After a change that concerns every post (hidden, restored, moved)."""
    thread = Thread.objects.get(pk=thread.pk)
    search.index(thread)
    for post in thread.posts.filter(number__gt=1).select_related("thread"):
        search.index(post)


THREADS = search.SearchKind(
    key="forum.thread",
    label=_("Threads"),
    model=Thread,
    document=_thread_document,
    visible_to=_visible_categories,
    url=lambda thread: thread.get_absolute_url(),
    order=10,
)

POSTS = search.SearchKind(
    key="forum.post",
    label=_("Replies"),
    model=Post,
    document=_post_document,
    visible_to=_visible_categories,
    url=lambda post: f"{post.thread.get_absolute_url()}#post-{post.number}",
    order=20,
)


def _category_choices(user) -> list[tuple[str, str]]:
    return [
        (str(c.pk), c.name)
        for c in Category.objects.filter(read_access__in=rules.access_levels(user))
    ]


CATEGORY_FACET = search.Facet(key="category_id", label=_("Category"), choices=_category_choices)
