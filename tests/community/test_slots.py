"""Slots: the one plug-in mechanism, filled in one place per app."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from community.slots import Slot

ROOT = Path(__file__).resolve().parents[2]
APPS = ["community", "profiles", "forum", "chat", "knowledge", "mentoring", "analytics"]


@dataclass(frozen=True)
class Plug:
    key: str
    order: int = 100


def test_a_slot_lists_its_plugs_by_order_then_key():
    slot: Slot[Plug] = Slot("test")
    for plug in [Plug("b"), Plug("a", order=200), Plug("c", order=5), Plug("a2")]:
        slot.fill(plug)
    assert [plug.key for plug in slot] == ["c", "a2", "b", "a"]
    assert len(slot) == 4 and "b" in slot and slot["c"] == Plug("c", order=5)
    assert slot.get("missing") is None


def test_filling_the_same_plug_twice_is_harmless_but_a_taken_key_is_an_error():
    slot: Slot[Plug] = Slot("test")
    slot.fill(Plug("a"))
    slot.fill(Plug("a"))
    with pytest.raises(ValueError, match="test: the key 'a' is already filled"):
        slot.fill(Plug("a", order=1))
    slot.empty("a")
    assert list(slot) == []


def _fills_outside_plugins() -> list[str]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.name == "plugins.py" or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "fill"
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_app_fills_slots_only_in_its_plugins_module():
    assert _fills_outside_plugins() == []


def test_every_app_fills_what_it_offers():
    """A smoke test of discovery: each app's plugs are there once Django is set up."""
    from community import markup, search
    from community.realtime.registry import FRAME_HANDLERS
    from forum.slots import ASKING_HINTS, QUESTION_LISTENERS, THREAD_ASIDES
    from profiles.seeding import DEMO_LOADERS

    assert {kind.key for kind in search.KINDS} == {
        "forum.thread",
        "forum.post",
        "chat.message",
        "knowledge.article",
        "profiles.member",
    }
    assert {"ping", "send", "forum.subscribe"} <= {handler.key for handler in FRAME_HANDLERS}
    assert {"forum.thread", "knowledge.article", "profiles.member"} == {
        titler.key for titler in markup.LINK_TITLERS
    }
    assert [loader.key for loader in DEMO_LOADERS] == [
        "forum",
        "chat",
        "knowledge",
        "mentoring",
        "analytics.history",
    ]
    assert "articles" in ASKING_HINTS and "knowledge" in THREAD_ASIDES
    assert "mentoring.routing" in QUESTION_LISTENERS
