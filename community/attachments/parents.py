"""What attachments belong to, registered by the apps that own those things.

The core does not know forum posts or chat messages. Each app fills `KINDS` with a kind
with the question only it can answer: may this member read the thing with this id? A
download asks it every time, so losing access to a room or a category loses the files too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from community.slots import Slot


@dataclass(frozen=True)
class ParentKind:
    key: str  # "forum.post"
    readable: Callable[[object, int], bool]  # (member, parent id) -> may they read it


KINDS: Slot[ParentKind] = Slot("attachment parent kinds")


def can_read_parent(user, key: str, parent_id: int) -> bool:
    kind = KINDS.get(key)
    return kind is not None and kind.readable(user, parent_id)
