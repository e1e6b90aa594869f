"""The forum's background work, run by the workers (community/background)."""

from __future__ import annotations

from django_tasks import task

from community.notifications.services import notifications_email
from forum import search_index
from forum.models import Post


@task()
def reply_posted(
    post_id: int, notification_ids: list[int], addressed: list[int] | None = None
) -> None:
    """What a new reply leaves to the workers: its watchers' notifications, its search
    entry and its emails (those of the members it addressed, in `notification_ids`, and
    the watchers')."""
    from forum.services import reply_watchers_notify

    post = Post.objects.select_related("thread__category", "author").filter(pk=post_id).first()
    watched = []
    if post is not None:  # a reply deleted meanwhile is neither announced nor indexed
        if post.is_visible_text:  # nor is one hidden or withdrawn before its task ran
            watched = reply_watchers_notify(post, addressed=addressed or [])
        search_index.index_post(post)
    notifications_email([*notification_ids, *(n.pk for n in watched)])
