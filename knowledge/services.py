"""Every write to the knowledge base. Each save is a revision; no edit is silently lost."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community import markup, search, text
from community.attachments.services import attachments_claim
from community.notifications.services import notifications_send
from knowledge import attachment_parent, rules
from knowledge.models import (
    BODY_MAX_LENGTH,
    PRACTICE_SECTIONS,
    TITLE_MAX_LENGTH,
    Article,
    ArticleCredit,
    ArticleRevision,
    ArticleSource,
    Collection,
)
from profiles.models import User

SLUG_ATTEMPTS = 20


@dataclass(frozen=True)
class Content:
    """What an editor writes: for a practice, `sections` makes up the body."""

    title: str
    summary: str = ""
    body: str = ""
    sections: dict | None = None
    collection: Collection | None = None
    tags: Iterable = ()


class EditConflict(Exception):
    """The article changed since the editor opened it; `current` is what it is now."""

    def __init__(self, current: ArticleRevision) -> None:
        super().__init__(f"{current.article} is at revision {current.number}")
        self.current = current


def compose_practice(sections: dict) -> str:
    """A practice's body: its non-empty sections under their headings, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return "\n\n".join(
            f"## {label}\n\n{sections[key].strip()}"
            for key, label in PRACTICE_SECTIONS
            if sections.get(key, "").strip()
        )


def _clean(kind: str, content: Content) -> tuple[str, str, str, dict]:
    title = text.one_line(content.title)
    if not title:
        raise ValidationError({"title": _("Give the article a title.")})
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError({"title": _("The title is too long.")})
    sections = {}
    body = content.body
    if kind == Article.Kind.PRACTICE:
        sections = {key: (content.sections or {}).get(key, "") for key, _label in PRACTICE_SECTIONS}
        body = compose_practice(sections)
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("The text is too long: at most %(limit)d characters.")
                % {"limit": BODY_MAX_LENGTH}
            }
        )
    return title, text.one_line(content.summary), body, sections


def _apply(
    article: Article, content: Content, title: str, summary: str, body: str, sections: dict
) -> None:
    cooked = markup.cook(body)
    article.title, article.summary, article.body, article.sections = (
        title,
        summary,
        body,
        sections,
    )
    article.body_html, article.body_markup_version = cooked["html"], cooked["version"]
    article.collection = content.collection


def _record(article: Article, *, author, note: str) -> ArticleRevision:
    article.revision += 1
    return ArticleRevision.objects.create(
        article=article,
        number=article.revision,
        title=article.title,
        summary=article.summary,
        body=article.body,
        sections=article.sections,
        note=note.strip()[:200],
        author=author,
    )


def _credit(article: Article, users: Iterable, role: str) -> None:
    """Credit each (active) member once; an author stays an author."""
    ArticleCredit.objects.bulk_create(
        [
            ArticleCredit(article=article, user=user, role=role)
            for user in {u.pk: u for u in users if u is not None and u.is_active}.values()
        ],
        ignore_conflicts=True,
    )


def _unique_slug(title: str) -> str:
    base = slugify(title, allow_unicode=True)[:200] or "article"
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    for n in range(1, SLUG_ATTEMPTS + 1):
        slug = base if n == 1 else f"{base}-{n}"
        if slug not in taken:
            return slug
    return f"{base}-{timezone.now():%Y%m%d%H%M%S%f}"


def article_create(
    *, author, kind: str, content: Content, note: str = "", contributors: Iterable = ()
) -> Article:
    """A new draft, revision 1, credited to its author (and to whoever it grew from)."""
    if not rules.can_write(author):
        raise PermissionDenied(_("Only mentors and coordinators write articles."))
    if kind not in Article.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of article.")})
    title, summary, body, sections = _clean(kind, content)
    for _attempt in range(3):
        article = Article(kind=kind, created_by=author, slug=_unique_slug(title))
        _apply(article, content, title, summary, body, sections)
        try:
            with transaction.atomic():
                article.save()
                article.tags.set(content.tags)
                _record(article, author=author, note=note or _("First version"))
                article.save(update_fields=["revision"])
                _credit(article, [author], ArticleCredit.Role.AUTHOR)
                _credit(article, contributors, ArticleCredit.Role.CONTRIBUTOR)
                attachments_claim(
                    owner=author,
                    parent_kind=attachment_parent.KIND,
                    parent_id=article.pk,
                    text=article.body,
                )
                return article
        except IntegrityError:  # another article took the slug a moment ago
            continue
    raise ValidationError({"title": _("Could not find a free address; change the title.")})


def article_revise(
    *, editor, article: Article, base_revision: int, content: Content, note: str = ""
) -> Article:
    """Save an edit made on top of `base_revision`; refuse it if the article moved on since."""
    if not rules.can_edit(editor, article):
        raise PermissionDenied(_("You cannot edit this article."))
    title, summary, body, sections = _clean(article.kind, content)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.revision != base_revision:
            raise EditConflict(
                locked.revisions.select_related("author").get(number=locked.revision)
            )
        _apply(locked, content, title, summary, body, sections)
        _record(locked, author=editor, note=note)
        locked.save()
        locked.tags.set(content.tags)
        _credit(locked, [editor], ArticleCredit.Role.CONTRIBUTOR)
        attachments_claim(
            owner=editor, parent_kind=attachment_parent.KIND, parent_id=locked.pk, text=locked.body
        )
        search.index(locked)
    return locked


def article_restore(*, editor, article: Article, number: int) -> Article:
    """Bring back an old revision's text as a new revision; history only grows."""
    old = article.revisions.filter(number=number).first()
    if old is None:
        raise ValidationError(_("There is no such revision."))
    content = Content(
        title=old.title,
        summary=old.summary,
        body=old.body,
        sections=old.sections,
        collection=article.collection,
        tags=list(article.tags.all()),
    )
    return article_revise(
        editor=editor,
        article=article,
        base_revision=article.revision,
        content=content,
        note=_("Restored revision %(number)d") % {"number": number},
    )


def _set_status(article: Article, status: str, **fields) -> Article:
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(
            status=status, updated_at=timezone.now(), **fields
        )
        article.refresh_from_db()
        search.index(article)
    return article


def article_publish(*, actor, article: Article) -> Article:
    if not rules.can_publish(actor, article):
        raise PermissionDenied(_("You cannot publish this article."))
    if not article.body.strip():
        raise ValidationError(_("Write something before publishing."))
    return _set_status(
        article, Article.Status.PUBLISHED, published_at=article.published_at or timezone.now()
    )


def article_archive(*, actor, article: Article) -> Article:
    if not rules.can_archive(actor, article):
        raise PermissionDenied(_("You cannot archive this article."))
    return _set_status(article, Article.Status.ARCHIVED)


def article_verify(
    *, verifier, article: Article, review_interval_days: int | None = None
) -> Article:
    """Vouch that the article is right today; it needs review again after its interval."""
    if not rules.can_verify(verifier, article):
        raise PermissionDenied(_("Only mentors and coordinators verify published articles."))
    interval = article.review_interval_days
    if review_interval_days is not None:
        if not 1 <= review_interval_days <= 3650:
            raise ValidationError(_("Choose a review interval between 1 and 3650 days."))
        interval = review_interval_days
    now = timezone.now()
    return _set_status(
        article,
        Article.Status.PUBLISHED,
        verified_by=verifier,
        verified_at=now,
        review_interval_days=interval,
        review_due_at=now + timedelta(days=interval),
    )


def _sources(article: Article, *, posts=(), messages=()) -> None:
    ArticleSource.objects.bulk_create(
        [ArticleSource(article=article, post=post, author=post.author) for post in posts]
        + [ArticleSource(article=article, message=m, author=m.author) for m in messages]
    )


# --- From discussion to knowledge ----------------------------------------------------

MAX_PROMOTED_MESSAGES = 50


def article_from_thread(*, actor, thread, kind: str = Article.Kind.PRACTICE) -> Article:
    """A draft from a thread: its question and its accepted answer, crediting both authors.

    The caller has checked that `actor` may read the thread (forum's thread_get_for).
    """
    opening = thread.posts.select_related("author").filter(number=1).first()
    answer = thread.accepted_answer
    posts = [p for p in (opening, answer) if p is not None and not p.is_deleted and not p.is_hidden]
    question = opening.body if opening in posts else ""
    solution = answer.body if answer in posts else ""
    with translation.override(settings.LANGUAGE_CODE):
        content = Content(
            title=thread.title,
            tags=list(thread.tags.all()),
            sections={"goal": question, "steps": solution},
            body="\n\n".join(
                part
                for part in (question, f"## {_('Answer')}\n\n{solution}" if solution else "")
                if part
            ),
        )
        note = _("From the discussion «%(title)s»") % {"title": thread.title}
    with transaction.atomic():
        article = article_create(
            author=actor,
            kind=kind,
            content=content,
            note=note,
            contributors=[p.author for p in posts],
        )
        _sources(article, posts=posts)
    return article


def article_from_messages(*, actor, messages: list, kind: str = Article.Kind.ARTICLE) -> Article:
    """A draft from chat messages of one room, in their order, crediting their authors.

    The caller has fetched each message through chat's message_get_for, so `actor` reads them.
    """
    messages = sorted(
        {m.pk: m for m in messages if not m.is_deleted}.values(), key=lambda m: m.created_seq
    )
    if not messages:
        raise ValidationError(_("Choose at least one message."))
    if len(messages) > MAX_PROMOTED_MESSAGES:
        raise ValidationError(
            _("Choose at most %(count)d messages.") % {"count": MAX_PROMOTED_MESSAGES}
        )
    if len({m.room_id for m in messages}) > 1:
        raise ValidationError(_("The messages must come from one conversation."))
    transcript = "\n\n".join(f"**{m.author.full_name}:** {m.body}" for m in messages)
    with translation.override(settings.LANGUAGE_CODE):
        content = Content(
            title=messages[0].excerpt()[:TITLE_MAX_LENGTH] or _("From chat"),
            body=transcript,
            sections={"steps": transcript},
        )
        note = _("From a chat conversation")
    with transaction.atomic():
        article = article_create(
            author=actor,
            kind=kind,
            content=content,
            note=note,
            contributors=[m.author for m in messages],
        )
        _sources(article, messages=messages)
    return article


def review_reminders_send(*, now=None) -> int:
    """Remind the people who vouch for each article newly due for review; returns how many
    articles were reminded about. Each due date is reminded once.

    The article's last verifier and its authors hear of it, if they may still verify;
    an article with nobody left goes to the coordinators.
    """
    now = now or timezone.now()
    due = (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .filter(Q(review_due_at__isnull=True) | Q(review_due_at__lte=now))
        .filter(
            Q(review_reminded_at__isnull=True)
            | Q(review_due_at__isnull=False, review_reminded_at__lt=F("review_due_at"))
        )
        .select_related("verified_by")
        .prefetch_related("credits__user")
        .order_by("pk")
    )
    coordinators = None
    reminded = 0
    for article in due.iterator(chunk_size=200):
        vouchers = [
            credit.user
            for credit in article.credits.all()
            if credit.role == ArticleCredit.Role.AUTHOR
        ]
        if article.verified_by is not None:
            vouchers.append(article.verified_by)
        recipients = [user for user in vouchers if rules.can_verify(user, article)]
        if not recipients:
            if coordinators is None:
                coordinators = list(User.objects.filter(role=User.Role.COORDINATOR, is_active=True))
            recipients = coordinators
        with transaction.atomic():
            notifications_send(
                recipients=recipients,
                kind="knowledge.review_due",
                text=_("Time to check that the article «%(title)s» is still right")
                % {"title": article.title},
                url=article.get_absolute_url(),
                group_key=f"article:{article.pk}",
            )
            Article.objects.filter(pk=article.pk).update(review_reminded_at=now)
        reminded += 1
    return reminded
