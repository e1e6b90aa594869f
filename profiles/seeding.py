"""Demo data that other apps add after the community exists (`manage.py seed_demo`)."""

from __future__ import annotations

from collections.abc import Callable

# A loader gets a write(str) for progress and must be idempotent, like seed_demo.
DemoLoader = Callable[[Callable[[str], None]], None]

_loaders: list[tuple[int, DemoLoader]] = []


def register_demo_loader(loader: DemoLoader, *, order: int = 100) -> None:
    if all(existing is not loader for _order, existing in _loaders):
        _loaders.append((order, loader))


def demo_loaders() -> list[DemoLoader]:
    return [loader for _order, loader in sorted(_loaders, key=lambda item: item[0])]
