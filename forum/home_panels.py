"""The forum on the home page: a newcomer's questions, a mentor's questions to answer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from forum import rules
from forum.models import Access, Thread
from profiles.roles import is_mentor_or_coordinator, is_newcomer

SHOWN = 5


def _visible(user):
    return Thread.objects.filter(
        is_hidden=False, category__read_access__in=rules.access_levels(user)
    )


def my_questions(user) -> dict | None:
    if not is_newcomer(user):
        return None
    return {
        "threads": list(
            _visible(user)
            .filter(author=user, kind=Thread.Kind.QUESTION)
            .order_by("-last_activity_at")[:SHOWN]
        ),
        "empty": _("You have not asked anything yet."),
        "ask": True,
    }


def to_answer(user) -> dict | None:
    """Questions nobody has answered, in the mentor's areas of expertise first."""
    if not is_mentor_or_coordinator(user):
        return None
    unanswered = _visible(user).filter(kind=Thread.Kind.QUESTION, reply_count=0)
    mine = list(
        unanswered.filter(tags__in=user.expertise.all()).distinct().order_by("created_at")[:SHOWN]
    )
    rest = (
        []
        if len(mine) >= SHOWN
        else list(
            unanswered.exclude(pk__in=[t.pk for t in mine]).order_by("created_at")[
                : SHOWN - len(mine)
            ]
        )
    )
    return {"threads": mine + rest, "empty": _("Every question has an answer. Thank you!")}


def mentor_discussions(user) -> dict | None:
    if not is_mentor_or_coordinator(user):
        return None
    return {
        "threads": list(
            _visible(user)
            .filter(category__read_access=Access.MENTORS)
            .order_by("-last_activity_at")[:SHOWN]
        ),
        "empty": _("No discussions yet."),
    }
