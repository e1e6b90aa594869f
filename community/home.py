"""The home page's panels: the newcomer's mentor and plan, the mentor's mentees, questions
waiting for an answer, what to read.

The home page sits on top of the house (it belongs to the project package, not the core),
so it names the apps' panels directly instead of offering a slot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from community.slots import shown
from forum import home_panels as forum_panels
from knowledge import home_panels as knowledge_panels
from mentoring import home_panels as mentoring_panels

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class HomePanel:
    key: str
    title: StrOrPromise
    template: str
    # (member) -> template context, or None to leave the panel out for this member
    context: Callable[[object], dict | None]


PANELS = [
    HomePanel(
        "my-mentor", _("My mentor"), "mentoring/home_mentor.html", mentoring_panels.my_mentor
    ),
    HomePanel(
        "my-mentees", _("My mentees"), "mentoring/home_mentees.html", mentoring_panels.my_mentees
    ),
    HomePanel(
        "forum-my-questions",
        _("My questions"),
        "forum/partials/home_threads.html",
        forum_panels.my_questions,
    ),
    HomePanel(
        "forum-to-answer",
        _("Questions waiting for an answer"),
        "forum/partials/home_threads.html",
        forum_panels.to_answer,
    ),
    HomePanel(
        "forum-mentor-discussions",
        _("Recent mentor discussions"),
        "forum/partials/home_threads.html",
        forum_panels.mentor_discussions,
    ),
    HomePanel(
        "knowledge-suggested",
        _("Worth reading"),
        "knowledge/partials/home_articles.html",
        knowledge_panels.suggested,
    ),
]


def panels_for(user) -> list[tuple[HomePanel, dict]]:
    return shown(PANELS, user)
