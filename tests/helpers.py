"""Test helpers shared across apps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.test import TestCase


@dataclass
class CapturedEvents:
    sent: list[tuple[list[str], dict]] = field(default_factory=list)

    @property
    def types(self) -> list[str]:
        return [event["type"] for _groups, event in self.sent]


@contextmanager
def capture_events() -> Iterator[CapturedEvents]:
    """Record what send_event_on_commit() broadcast, running on-commit callbacks at exit.

    Like Zulip's capture_send_event_calls: assert on the events a service sent
    without a running channel layer.
    """
    captured = CapturedEvents()

    def record(groups: list[str], event: dict) -> None:
        captured.sent.append((list(groups), event))

    with mock.patch("community.realtime.events._broadcast", side_effect=record), \
            TestCase.captureOnCommitCallbacks(execute=True):
        yield captured
