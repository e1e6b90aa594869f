"""A notification kind of the tests' own, so the tests need no app that sends real ones."""

from __future__ import annotations

import pytest

from community.notifications import registry

KIND = "tests.reply"


@pytest.fixture
def kind() -> str:
    registry.KINDS.fill(registry.NotificationKind(KIND, "Test reply"))
    yield KIND
    registry.KINDS.empty(KIND)
