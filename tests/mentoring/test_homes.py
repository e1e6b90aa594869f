"""Homes: the newcomer sees their mentor, plan and questions; the mentor their mentees and
the questions waiting for an answer."""

from __future__ import annotations

from knowledge import services as knowledge
from knowledge.services import Content
from mentoring import services
from mentoring.models import PlanTemplate, PlanTemplateStep


def test_a_newcomers_home_shows_the_mentor_next_steps_questions_and_reading(
    login, coordinator, mentor, newcomer, question
):
    template = PlanTemplate.objects.create(name="Общий")
    PlanTemplateStep.objects.create(template=template, title="Экскурсия", due_after_days=1)
    pair = services.mentorship_accept(
        mentor=mentor,
        pair=services.mentorship_propose(coordinator=coordinator, mentor=mentor, newcomer=newcomer),
    )
    article = knowledge.article_create(
        author=mentor, kind="article", content=Content(title="Памятка", body="Текст")
    )
    knowledge.article_publish(actor=mentor, article=article)
    page = login(newcomer).get("/").content.decode()
    assert 'id="home-my-mentor"' in page and mentor.full_name in page
    assert f"/chat/r/{pair.room_id}/" in page and "Экскурсия" in page
    assert 'id="home-forum-my-questions"' in page and question.title in page
    assert 'id="home-knowledge-suggested"' in page and "Памятка" in page
    assert 'id="home-my-mentees"' not in page and 'id="home-forum-to-answer"' not in page


def test_a_newcomer_without_a_mentor_is_shown_where_to_find_one(login, newcomer):
    page = login(newcomer).get("/").content.decode()
    assert 'id="home-my-mentor"' in page and "/people/?role=mentor" in page


def test_a_mentors_home_shows_mentees_questions_to_answer_and_mentor_discussions(
    login, coordinator, mentor, newcomer, question, lounge_thread, expertise
):
    services.mentorship_propose(coordinator=coordinator, mentor=mentor, newcomer=newcomer)
    page = login(mentor).get("/").content.decode()
    assert 'id="home-my-mentees"' in page and newcomer.full_name in page
    assert 'id="home-forum-to-answer"' in page and question.title in page
    assert 'id="home-forum-mentor-discussions"' in page and lounge_thread.title in page
    assert 'id="home-my-mentor"' not in page


def test_newcomers_never_see_mentor_discussions_on_their_home(login, newcomer, lounge_thread):
    assert lounge_thread.title not in login(newcomer).get("/").content.decode()
