"""Every write to the forum: threads, replies, edits, reactions, answers, subscriptions."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection, Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community import markup, mentions, search, text
from community.attachments.services import attachments_claim, attachments_delete_for
from community.background.queue import enqueue_on_commit
from community.notifications.services import (
    Notice,
    notices_send,
    notification_events,
    notifications_send,
)
from community.ratelimit import edit_hit, rate_limit_hit, reaction_hit
from community.realtime.events import send_events_on_commit
from forum import attachment_parent, rules, search_index, slots, tasks
from forum.models import (
    MAX_TREE_DEPTH,
    Category,
    ModerationAction,
    Post,
    PostRevision,
    Reaction,
    ReadState,
    Subscription,
    Thread,
    tree_path,
)
from forum.moderation import log_action
from profiles.models import ExpertiseTag
from profiles.roles import ROLE_FIELDS

# What the markup pipeline cooks at most: a longer body could pass the form and then fail.
MAX_BODY_LENGTH = markup.MAX_SOURCE_LENGTH
MAX_TAGS = 5
POSTS_PER_MINUTE = 10
THREADS_PER_HOUR = 10
REPLY_ATTEMPTS = 3
# How long the cache remembers a reply form's token (a resubmission comes within seconds).
SUBMISSION_TOKEN_SECONDS = 3600


THREAD_GROUP_PREFIX = "forum.thread."


def thread_group(thread_id: int) -> str:
    """Sockets reading a thread join this group to see new replies live."""
    return f"{THREAD_GROUP_PREFIX}{thread_id}"


def _cook(body: str) -> tuple[markup.Cooked, list]:
    if not body.strip():
        raise ValidationError({"body": _("Write something first.")}, code="empty")
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(
            {
                "body": _("The text is too long: at most %(limit)d characters.")
                % {"limit": MAX_BODY_LENGTH}
            },
            code="too_long",
        )
    members = mentions.mentioned_members(body)
    return markup.cook(mentions.link_mentions(body, members)), members


def thread_create(
    *,
    author,
    category: Category,
    kind: str,
    title: str,
    body: str,
    tags: Iterable[ExpertiseTag] = (),
    submission_token: uuid.UUID | None = None,
) -> Thread:
    """Start a thread with its opening post; the same submission twice gives one thread."""
    if submission_token and (existing := _submitted(author, submission_token)):
        return existing.thread
    if not rules.can_start_thread(author, category):
        raise PermissionDenied(_("You cannot start threads in this category."))
    title = text.one_line(title)
    if not title:
        raise ValidationError({"title": _("Give the thread a title.")})
    tags = list(tags)
    if len(tags) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(count)d tags.") % {"count": MAX_TAGS}})
    cooked, mentioned = _cook(body)
    rate_limit_hit(key=f"forum.thread:{author.pk}", limit=THREADS_PER_HOUR, period=3600)
    rate_limit_hit(key=f"forum.post:{author.pk}", limit=POSTS_PER_MINUTE, period=60)
    try:
        with transaction.atomic():
            thread = Thread.objects.create(
                category=category,
                kind=kind,
                title=title,
                author=author,
                last_poster=author,
                post_sequence=1,
            )
            thread.tags.set(tags)
            opening = Post.objects.create(
                thread=thread,
                number=1,
                depth=0,
                path=tree_path("", 1),
                author=author,
                body=body,
                body_html=cooked["html"],
                body_markup_version=cooked["version"],
                submission_token=submission_token,
            )
            attachments_claim(
                owner=author, parent_kind=attachment_parent.KIND, parent_id=opening.pk, text=body
            )
            Category.objects.filter(pk=category.pk).update(
                thread_count=F("thread_count") + 1,
                post_count=F("post_count") + 1,
                last_activity_at=thread.created_at,
            )
            _watch(author, thread)
            _mark_read(author, thread, 1)
            search.index(thread, new=True)
            _notify_new_thread(thread)
            if kind == Thread.Kind.QUESTION and author.is_newcomer:
                slots.question_asked(thread)
            _notify_post(opening, mentioned=mentioned, watchers=False)
    except IntegrityError:
        if submission_token and (existing := _submitted(author, submission_token)):
            return existing.thread
        raise
    return thread


def post_reply(
    *,
    author,
    thread: Thread,
    parent: Post | None,
    body: str,
    submission_token: uuid.UUID | None = None,
) -> Post:
    """Reply to a post (or to the thread's opening post) and tell those who follow."""
    # A second submission of the same form (a double click, a retry) returns the first
    # reply, before the rate limit counts it. The cache remembers recent tokens, so the
    # first submission costs no query; the database's unique (author, token) is the guard.
    if (
        submission_token
        and cache.get(_token_key(author, submission_token))
        and (existing := _submitted(author, submission_token))
    ):
        return existing
    if not rules.can_reply(author, thread):
        raise PermissionDenied(_("This thread is closed for replies."))
    if parent is not None and (parent.is_deleted or parent.is_hidden):
        raise ValidationError(_("This post was deleted or hidden; reply to the thread instead."))
    cooked, mentioned = _cook(body)
    rate_limit_hit(key=f"forum.post:{author.pk}", limit=POSTS_PER_MINUTE, period=60)
    for attempt in range(REPLY_ATTEMPTS):
        try:
            return _insert_reply(
                author=author,
                thread=thread,
                parent=parent,
                body=body,
                cooked=cooked,
                mentioned=mentioned,
                submission_token=submission_token,
            )
        except IntegrityError:
            if submission_token and (existing := _submitted(author, submission_token)):
                return existing
            # Without row locks (SQLite) two replies can read the same sequence: go again.
            if attempt == REPLY_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _insert_reply(
    *,
    author,
    thread: Thread,
    parent: Post | None,
    body: str,
    cooked: markup.Cooked,
    mentioned: list,
    submission_token: uuid.UUID | None,
) -> Post:
    with transaction.atomic():
        # With its category (the rules ask it), locking the thread's row alone.
        thread = (
            Thread.objects.select_for_update(of=("self",))
            .select_related("category")
            .get(pk=thread.pk)
        )
        parent = parent or thread.posts.get(number=1)
        if parent.thread_id != thread.pk:
            raise ValidationError(_("You can only reply to posts in this thread."))
        number = thread.post_sequence + 1
        if parent.depth + 1 > MAX_TREE_DEPTH:  # the tree is as deep as it goes: answer alongside
            parent = parent.parent or parent
        post = Post.objects.create(
            thread=thread,
            number=number,
            parent=parent,
            depth=parent.depth + 1,
            path=tree_path(parent.path, number),
            author=author,
            body=body,
            body_html=cooked["html"],
            body_markup_version=cooked["version"],
            submission_token=submission_token,
        )
        attachments_claim(
            owner=author, parent_kind=attachment_parent.KIND, parent_id=post.pk, text=body
        )
        Thread.objects.filter(pk=thread.pk).update(
            post_sequence=number,
            reply_count=F("reply_count") + 1,
            last_activity_at=post.created_at,
            last_poster=author,
        )
        Post.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
        Category.objects.filter(pk=thread.category_id).update(
            post_count=F("post_count") + 1, last_activity_at=post.created_at
        )
        _mark_read(author, thread, number)
        addressed = [parent.author_id, *(m.pk for m in mentioned)]
        subscriptions = _thread_subscriptions(thread, [author.pk, *addressed], watchers=False)
        if author.pk not in subscriptions:  # replying watches the thread, unless chosen otherwise
            Subscription.objects.bulk_create(
                [Subscription(user=author, thread=thread, level=Subscription.Level.WATCHING)],
                ignore_conflicts=True,
            )
        post.thread = thread
        # Those the reply speaks to hear at once; its watchers, however many, from the task.
        notified = _notify_post(
            post,
            parent=parent,
            mentioned=mentioned,
            subscriptions=subscriptions,
            watchers=False,
            email=False,
            broadcast=False,
        )
        # One task takes what the reply leaves to the workers: the watchers' notifications
        # (so a reply costs the same with 1 watcher or 500, as in Discourse), its search
        # entry (stemming is the dearest part of a reply) and every email.
        enqueue_on_commit(
            tasks.reply_posted, post.pk, [n.pk for n in notified], addressed=addressed
        )
        _remember_token(author, submission_token)
        # The thread's readers and the notified members, in one hop to the channel layer.
        new_post = {
            "type": "forum.post",
            "thread_id": thread.pk,
            "post_id": post.pk,
            "number": number,
            "path": post.path,
        }
        send_events_on_commit(
            [([thread_group(thread.pk)], new_post), *notification_events(notified)]
        )
    return post


# A member's views of one thread within this long count as one.
VIEW_COUNTED_SECONDS = 24 * 60 * 60


def _token_key(author, token: uuid.UUID) -> str:
    return f"forum.submitted:{author.pk}:{token}"


def _remember_token(author, token: uuid.UUID | None) -> None:
    # Set at once, not on commit: if the reply rolls back, the next submission only pays
    # the lookup that finds nothing.
    if token:
        cache.set(_token_key(author, token), True, timeout=SUBMISSION_TOKEN_SECONDS)


def _submitted(author, token: uuid.UUID) -> Post | None:
    return (
        Post.objects.select_related("thread").filter(author=author, submission_token=token).first()
    )


def post_edit(*, editor, post: Post, body: str, title: str | None = None) -> Post:
    """Change a post's text, keeping the old text as a revision."""
    if not rules.can_edit_post(editor, post):
        raise PermissionDenied(_("You cannot edit this post."))
    cooked, mentioned = _cook(body)
    edit_hit(editor)
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
        already = {member.pk for member in mentions.mentioned_members(post.body)}
        if post.body != body:
            PostRevision.objects.create(
                post=post, number=post.edit_count + 1, body=post.body, edited_by=editor
            )
            post.body, post.body_html = body, cooked["html"]
            post.body_markup_version = cooked["version"]
            post.edit_count += 1
            post.edited_at = timezone.now()
            post.save()
            attachments_claim(
                owner=editor, parent_kind=attachment_parent.KIND, parent_id=post.pk, text=body
            )
            _notify_post(post, mentioned=mentioned, already=already, watchers=False)
        if title is not None and post.is_opening:
            title = text.one_line(title)
            if not title:
                raise ValidationError({"title": _("Give the thread a title.")})
            Thread.objects.filter(pk=post.thread_id).update(title=title)
        if editor.pk != post.author_id:
            log_action(actor=editor, action=ModerationAction.Action.EDIT_POST, post=post)
        search_index.index_post(post)
    return post


def post_delete(*, actor, post: Post) -> Post:
    """Leave a tombstone: the tree keeps its shape, the text is gone from view."""
    if not rules.can_delete_post(actor, post):
        raise PermissionDenied(_("You cannot delete this post."))
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(is_deleted=True)
        post.is_deleted = True
        attachments_delete_for(parent_kind=attachment_parent.KIND, parent_id=post.pk)
        if post.thread.accepted_answer_id == post.pk:
            Thread.objects.filter(pk=post.thread_id).update(accepted_answer=None)
        if actor.pk != post.author_id:
            log_action(actor=actor, action=ModerationAction.Action.DELETE_POST, post=post)
        search_index.index_post(post)
    return post


def reaction_toggle(*, user, post: Post, kind: str) -> bool:
    """Add the member's reaction of this kind, or take it back; True when it now exists."""
    if kind not in Reaction.Kind.values:
        raise ValidationError(_("Unknown reaction."))
    if not rules.can_read_thread(user, post.thread) or post.is_deleted:
        raise PermissionDenied
    if post.author_id == user.pk:
        raise ValidationError(_("You cannot react to your own post."))
    reaction_hit(user)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        deleted, _rows = Reaction.objects.filter(post=locked, user=user, kind=kind).delete()
        if not deleted:
            Reaction.objects.create(post=locked, user=user, kind=kind)
        counts = dict(locked.reaction_counts)
        counts[kind] = max(0, counts.get(kind, 0) + (-1 if deleted else 1))
        locked.reaction_counts = {k: v for k, v in counts.items() if v}
        locked.save(update_fields=["reaction_counts"])
        if locked.is_opening:
            Thread.objects.filter(pk=locked.thread_id).update(
                score=sum(locked.reaction_counts.values())
            )
    post.reaction_counts = locked.reaction_counts
    return not deleted


def answer_accept(*, actor, post: Post) -> Thread:
    thread = post.thread
    if not rules.can_accept_answer(actor, thread):
        raise PermissionDenied(_("Only the asker, mentors and moderators accept answers."))
    if post.is_opening or post.is_deleted or post.is_hidden:
        raise ValidationError(_("Only a reply can be the accepted answer."))
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(accepted_answer=post)
        _notify_accepted(post, actor)
    thread.accepted_answer = post
    return thread


def answer_unaccept(*, actor, thread: Thread) -> Thread:
    if not rules.can_accept_answer(actor, thread):
        raise PermissionDenied
    Thread.objects.filter(pk=thread.pk).update(accepted_answer=None)
    thread.accepted_answer = None
    return thread


def thread_viewed(*, user, thread: Thread, up_to: int) -> None:
    """Remember how far the member has read, and count their view once a day: a reload,
    or coming back from a notification, is not another reader (Discourse counts the same)."""
    if cache.add(f"forum.viewed:{thread.pk}:{user.pk}", True, timeout=VIEW_COUNTED_SECONDS):
        Thread.objects.filter(pk=thread.pk).update(view_count=F("view_count") + 1)
    _mark_read(user, thread, up_to)


def thread_read(*, user, thread: Thread, up_to: int) -> None:
    """The member read on, to post number `up_to` (a further chunk of a long thread)."""
    _mark_read(user, thread, up_to)


def _mark_read(user, thread: Thread, number: int) -> None:
    updated = ReadState.objects.filter(
        user=user, thread=thread, last_read_number__lt=number
    ).update(last_read_number=number)
    if not updated:
        ReadState.objects.get_or_create(
            user=user, thread=thread, defaults={"last_read_number": number}
        )


def subscription_set(
    *, user, level: str | None, thread: Thread | None = None, category: Category | None = None
) -> Subscription | None:
    """Watch, track or mute a thread or category; None removes the choice."""
    if (thread is None) == (category is None):
        raise ValueError("Subscribe to exactly one thread or category")
    if level is not None and level not in Subscription.Level.values:
        raise ValidationError(_("Unknown notification level."))
    target: dict[str, Thread | Category | None] = (
        {"thread": thread} if thread else {"category": category}
    )
    with transaction.atomic():
        if level is None:
            Subscription.objects.filter(user=user, **target).delete()
            return None
        subscription, _created = Subscription.objects.update_or_create(
            user=user, thread=thread, category=category, defaults={"level": level}
        )
    return subscription


def _watch(user, thread: Thread) -> None:
    """Starting or replying to a thread watches it, unless the member chose otherwise."""
    Subscription.objects.get_or_create(
        user=user, thread=thread, defaults={"level": Subscription.Level.WATCHING}
    )


# --- Notifications -------------------------------------------------------------------
# Texts are written in the site's language, not the actor's: the reader may not share it.


def _in_site_language(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


@_in_site_language
def _notify_post(
    post: Post,
    *,
    parent: Post | None = None,
    mentioned=(),
    already: Collection[int] = frozenset(),
    watchers: bool = True,
    subscriptions: dict[int, Subscription] | None = None,
    email: bool = True,
    broadcast: bool = True,
) -> list:
    """Tell the parent's author, the members mentioned and the watchers: once each, in one
    batch whatever their number."""
    thread = post.thread
    if subscriptions is None:
        others = [*([parent.author_id] if parent else []), *(m.pk for m in mentioned)]
        subscriptions = _thread_subscriptions(thread, others, watchers=watchers)
    watching = [
        s.user
        for s in subscriptions.values()
        if watchers and s.level == Subscription.Level.WATCHING
    ]
    muted = {pk for pk, s in subscriptions.items() if s.level == Subscription.Level.MUTED}
    told = {post.author_id, *already}

    def audience(members) -> list:
        return _audience(thread, [m for m in members if m.pk not in told], muted=muted)

    names = {"name": post.author.full_name, "title": thread.title}
    url = post.get_absolute_url()
    group = f"thread:{thread.pk}"
    return notices_send(
        [
            Notice(
                audience([parent.author] if parent is not None else []),
                actor=post.author,
                kind="forum.reply",
                url=url,
                group_key=group,
                text=_("%(name)s replied to you in «%(title)s»") % names,
            ),
            Notice(
                audience(mentioned),
                actor=post.author,
                kind="forum.mention",
                url=url,
                text=_("%(name)s mentioned you in «%(title)s»") % names,
            ),
            Notice(
                audience(watching),
                actor=post.author,
                url=url,
                kind="forum.watched_reply",
                group_key=group,
                text=_("New reply in «%(title)s»") % names,
            ),
        ],
        email=email,
        broadcast=broadcast,
    )


def reply_watchers_notify(post: Post, *, addressed: Collection[int]) -> list:
    """Tell the thread's watchers of a new reply, but for the members it `addressed` (its
    parent's author and those it mentions: the reply told them itself) and its author.
    A worker's job (forum/tasks.py): the notifications are live through the relay."""
    return _notify_post(post, already=addressed, watchers=True, email=False)


def _thread_subscriptions(
    thread: Thread, others: list[int], *, watchers: bool
) -> dict[int, Subscription]:
    """The thread's watchers (if wanted), and the choice (muted, say) of these other
    members: one query."""
    if not others and not watchers:
        return {}
    which = Q(user_id__in=others)
    if watchers:
        which |= Q(level=Subscription.Level.WATCHING)
    return {
        s.user_id: s
        for s in Subscription.objects.filter(thread=thread)
        .filter(which)
        .select_related("user")
        # What the rules ask of a member, not whole profiles (bios and all) for every watcher.
        .only("user_id", "level", *(f"user__{field}" for field in ROLE_FIELDS))
    }


@_in_site_language
def _notify_accepted(post: Post, actor) -> None:
    notifications_send(
        recipients=_audience(post.thread, [post.author]),
        actor=actor,
        kind="forum.accepted",
        text=_("Your answer was accepted: %(title)s") % {"title": post.thread.title},
        url=post.get_absolute_url(),
    )


def _audience(thread: Thread, members: list, *, muted: set[int] | None = None) -> list:
    """Those of `members` (once each) who may read the thread and have not muted it;
    `muted`, when the caller read the thread's subscriptions already."""
    members = list({m.pk: m for m in members}.values())
    if muted is None:
        muted = set(
            Subscription.objects.filter(
                thread=thread,
                level=Subscription.Level.MUTED,
                user_id__in=[m.pk for m in members],
            ).values_list("user_id", flat=True)
        )
    return [m for m in members if m.pk not in muted and rules.can_read_thread(m, thread)]


@_in_site_language
def _notify_new_thread(thread: Thread) -> None:
    watchers = [
        s.user
        for s in Subscription.objects.filter(
            category=thread.category, level=Subscription.Level.WATCHING
        ).select_related("user")
    ]
    notifications_send(
        recipients=[u for u in watchers if rules.can_read_thread(u, thread)],
        actor=thread.author,
        kind="forum.new_thread",
        url=thread.get_absolute_url(),
        text=_("New thread in %(category)s: «%(title)s»")
        % {"category": thread.category.name, "title": thread.title},
    )
