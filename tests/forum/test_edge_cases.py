"""Inputs and sequences found in review: odd query strings, moved threads, live fragments."""

from __future__ import annotations

import pytest

from community.notifications.models import Notification
from forum import moderation, services
from forum.models import Thread
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("focus", ["²", "9" * 5000, "-3", "abc", ""])
def test_odd_focus_values_show_the_whole_thread(login, newcomer, question, answer, focus):
    response = login(newcomer).get(question.get_absolute_url(), {"focus": focus})
    assert response.status_code == 200
    assert response.context["page"].focus is None


def test_an_answer_accepted_after_a_move_out_of_reach_notifies_nobody_who_cannot_read(
    newcomer, mentor2, coordinator, newcomers_corner, mentor_lounge, mentor
):
    thread = services.thread_create(
        author=mentor,
        category=newcomers_corner,
        kind=Thread.Kind.QUESTION,
        title="Вопрос о регламенте",
        body="Как быть?",
    )
    answer = reply(newcomer, thread, body="Я знаю ответ.")
    moderation.thread_move(moderator=coordinator, thread=thread, category=mentor_lounge)
    thread.refresh_from_db()
    answer.refresh_from_db()
    services.answer_accept(actor=mentor, post=answer)  # the asker, who may still read it
    assert not Notification.objects.filter(recipient=newcomer, kind="forum.accepted").exists()


def test_a_muted_thread_hears_nothing_of_its_accepted_answer(newcomer, mentor, question, answer):
    services.subscription_set(user=mentor, thread=question, level="muted")
    services.answer_accept(actor=newcomer, post=answer)
    assert not Notification.objects.filter(recipient=mentor, kind="forum.accepted").exists()


def test_a_live_fragment_takes_the_view_and_a_readable_indent(
    login, newcomer, question, discussion
):
    deep = question.posts.order_by("-depth").first()
    client = login(newcomer)
    flat = client.get(f"/forum/p/{deep.pk}/fragment/", {"view": "flat"})
    tree = client.get(f"/forum/p/{deep.pk}/fragment/")
    assert "indent-0" in flat.content.decode()
    assert f"indent-{deep.depth - 1}" in tree.content.decode()


def test_edit_and_delete_are_offered_only_where_they_would_work(login, newcomer, question, answer):
    page = login(newcomer).get(question.get_absolute_url()).context["page"]
    assert page.opening.is_own and page.opening.can_edit
    assert not page.opening.can_delete  # answered: only moderators may remove it now
