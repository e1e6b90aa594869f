"""The forum's background work, run by the workers (community/background)."""

from __future__ import annotations

from django_tasks import task

from community.notifications.services import notifications_email
from forum import search_index
from forum.models import Post


@task()
def reply_posted(post_id: int, notification_ids: list[int]) -> None:
    """What a new reply leaves to the workers: its search entry and its emails."""
    post = Post.objects.select_related("thread").filter(pk=post_id).first()
    if post is not None:  # a reply deleted meanwhile is simply not indexed
        search_index.index_post(post)
    notifications_email(notification_ids)
