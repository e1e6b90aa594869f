"""A community to count: questions with known waits, a mentoring programme, employees."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from chat import services as chat
from forum import services as forum
from forum.models import Post, Thread
from mentoring import services
from mentoring.models import Mentorship, PlanStep, PlanTemplate, PlanTemplateStep
from profiles.models import User
from tests.conftest import make_member
from tests.forum.conftest import (  # noqa: F401  (fixtures)
    mentor_lounge,
    newcomers_corner,
    no_rate_limit,
    reply,
)


@pytest.fixture
def start_pair(coordinator, mentor):
    """start_pair(newcomer) -> an active pair with Алия, proposed and accepted as in life."""
    User.objects.filter(pk=mentor.pk).update(mentor_capacity=20)
    mentor.refresh_from_db()

    def start(newcomer: User) -> Mentorship:
        pair = services.mentorship_propose(
            coordinator=coordinator, mentor=mentor, newcomer=newcomer
        )
        return services.mentorship_accept(mentor=mentor, pair=pair)

    return start


@pytest.fixture
def employee():
    """employee(name, hired, left=None) -> a newcomer with those service dates."""
    numbers = iter(range(1, 1000))

    def make(name: str, hired: datetime.date, left: datetime.date | None = None) -> User:
        return make_member(
            f"employee{next(numbers)}@example.com",
            name,
            User.Role.NEWCOMER,
            service_start=hired,
            service_end=left,
        )

    return make


HOUR = datetime.timedelta(hours=1)


def asked(author, category, title: str, at: datetime.datetime) -> Thread:
    thread = forum.thread_create(
        author=author,
        category=category,
        kind=Thread.Kind.QUESTION,
        title=title,
        body="Подскажите, пожалуйста.",
    )
    Thread.objects.filter(pk=thread.pk).update(created_at=at)
    Post.objects.filter(thread=thread).update(created_at=at)
    thread.refresh_from_db()
    return thread


def answered(author, thread: Thread, at: datetime.datetime) -> Post:
    post = reply(author, thread)
    Post.objects.filter(pk=post.pk).update(created_at=at)
    return post


@pytest.fixture
def community(  # the fixtures imported above are parameters here
    no_rate_limit,  # noqa: F811
    newcomer,
    mentor,
    mentor2,
    coordinator,
    newcomers_corner,  # noqa: F811
    mentor_lounge,  # noqa: F811
):
    """Four questions three days ago: answered in 2 h, answered in 30 h, answered only by
    the asker, answered in a reply since deleted. A mentors' discussion, a chat message."""
    at = timezone.now() - datetime.timedelta(days=3)
    quick = asked(newcomer, newcomers_corner, "Где шаблон записки?", at)
    answered(mentor, quick, at + 2 * HOUR)
    answered(mentor2, quick, at + 5 * HOUR)
    slow = asked(newcomer, newcomers_corner, "Как оформить отпуск?", at + HOUR)
    answered(mentor2, slow, at + 31 * HOUR)
    self_answered = asked(newcomer, newcomers_corner, "Кто подписывает приказ?", at)
    answered(newcomer, self_answered, at + HOUR)
    retracted = asked(newcomer, newcomers_corner, "Где столовая?", at - HOUR)
    Post.objects.filter(pk=answered(mentor, retracted, at).pk).update(is_deleted=True)
    discussion = forum.thread_create(
        author=mentor,
        category=mentor_lounge,
        kind=Thread.Kind.DISCUSSION,
        title="Первая встреча",
        body="Делюсь опытом.",
    )
    reply(mentor2, discussion)
    room = chat.channel_create(creator=mentor2, name="Наставники")
    chat.message_send(author=mentor2, room=room, body="Всем привет", client_id="c1")
    make_member(
        "left@example.com",
        "Ушедший Сотрудник",
        User.Role.NEWCOMER,
        service_start=datetime.date(2020, 1, 1),
        service_end=datetime.date(2021, 1, 1),
    )
    return {"quick": quick, "slow": slow, "self_answered": self_answered, "retracted": retracted}


def numbered_newcomer(number: int) -> User:
    return make_member(f"new{number}@example.com", f"Новичок {number}", User.Role.NEWCOMER)


@pytest.fixture
def programme(start_pair, coordinator, mentor, mentor2, newcomer):
    """Алия: Тимур active (plan: 1 of 3 done, 1 overdue), one pair completed (rated 4,
    helpful), one ended early (rated 2, not helpful), one proposal waiting. Рустем: two
    active pairs, his full capacity of two."""
    template = PlanTemplate.objects.create(name="Первый месяц")
    PlanTemplateStep.objects.bulk_create(
        [
            PlanTemplateStep(template=template, order=n, title=title, due_after_days=days)
            for n, (title, days) in enumerate(
                [("Экскурсия", 1), ("Доступы", 3), ("Первая записка", 10)]
            )
        ]
    )
    timur = start_pair(newcomer)
    first, second, _third = timur.steps.all()
    services.step_set_done(user=newcomer, step=first, done=True)
    PlanStep.objects.filter(pk=second.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    completed = services.mentorship_complete(actor=mentor, pair=start_pair(numbered_newcomer(2)))
    services.feedback_give(newcomer=completed.newcomer, pair=completed, rating=4, helpful=True)
    started = start_pair(numbered_newcomer(3))
    ended = services.mentorship_end(
        actor=started.newcomer, pair=started, reason="Перевели в другой отдел"
    )
    services.feedback_give(
        newcomer=ended.newcomer, pair=ended, rating=2, helpful=False, comment="Мало встречались"
    )
    for number in (4, 5):
        pair = services.mentorship_propose(
            coordinator=coordinator, mentor=mentor2, newcomer=numbered_newcomer(number)
        )
        services.mentorship_accept(mentor=mentor2, pair=pair)
    services.mentorship_propose(
        coordinator=coordinator, mentor=mentor, newcomer=numbered_newcomer(6)
    )
    return timur
