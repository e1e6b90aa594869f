"""Articles for the knowledge-base tests; the forum's threads come from its conftest."""

from __future__ import annotations

import pytest

from knowledge import services
from knowledge.models import Article
from knowledge.services import Content
from tests.forum.conftest import (  # noqa: F401  (fixtures)
    answer,
    lounge_thread,
    mentor_lounge,
    newcomers_corner,
    question,
)


@pytest.fixture
def draft(mentor) -> Article:
    return services.article_create(
        author=mentor,
        kind=Article.Kind.ARTICLE,
        content=Content(title="Первый день наставника", body="Встретить и **показать** всё."),
    )


@pytest.fixture
def practice(mentor) -> Article:
    article = services.article_create(
        author=mentor,
        kind=Article.Kind.PRACTICE,
        content=Content(
            title="Адаптационный маршрут",
            summary="Как провести первую неделю.",
            sections={"goal": "Снизить тревогу новичка", "steps": "1. Встреча\n2. Экскурсия"},
        ),
    )
    return services.article_publish(actor=mentor, article=article)
