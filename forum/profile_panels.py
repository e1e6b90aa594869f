"""The forum's places on profile pages: threads started and accepted answers."""

from __future__ import annotations

from forum import selectors

SHOWN = 5


def _panel(threads) -> dict | None:
    """The count and the latest few, or None to leave the panel out."""
    count = threads.count()
    if not count:
        return None
    return {"count": count, "items": list(threads.order_by("-created_at")[:SHOWN])}


def threads(member, viewer) -> dict | None:
    return _panel(selectors.threads_started_by(member, viewer))


def answers(member, viewer) -> dict | None:
    return _panel(selectors.accepted_answers_by(member, viewer))
