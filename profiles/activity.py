"""The places on a profile page that other apps fill: threads, answers, articles, mentees.

An app registers a panel in its AppConfig.ready(); the profile page renders every
registered panel in order. profiles never imports the apps that fill it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from profiles.models import User


@dataclass(frozen=True)
class ActivityPanel:
    key: str
    title: str | Promise
    template: str
    # (member shown, member looking) -> template context, or None to hide the panel
    context: Callable[[User, User], dict | None]
    order: int = 100


_panels: dict[str, ActivityPanel] = {}


def register_activity_panel(panel: ActivityPanel) -> None:
    _panels[panel.key] = panel


def panels_for(member: User, viewer: User) -> list[tuple[ActivityPanel, dict]]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(member, viewer)
        if context is not None:
            rendered.append((panel, context))
    return rendered
