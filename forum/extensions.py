"""Places on the thread page that apps above the forum fill, such as the knowledge base.

An app registers an aside in its AppConfig.ready(); the forum never imports it.
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
