"""What attachments belong to, registered by the apps that own those things.

The core does not know forum posts or chat messages. Each app registers a parent kind
with the question only it can answer: may this member read the thing with this id? A
download asks it every time, so losing access to a room or a category loses the files too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ParentKind:
    key: str  # "forum.post"
    readable: Callable[[object, int], bool]  # (member, parent id) -> may they read it


_kinds: dict[str, ParentKind] = {}


def register_parent_kind(kind: ParentKind) -> None:
    _kinds[kind.key] = kind


def parent_kind(key: str) -> ParentKind:
    return _kinds[key]


def can_read_parent(user, key: str, parent_id: int) -> bool:
    kind = _kinds.get(key)
    return kind is not None and kind.readable(user, parent_id)
