"""The places on a profile page that other apps fill: threads, answers, articles, mentees,
and buttons such as «Написать».

An app fills `PANELS` or `BUTTONS` in its plugins; the profile page renders every one in
order. profiles never imports the apps that fill it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from community.slots import Slot, shown
from profiles.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ActivityPanel:
    key: str
    title: StrOrPromise
    template: str
    # (member shown, member looking) -> template context, or None to hide the panel
    context: Callable[[User, User], dict | None]
    order: int = 100


PANELS: Slot[ActivityPanel] = Slot("profile activity panels")


def panels_for(member: User, viewer: User) -> list[tuple[ActivityPanel, dict]]:
    return shown(PANELS, member, viewer)


@dataclass(frozen=True)
class ProfileButton:
    """A button on a profile that posts the member's slug (as `member`) to another app."""

    key: str
    label: StrOrPromise
    url_name: str
    # (member shown, member looking) -> whether the button shows
    shown: Callable[[User, User], bool]
    order: int = 100


BUTTONS: Slot[ProfileButton] = Slot("profile buttons")


def buttons_for(member: User, viewer: User) -> list[ProfileButton]:
    return [button for button in BUTTONS if button.shown(member, viewer)]
