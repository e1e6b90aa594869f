"""Who may do what in the forum. Selectors and services ask these; views never decide."""

from __future__ import annotations

from forum.models import Access, Category, Post, Thread
from profiles.roles import active_only, is_active_member, is_mentor, is_moderator


def access_levels(user) -> set[str]:
    """The category access levels a member satisfies."""
    if not is_active_member(user):
        return set()
    if is_moderator(user):
        return {Access.MEMBERS, Access.MENTORS, Access.COORDINATORS}
    if is_mentor(user):
        return {Access.MEMBERS, Access.MENTORS}
    return {Access.MEMBERS}


@active_only
def can_read_category(user, category: Category) -> bool:
    return category.read_access in access_levels(user)


@active_only
def can_start_thread(user, category: Category) -> bool:
    levels = access_levels(user)
    return category.read_access in levels and category.start_access in levels


@active_only
def can_read_thread(user, thread: Thread) -> bool:
    return can_read_category(user, thread.category) and (not thread.is_hidden or is_moderator(user))


@active_only
def can_reply(user, thread: Thread) -> bool:
    return can_read_thread(user, thread) and (not thread.is_locked or is_moderator(user))


def text_hidden_from(user, post: Post) -> bool:
    """A hidden post's text stays with its author and the moderators."""
    return post.is_hidden and not (
        is_moderator(user) or (is_active_member(user) and post.author_id == user.pk)
    )


@active_only
def can_edit_post(user, post: Post) -> bool:
    if post.is_deleted:
        return False
    return is_moderator(user) or (post.author_id == user.pk and not post.thread.is_locked)


@active_only
def can_delete_post(user, post: Post) -> bool:
    if post.is_deleted:
        return False
    if is_moderator(user):
        return True
    # The opening post holds the thread together; once answered, only moderators hide it.
    return post.author_id == user.pk and not (post.is_opening and post.thread.reply_count)


@active_only
def can_read_history(user, post: Post) -> bool:
    """A deleted post's earlier texts go with it; only moderators still see them."""
    return not post.is_deleted or is_moderator(user)


@active_only
def can_accept_answer(user, thread: Thread) -> bool:
    """The asker decides which answer solved their question, and the moderators may for
    them, as in Discourse Solved; a mentor may not crown her own answer."""
    return thread.is_question and (thread.author_id == user.pk or is_moderator(user))
