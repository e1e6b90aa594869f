"""Who may do what in the forum. Selectors and services ask these; views never decide."""

from __future__ import annotations

from forum.models import Access, Category, Post, Thread


def is_moderator(user) -> bool:
    """Coordinators and staff moderate the forum."""
    return bool(user.is_authenticated and user.is_active
                and (user.is_coordinator or user.is_staff or user.is_superuser))


def access_levels(user) -> set[str]:
    """The category access levels a member satisfies."""
    if not (user.is_authenticated and user.is_active):
        return set()
    if is_moderator(user):
        return {Access.MEMBERS, Access.MENTORS, Access.COORDINATORS}
    if user.is_mentor:
        return {Access.MEMBERS, Access.MENTORS}
    return {Access.MEMBERS}


def can_read_category(user, category: Category) -> bool:
    return category.read_access in access_levels(user)


def can_start_thread(user, category: Category) -> bool:
    levels = access_levels(user)
    return category.read_access in levels and category.start_access in levels


def can_read_thread(user, thread: Thread) -> bool:
    return can_read_category(user, thread.category) and (not thread.is_hidden
                                                         or is_moderator(user))


def can_reply(user, thread: Thread) -> bool:
    return can_read_thread(user, thread) and (not thread.is_locked or is_moderator(user))


def text_hidden_from(user, post: Post) -> bool:
    """A hidden post's text stays with its author and the moderators."""
    return post.is_hidden and not (is_moderator(user) or post.author_id == user.pk)


def can_edit_post(user, post: Post) -> bool:
    if post.is_deleted:
        return False
    return is_moderator(user) or (post.author_id == user.pk and not post.thread.is_locked)


def can_delete_post(user, post: Post) -> bool:
    if post.is_deleted:
        return False
    if is_moderator(user):
        return True
    # The opening post holds the thread together; once answered, only moderators hide it.
    return post.author_id == user.pk and not (post.is_opening and post.thread.reply_count)


def can_read_history(user, post: Post) -> bool:
    """A deleted post's earlier texts go with it; only moderators still see them."""
    return not post.is_deleted or is_moderator(user)


def can_accept_answer(user, thread: Thread) -> bool:
    return thread.is_question and (
        thread.author_id == user.pk or user.is_mentor or is_moderator(user)
    )
