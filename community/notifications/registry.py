"""The registry of notification kinds that apps plug into.

Each app registers the kinds it sends (`forum.reply`, `chat.mention`) in its
AppConfig.ready(), so the core can label them on the settings page and in email
subjects without importing the app.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise

# `<app>.<event>`: the prefix names the owner, so two apps never collide.
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$")
KIND_MAX_LENGTH = 60

_kinds: dict[str, str | Promise] = {}


def register_kind(kind: str, label: str | Promise) -> None:
    """Declare a notification kind; `label` is a lazy translatable string."""
    if len(kind) > KIND_MAX_LENGTH or not KIND_PATTERN.match(kind):
        raise ValueError(f"A notification kind looks like 'app.event', got {kind!r}")
    existing = _kinds.get(kind)
    if existing is not None and str(existing) != str(label):
        raise ValueError(f"The notification kind {kind!r} is already registered")
    _kinds[kind] = label


def unregister_kind(kind: str) -> None:
    """Forget a kind (for tests that register their own)."""
    _kinds.pop(kind, None)


def is_registered(kind: str) -> bool:
    return kind in _kinds


def kind_label(kind: str) -> str | Promise:
    """The kind's label, or the raw kind for rows left by an app that was removed."""
    return _kinds.get(kind, kind)


def registered_kinds() -> list[tuple[str, str | Promise]]:
    return sorted(_kinds.items())
