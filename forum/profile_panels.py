"""The forum's places on profile pages: threads started and accepted answers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from forum import selectors
from profiles.activity import ActivityPanel, register_activity_panel

SHOWN = 5


def _panel(threads) -> dict | None:
    """The count and the latest few, or None to leave the panel out."""
    count = threads.count()
    if not count:
        return None
    return {"count": count, "items": list(threads.order_by("-created_at")[:SHOWN])}


def _threads(member, viewer) -> dict | None:
    return _panel(selectors.threads_started_by(member, viewer))


def _answers(member, viewer) -> dict | None:
    return _panel(selectors.accepted_answers_by(member, viewer))


def register() -> None:
    register_activity_panel(ActivityPanel(
        key="forum-threads", title=_("Threads"), template="forum/partials/profile_threads.html",
        context=_threads, order=10,
    ))
    register_activity_panel(ActivityPanel(
        key="forum-answers", title=_("Accepted answers"),
        template="forum/partials/profile_threads.html", context=_answers, order=20,
    ))
