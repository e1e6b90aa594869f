"""The places on a profile page that other apps fill: threads, answers, articles, mentees,
and buttons such as «Написать».

An app registers a panel or a button in its AppConfig.ready(); the profile page renders
every registered one in order. profiles never imports the apps that fill it.
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


@dataclass(frozen=True)
class ProfileButton:
    """A button on a profile that posts the member's slug (as `member`) to another app."""

    key: str
    label: str | Promise
    url_name: str
    # (member shown, member looking) -> whether the button shows
    shown: Callable[[User, User], bool]
    order: int = 100


_buttons: dict[str, ProfileButton] = {}


def register_profile_button(button: ProfileButton) -> None:
    _buttons[button.key] = button


def buttons_for(member: User, viewer: User) -> list[ProfileButton]:
    return [button for button in sorted(_buttons.values(), key=lambda b: (b.order, b.key))
            if button.shown(member, viewer)]
