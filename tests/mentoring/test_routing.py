"""Question routing: opted-in mentors with the right expertise or department hear of a
newcomer's question; questions unanswered too long go to the coordinators, once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from community.notifications.models import Notification
from forum import services as forum
from forum.models import Thread
from mentoring import routing
from tests.forum.conftest import reply
from tests.helpers import run_scheduled_job


def told(kind: str) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


@pytest.fixture
def opted_in(mentor, mentor2):
    for person in (mentor, mentor2):
        routing.routing_set(user=person, enabled=True)


def ask(newcomer, category, tags=(), title="Как оформить отпуск?") -> Thread:
    return forum.thread_create(
        author=newcomer,
        category=category,
        kind="question",
        title=title,
        body="Подскажите, пожалуйста.",
        tags=tags,
    )


def test_mentors_with_the_expertise_or_the_department_are_told(
    opted_in, newcomer, mentor, mentor2, newcomers_corner, expertise
):
    # Алия works in Тимур's division; Рустем knows the tag.
    mentor2.expertise.set([expertise["budget"]])
    ask(newcomer, newcomers_corner)
    assert told("mentoring.question") == {mentor.pk}
    ask(newcomer, newcomers_corner, tags=[expertise["budget"]], title="Лимиты?")
    assert told("mentoring.question") == {mentor.pk, mentor2.pk}


def test_only_opted_in_mentors_and_only_newcomers_questions(
    newcomer, mentor, mentor2, newcomers_corner, expertise
):
    routing.routing_set(user=mentor, enabled=True)
    routing.routing_set(user=mentor, enabled=False)
    ask(newcomer, newcomers_corner)
    assert told("mentoring.question") == set()
    routing.routing_set(user=mentor, enabled=True)
    forum.thread_create(
        author=mentor2,
        category=newcomers_corner,
        kind="question",
        title="Вопрос наставника",
        body="…",
    )
    forum.thread_create(
        author=newcomer, category=newcomers_corner, kind="discussion", title="Обсуждение", body="…"
    )
    assert told("mentoring.question") == set()


def test_unanswered_questions_are_escalated_once_and_answered_ones_never(
    newcomer, mentor, coordinator, newcomers_corner, settings
):
    settings.QUESTION_ESCALATION_HOURS = 24
    waiting = ask(newcomer, newcomers_corner)
    answered = ask(newcomer, newcomers_corner, title="Где столовая?")
    reply(mentor, answered, body="На первом этаже.")
    fresh = ask(newcomer, newcomers_corner, title="Свежий вопрос")
    Thread.objects.filter(pk__in=[waiting.pk, answered.pk]).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert run_scheduled_job("mentoring.escalate").return_value == 1
    notes = Notification.objects.filter(kind="mentoring.escalated")
    assert told("mentoring.escalated") == {coordinator.pk}
    assert [n.url for n in notes] == [waiting.get_absolute_url()]
    assert routing.escalate_questions() == 0  # once
    assert fresh.pk not in {n.url for n in notes}


def test_the_opt_in_is_a_mentors_switch_on_the_mentoring_page(login, mentor, newcomer):
    client = login(mentor)
    assert 'id="routing-form"' in client.get("/mentoring/").content.decode()
    client.post("/mentoring/routing/", {"enabled": "1"})
    from mentoring.selectors import routing_enabled

    assert routing_enabled(mentor)
    assert login(newcomer).post("/mentoring/routing/", {"enabled": "1"}).status_code == 403
    assert 'id="routing-form"' not in login(newcomer).get("/mentoring/").content.decode()
