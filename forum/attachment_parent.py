"""Forum posts as what attachments belong to: a file is as readable as its post."""

from __future__ import annotations

from django.http import Http404

from community.attachments.parents import ParentKind

KIND = "forum.post"


def _readable(user, post_id: int) -> bool:
    from forum import rules, selectors

    try:
        post = selectors.post_get_for(user, post_id)
    except Http404:
        return False
    return not post.is_deleted or rules.is_moderator(user)


PARENT = ParentKind(KIND, _readable)
