"""Search fixtures: the forum's categories and threads, plus a few texts to find."""

from __future__ import annotations

import uuid

import pytest

from chat import services as chat
from forum import services as forum
from forum.models import Thread
from tests.forum.conftest import (  # noqa: F401  (fixtures)
    answer,
    lounge_thread,
    mentor_lounge,
    newcomers_corner,
    no_rate_limit,
    question,
)


@pytest.fixture
def mentoring_thread(mentor, newcomers_corner, no_rate_limit) -> Thread:  # noqa: F811
    return forum.thread_create(
        author=mentor,
        category=newcomers_corner,
        kind=Thread.Kind.DISCUSSION,
        title="Роль наставник в первый месяц",
        body="Хороший наставник встречает новичка в первый день. Угощаем медом и чаем.",
    )


@pytest.fixture
def private_room(mentor, mentor2):
    room = chat.group_create(creator=mentor, name="Кураторы", members=[mentor2])
    chat.message_send(
        author=mentor, room=room, body="Секретный план адаптации отдела", client_id=uuid.uuid4().hex
    )
    return room
