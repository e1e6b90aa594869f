"""The forum's frames on /ws/: follow a thread to see its new replies live."""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from community.realtime.registry import Frame
from forum import selectors
from forum.services import THREAD_GROUP_PREFIX, thread_group


def _thread_id(frame: Frame) -> int:
    thread_id = frame.get("thread_id")
    if not isinstance(thread_id, int) or isinstance(thread_id, bool):
        raise ValidationError(_("thread_id must be a number."))
    return thread_id


async def subscribe(connection, frame: Frame) -> Frame:
    """Join a thread's group, only if the member may read the thread."""
    thread_id = _thread_id(frame)
    await database_sync_to_async(selectors.thread_get_for)(connection.user, thread_id)
    await connection.join(thread_group(thread_id))
    return {"type": "forum.subscribed", "thread_id": thread_id, "id": frame.get("id")}


async def unsubscribe(connection, frame: Frame) -> Frame:
    thread_id = _thread_id(frame)
    await connection.leave(thread_group(thread_id))
    return {"type": "forum.unsubscribed", "thread_id": thread_id, "id": frame.get("id")}


def still_reads_thread(user, group: str) -> bool:
    """The group guard of live threads: may the member still read the thread?"""
    try:
        selectors.thread_get_for(user, int(group.removeprefix(THREAD_GROUP_PREFIX)))
    except (Http404, ValueError):
        return False
    return True
