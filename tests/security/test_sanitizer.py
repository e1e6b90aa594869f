"""The one sanitizing pipeline is idempotent on hostile input too: cleaning what it cleaned
changes nothing, so stored HTML re-cooked by `rerender_markup` never drifts."""

from __future__ import annotations

import pytest

from community import markup
from tests.xss_corpus import CORPUS

VECTORS = [pytest.param(payload, id=name) for name, payload in CORPUS]


def test_the_corpus_is_big_enough():
    assert len(CORPUS) >= 150


@pytest.mark.parametrize("payload", VECTORS)
def test_sanitizing_twice_is_sanitizing_once(payload):
    once = str(markup.sanitize(payload))
    assert str(markup.sanitize(once)) == once


@pytest.mark.parametrize("payload", VECTORS)
def test_rendering_is_stable_when_cooked_html_is_cleaned_again(payload):
    cooked = str(markup.render(payload))
    assert str(markup.sanitize(cooked)) == cooked
    assert str(markup.render(payload)) == cooked
