"""The home page's panels, filled by the apps: the newcomer's mentor and plan, the mentor's
mentees, questions waiting for an answer. An app registers a panel in AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class HomePanel:
    key: str
    title: str | Promise
    template: str
    # (member) -> template context, or None to leave the panel out for this member
    context: Callable[[object], dict | None]
    order: int = 100


_panels: dict[str, HomePanel] = {}


def register_home_panel(panel: HomePanel) -> None:
    _panels[panel.key] = panel


def panels_for(user) -> list[tuple[HomePanel, dict]]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(user)
        if context is not None:
            shown.append((panel, context))
    return shown
