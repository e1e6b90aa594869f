"""The notification kinds that apps plug into.

Each app fills `KINDS` with the kinds it sends (`forum.reply`, `chat.mention`) in its
plugins, so the core can label them on the settings page and in email subjects without
importing the app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from community.slots import Slot

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# `<app>.<event>`: the prefix names the owner, so two apps never collide.
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$")
KIND_MAX_LENGTH = 60
# The error about a kind that no app registered, on the settings form and from services.
UNKNOWN_KIND = _("There is no notification kind “%(value)s”.")


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: StrOrPromise  # a lazy translatable string

    def __post_init__(self) -> None:
        if len(self.key) > KIND_MAX_LENGTH or not KIND_PATTERN.match(self.key):
            raise ValueError(f"A notification kind looks like 'app.event', got {self.key!r}")

    def __eq__(self, other: object) -> bool:
        # Lazy labels compare by their text: the same kind filled twice is the same kind.
        return (
            isinstance(other, NotificationKind)
            and other.key == self.key
            and str(other.label) == str(self.label)
        )

    def __hash__(self) -> int:
        return hash(self.key)


KINDS: Slot[NotificationKind] = Slot("notification kinds")


def is_registered(kind: str) -> bool:
    return kind in KINDS


def kind_label(kind: str) -> StrOrPromise:
    """The kind's label, or the raw kind for rows left by an app that was removed."""
    found = KINDS.get(kind)
    return found.label if found is not None else kind


def registered_kinds() -> list[tuple[str, StrOrPromise]]:
    return [(kind.key, kind.label) for kind in sorted(KINDS, key=lambda kind: kind.key)]
