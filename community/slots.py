"""Slots: the one way a lower floor lets the floors above it plug in.

A floor that must show or call something it cannot name (the core does not know forum
posts; the forum does not know the knowledge base) declares a `Slot` of a small frozen
dataclass. Each app fills the slots below it in one place, its `plugins.py`, which
`community.apps` imports for every installed app once the app registry is ready, as
Django's admin discovers `admin.py`. A floor that may import the one above directly (the
home page, which sits on top of the house) calls it directly instead.

Every plug has a `key`, unique in its slot, and may have an `order` (default 100); a slot
lists its plugs by (order, key), so the order of INSTALLED_APPS never shows on a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, Protocol, TypeVar


class Plug(Protocol):
    @property
    def key(self) -> str: ...


P = TypeVar("P", bound=Plug)

DEFAULT_ORDER = 100


class Slot(Generic[P]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._plugs: dict[str, P] = {}

    def fill(self, plug: P) -> P:
        """Add a plug; filling the same plug again is harmless, a different one with a key
        already taken is a programming error."""
        existing = self._plugs.get(plug.key)
        if existing is not None and existing != plug:
            raise ValueError(f"{self.name}: the key {plug.key!r} is already filled")
        self._plugs[plug.key] = plug
        return plug

    def empty(self, key: str) -> None:
        """Take a plug out (for tests that fill a slot of their own)."""
        self._plugs.pop(key, None)

    def get(self, key: str) -> P | None:
        return self._plugs.get(key)

    def __getitem__(self, key: str) -> P:
        return self._plugs[key]

    def __contains__(self, key: object) -> bool:
        return key in self._plugs

    def __iter__(self) -> Iterator[P]:
        return iter(
            sorted(
                self._plugs.values(),
                key=lambda plug: (getattr(plug, "order", DEFAULT_ORDER), plug.key),
            )
        )

    def __len__(self) -> int:
        return len(self._plugs)

    def __repr__(self) -> str:
        return f"<Slot {self.name}: {', '.join(self._plugs)}>"


class Panel(Protocol):
    """A plug that shows a part of a page: its template context, or None to stay out."""

    @property
    def context(self) -> Callable[..., dict | None]: ...


PanelT = TypeVar("PanelT", bound=Panel)


def shown(panels: Iterable[PanelT], *args: Any) -> list[tuple[PanelT, dict]]:
    """The panels that show for these arguments (who is shown, who looks), with context."""
    found = ((panel, panel.context(*args)) for panel in panels)
    return [(panel, context) for panel, context in found if context is not None]


def discover_plugins() -> None:
    """Import every installed app's `plugins` module, where it fills the slots below it."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("plugins")
