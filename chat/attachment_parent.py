"""Chat messages as what attachments belong to: a file is for the room's members."""

from __future__ import annotations

from django.http import Http404

from community.attachments.parents import ParentKind

KIND = "chat.message"


def _readable(user, message_id: int) -> bool:
    from chat import selectors

    try:
        return not selectors.message_get_for(user, message_id).is_deleted
    except Http404:
        return False


PARENT = ParentKind(KIND, _readable)
