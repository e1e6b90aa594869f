"""Where apps above the forum plug in: asides on the thread page (the knowledge base) and
new questions (mentoring routes them). They register in AppConfig.ready(); the forum never
imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from forum.models import Thread


@dataclass(frozen=True)
class ThreadAside:
    key: str
    template: str
    # (thread shown, member looking) -> template context, or None to leave it out
    context: Callable[[Thread, object], dict | None]
    order: int = 100


_asides: dict[str, ThreadAside] = {}


def register_thread_aside(aside: ThreadAside) -> None:
    _asides[aside.key] = aside


def asides_for(thread: Thread, viewer) -> list[tuple[ThreadAside, dict]]:
    shown = []
    for aside in sorted(_asides.values(), key=lambda a: (a.order, a.key)):
        context = aside.context(thread, viewer)
        if context is not None:
            shown.append((aside, context))
    return shown


# Called inside the transaction that creates a newcomer's question, with the thread.
_question_listeners: list[Callable[[Thread], None]] = []


def register_question_listener(listener: Callable[[Thread], None]) -> None:
    """Apps above the forum learn of new questions, e.g. to route them to mentors."""
    if listener not in _question_listeners:
        _question_listeners.append(listener)


def question_asked(thread: Thread) -> None:
    for listener in _question_listeners:
        listener(thread)
