"""Where the floors above the forum plug in: asides on the thread page and hints while a
question is typed (the knowledge base), and new questions (mentoring routes them). They
fill these slots in their plugins; the forum never imports them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from community.slots import Slot, shown
from forum.models import Thread

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ThreadAside:
    key: str
    template: str
    # (thread shown, member looking) -> template context, or None to leave it out
    context: Callable[[Thread, object], dict | None]
    order: int = 100


THREAD_ASIDES: Slot[ThreadAside] = Slot("thread asides")


def asides_for(thread: Thread, viewer) -> list[tuple[ThreadAside, dict]]:
    return shown(THREAD_ASIDES, thread, viewer)


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class AskingHint:
    """While a question's title is typed: other places that may already answer it."""

    key: str
    heading: StrOrPromise
    # (member asking, title typed) -> links the member may open, best first
    links: Callable[[object, str], list[Link]]
    order: int = 100


ASKING_HINTS: Slot[AskingHint] = Slot("hints while asking")


def hints_for(user, title: str) -> list[tuple[AskingHint, list[Link]]]:
    found = ((hint, hint.links(user, title)) for hint in ASKING_HINTS)
    return [(hint, links) for hint, links in found if links]


@dataclass(frozen=True)
class QuestionListener:
    """Learns of a newcomer's new question inside the transaction that creates it, e.g. to
    route it to mentors."""

    key: str
    heard: Callable[[Thread], object]  # what it returns is not used
    order: int = 100


QUESTION_LISTENERS: Slot[QuestionListener] = Slot("question listeners")


def question_asked(thread: Thread) -> None:
    for listener in QUESTION_LISTENERS:
        listener.heard(thread)
