"""From discussion to knowledge: drafts from a solved thread and from chat messages."""

from __future__ import annotations

import uuid
from urllib.parse import unquote

import pytest

from chat import services as chat
from forum import services as forum
from knowledge import services
from knowledge.models import Article, ArticleCredit


@pytest.fixture
def solved(question, answer, newcomer):
    forum.answer_accept(actor=newcomer, post=answer)
    question.refresh_from_db()
    return question


def test_a_solved_thread_becomes_a_draft_practice_crediting_both_authors(
    login, solved, answer, mentor, mentor2, newcomer
):
    response = login(mentor2).post(f"/kb/from-thread/{solved.pk}/", {"kind": "practice"})
    draft = Article.objects.get()
    assert response.status_code == 302 and unquote(response.url) == f"/kb/a/{draft.slug}/edit/"
    assert draft.status == "draft" and draft.kind == "practice"
    assert draft.title == solved.title and draft.sections["steps"] == answer.body
    credits = {(c.user, c.role) for c in ArticleCredit.objects.filter(article=draft)}
    assert credits == {(mentor2, "author"), (newcomer, "contributor"), (mentor, "contributor")}
    assert {s.post for s in draft.sources.all()} == {solved.posts.get(number=1), answer}

    # Once published, the thread says where it was summarised.
    services.article_publish(actor=mentor2, article=draft)
    page = login(newcomer).get(solved.get_absolute_url()).content.decode()
    assert "Итоги — в статье" in page and draft.get_absolute_url() in page
    article_page = login(newcomer).get(draft.get_absolute_url()).content.decode()
    assert 'id="sources"' in article_page and solved.get_absolute_url() in article_page


def test_newcomers_cannot_promote_and_strangers_cannot_reach_a_hidden_thread(
    login, solved, lounge_thread, newcomer, stranger
):
    assert login(newcomer).post(f"/kb/from-thread/{solved.pk}/").status_code == 403
    assert login(stranger).post(f"/kb/from-thread/{lounge_thread.pk}/").status_code == 404
    assert not Article.objects.exists()


def test_an_unknown_kind_is_refused_with_a_message_not_an_error_page(login, solved, mentor):
    response = login(mentor).post(f"/kb/from-thread/{solved.pk}/", {"kind": "poem"})
    assert response.status_code == 302 and response.url == solved.get_absolute_url()
    assert not Article.objects.exists()


def test_chat_messages_become_a_draft_in_their_order(login, mentor, mentor2):
    room = chat.channel_create(creator=mentor, name="Практики")
    chat.room_join(user=mentor2, room=room)
    first, _ = chat.message_send(
        author=mentor, room=room, body="Как встречать новичка?", client_id=uuid.uuid4().hex
    )
    second, _ = chat.message_send(
        author=mentor2, room=room, body="С экскурсии по зданию", client_id=uuid.uuid4().hex
    )
    response = login(mentor).post("/kb/from-chat/", {"message": [second.pk, first.pk]})
    draft = Article.objects.get()
    assert response.status_code == 302
    assert draft.body.index("Как встречать") < draft.body.index("С экскурсии")
    assert {s.message for s in draft.sources.all()} == {first, second}
    assert ArticleCredit.objects.get(article=draft, user=mentor2).role == "contributor"


def test_messages_of_a_room_one_is_not_in_are_not_found(login, mentor, stranger):
    room = chat.group_create(creator=stranger, name="Личное", members=[])
    secret, _ = chat.message_send(
        author=stranger, room=room, body="секрет", client_id=uuid.uuid4().hex
    )
    assert login(mentor).post("/kb/from-chat/", {"message": [secret.pk]}).status_code == 404
    assert not Article.objects.exists()


def test_an_empty_or_malformed_selection_makes_nothing(login, mentor):
    response = login(mentor).post("/kb/from-chat/", {"message": ["abc", "-1"]})
    assert response.status_code == 302 and not Article.objects.exists()


def test_the_room_offers_writers_to_select_messages_for_the_knowledge_base(login, mentor, newcomer):
    room = chat.channel_create(creator=mentor, name="Выбор")
    chat.room_join(user=newcomer, room=room)
    message, _ = chat.message_send(
        author=mentor, room=room, body="Полезный совет", client_id=uuid.uuid4().hex
    )
    page = login(mentor).get(f"/chat/r/{room.pk}/").content.decode()
    assert 'id="message-selection"' in page and 'action="/kb/from-chat/"' in page
    assert f'name="message" value="{message.pk}" form="message-selection"' in page
    newcomer_page = login(newcomer).get(f"/chat/r/{room.pk}/").content.decode()
    assert 'id="message-selection"' not in newcomer_page and "chat-select" not in newcomer_page
