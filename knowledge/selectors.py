"""Reads of the knowledge base, each checking who asks."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from urllib.parse import unquote

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from chat import rules as chat_rules
from forum import rules as forum_rules
from knowledge import rules
from knowledge.models import Article, ArticleCredit, ArticleRevision, Collection


def articles_visible_to(user) -> QuerySet[Article]:
    """Published and archived articles, and the drafts the member is credited on."""
    articles = Article.objects.all()
    if rules.is_coordinator(user):
        return articles
    credited = ArticleCredit.objects.filter(article=OuterRef("pk"), user=user)
    return articles.filter(~Q(status=Article.Status.DRAFT) | Exists(credited))


def article_get_for(user, slug: str, *, edit: bool = False) -> Article:
    article = (
        Article.objects.select_related("collection", "verified_by", "created_by")
        .filter(slug=slug)
        .first()
    )
    if article is None or not rules.can_read(user, article):
        raise Http404
    if edit and not rules.can_edit(user, article):
        raise Http404
    return article


def published(*, collection: Collection | None = None, tag=None) -> QuerySet[Article]:
    articles = (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .select_related("collection", "verified_by")
        .prefetch_related("tags")
    )
    if collection is not None:
        articles = articles.filter(collection=collection)
    if tag is not None:
        articles = articles.filter(tags=tag)
    return articles


def review_queue() -> QuerySet[Article]:
    """Published articles never verified, or due for review again: oldest debt first."""
    return (
        published()
        .filter(Q(review_due_at__isnull=True) | Q(review_due_at__lte=timezone.now()))
        .order_by("review_due_at", "updated_at")
    )


def drafts_for(user) -> QuerySet[Article]:
    return (
        articles_visible_to(user).filter(status=Article.Status.DRAFT).select_related("created_by")
    )


def credits(article: Article) -> dict[str, list]:
    people: dict[str, list] = {role: [] for role in ArticleCredit.Role.values}
    for credit in article.credits.select_related("user"):
        people[credit.role].append(credit.user)
    return people


def profile_articles(member) -> dict[str, list[Article]]:
    """What a member wrote, contributed to and verified: published work only."""
    published_work = Article.objects.filter(status=Article.Status.PUBLISHED)
    by_role = {
        role: list(
            published_work.filter(credits__user=member, credits__role=role).order_by("-updated_at")[
                :20
            ]
        )
        for role in ArticleCredit.Role.values
    }
    by_role["verified"] = list(
        published_work.filter(verified_by=member).order_by("-verified_at")[:20]
    )
    return by_role


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    author: object
    kind: str  # "post" or "message"


def sources_for(user, article: Article) -> tuple[list[Source], int]:
    """The discussions an article grew from that `user` may open, and how many are hidden."""
    shown, hidden = [], 0
    for source in article.sources.select_related(
        "author", "post__thread__category", "message__room"
    ):
        if source.post is not None and forum_rules.can_read_thread(user, source.post.thread):
            thread = source.post.thread
            shown.append(
                Source(
                    thread.title,
                    f"{thread.get_absolute_url()}#post-{source.post.number}",
                    source.author,
                    "post",
                )
            )
        elif source.message is not None and chat_rules.can_read(user, source.message.room):
            message = source.message
            shown.append(
                Source(
                    message.excerpt(),
                    reverse("chat:room", args=[message.room_id]) + f"#message-{message.pk}",
                    source.author,
                    "message",
                )
            )
        else:  # gone, or in a room or category this reader cannot open
            hidden += 1
    return shown, hidden


def articles_from_thread(thread) -> QuerySet[Article]:
    """Published articles that summarise a thread (one of its posts is a source)."""
    return Article.objects.filter(
        status=Article.Status.PUBLISHED, sources__post__thread=thread
    ).distinct()


def revision_get(article: Article, number: int) -> ArticleRevision:
    revision = article.revisions.select_related("author").filter(number=number).first()
    if revision is None:
        raise Http404
    return revision


@dataclass(frozen=True)
class DiffLine:
    op: str  # "equal", "insert" or "delete"
    text: str


def text_diff(old: str, new: str) -> list[DiffLine]:
    """Line by line, what changed from `old` to `new` (templates escape the text)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            lines += [DiffLine("equal", line) for line in old_lines[a1:a2]]
            continue
        lines += [DiffLine("delete", line) for line in old_lines[a1:a2]]
        lines += [DiffLine("insert", line) for line in new_lines[b1:b2]]
    return lines


def public_article_title(match) -> str | None:
    """The title a bare link to an article shows, unless it is a draft."""
    return (
        Article.objects.filter(slug=unquote(match["slug"]))
        .exclude(status=Article.Status.DRAFT)
        .values_list("title", flat=True)
        .first()
    )
