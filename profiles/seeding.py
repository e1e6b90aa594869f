"""Demo data that other apps add after the community exists (`manage.py seed_demo`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from community.slots import Slot


@dataclass(frozen=True)
class DemoLoader:
    key: str
    # Gets a write(str) for progress, and must be idempotent, like seed_demo.
    load: Callable[[Callable[[str], None]], None]
    order: int = 100


# seed_demo runs them by order, after the people and departments exist.
DEMO_LOADERS: Slot[DemoLoader] = Slot("demo loaders")
