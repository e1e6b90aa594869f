"""Moderators' writes: pin, lock, move, hide and restore; flags; the audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import rules, search_index
from forum.models import Category, Flag, ModerationAction, Post, Thread

# A post with this many open flags from different members hides itself until reviewed.
AUTO_HIDE_FLAGS = getattr(settings, "FORUM_AUTO_HIDE_FLAGS", 3)
Action = ModerationAction.Action


def log_action(
    *, actor, action: str, thread: Thread | None = None, post: Post | None = None, detail: str = ""
) -> ModerationAction:
    return ModerationAction.objects.create(
        actor=actor,
        action=action,
        thread=thread or (post.thread if post else None),
        post=post,
        detail=detail[:300],
    )


def _require_moderator(user) -> None:
    if not rules.is_moderator(user):
        raise PermissionDenied(_("Only moderators can do this."))


def thread_set_flags(
    *,
    moderator,
    thread: Thread,
    pinned: bool | None = None,
    locked: bool | None = None,
    hidden: bool | None = None,
) -> Thread:
    """Pin or unpin, lock or unlock, hide or restore a thread, logging each change."""
    _require_moderator(moderator)
    changes = {
        "is_pinned": (pinned, Action.PIN, Action.UNPIN),
        "is_locked": (locked, Action.LOCK, Action.UNLOCK),
        "is_hidden": (hidden, Action.HIDE_THREAD, Action.RESTORE_THREAD),
    }
    with transaction.atomic():
        for field, (value, on, off) in changes.items():
            if value is None or getattr(thread, field) == value:
                continue
            setattr(thread, field, value)
            thread.save(update_fields=[field])
            log_action(actor=moderator, action=on if value else off, thread=thread)
        if hidden is not None:
            search_index.index_thread(thread)
    return thread


def thread_move(*, moderator, thread: Thread, category: Category) -> Thread:
    _require_moderator(moderator)
    if category.pk == thread.category_id:
        return thread
    with transaction.atomic():
        old = thread.category
        posts = thread.posts.count()
        Category.objects.filter(pk=old.pk).update(
            thread_count=F("thread_count") - 1, post_count=F("post_count") - posts
        )
        Category.objects.filter(pk=category.pk).update(
            thread_count=F("thread_count") + 1, post_count=F("post_count") + posts
        )
        thread.category = category
        thread.save(update_fields=["category"])
        log_action(
            actor=moderator,
            action=Action.MOVE,
            thread=thread,
            detail=f"{old.name} → {category.name}",
        )
        search_index.index_thread(thread)
    return thread


def post_set_hidden(*, moderator, post: Post, hidden: bool) -> Post:
    _require_moderator(moderator)
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(is_hidden=hidden)
        post.is_hidden = hidden
        if not hidden:
            _resolve_flags(moderator, post)
        log_action(
            actor=moderator, action=Action.HIDE_POST if hidden else Action.RESTORE_POST, post=post
        )
        search_index.index_post(post)
    return post


def flags_dismiss(*, moderator, post: Post) -> None:
    _require_moderator(moderator)
    with transaction.atomic():
        _resolve_flags(moderator, post)
        log_action(actor=moderator, action=Action.DISMISS_FLAGS, post=post)


def _resolve_flags(moderator, post: Post) -> None:
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )
    Post.objects.filter(pk=post.pk).update(flag_count=0)


def flag_create(*, user, post: Post, reason: str, comment: str = "") -> Flag:
    """Report a post; enough distinct reports hide it until a moderator looks."""
    if not rules.can_read_thread(user, post.thread) or post.is_deleted:
        raise PermissionDenied
    if post.author_id == user.pk:
        raise ValidationError(_("You cannot flag your own post."))
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                post=post, user=user, reason=reason, comment=comment.strip()[:500]
            )
            Post.objects.filter(pk=post.pk).update(flag_count=F("flag_count") + 1)
            post.refresh_from_db(fields=["flag_count", "is_hidden"])
            if post.flag_count >= AUTO_HIDE_FLAGS and not post.is_hidden:
                Post.objects.filter(pk=post.pk).update(is_hidden=True)
                post.is_hidden = True
                log_action(
                    actor=None,
                    action=Action.AUTO_HIDE_POST,
                    post=post,
                    detail=_("%(count)d flags") % {"count": post.flag_count},
                )
                search_index.index_post(post)
    except IntegrityError:
        raise ValidationError(_("You have already flagged this post."), code="duplicate") from None
    return flag
