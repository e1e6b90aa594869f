"""Replying: tree numbers and paths, counters, the reply form, resubmission, limits."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from forum import services
from forum.models import Post, ReadState, tree_path
from tests.forum.conftest import reply, reply_chain

pytestmark = pytest.mark.django_db


def test_a_reply_to_the_thread_answers_the_opening_post(question, mentor):
    post = reply(mentor, question, body="Шаблон лежит в **СЭД**.")
    opening = question.posts.get(number=1)
    assert (post.number, post.depth, post.parent) == (2, 1, opening)
    assert post.path == tree_path(opening.path, 2)
    assert post.path.startswith(opening.path)
    assert "<strong>СЭД</strong>" in post.body_html


def test_a_reply_to_a_reply_nests_under_it(question, answer, newcomer):
    nested = reply(newcomer, question, parent=answer, body="А кто согласует?")
    assert (nested.number, nested.depth, nested.parent) == (3, 2, answer)
    assert nested.path == tree_path(answer.path, 3)
    assert list(question.posts.values_list("number", flat=True)) == [1, 2, 3]


def test_numbers_follow_posting_order_while_paths_follow_the_tree(
    question, answer, newcomer, mentor2
):
    second = reply(mentor2, question, body="Второй ответ")
    nested = reply(newcomer, question, parent=answer, body="Вопрос к первому ответу")
    assert [answer.number, second.number, nested.number] == [2, 3, 4]
    tree_order = list(question.posts.order_by("path").values_list("number", flat=True))
    assert tree_order == [1, answer.number, nested.number, second.number]


def test_replying_updates_the_counters(question, newcomers_corner, mentor, mentor2):
    first = reply(mentor, question)
    reply(mentor2, question, parent=first)
    question.refresh_from_db()
    first.refresh_from_db()
    opening = question.posts.get(number=1)
    newcomers_corner.refresh_from_db()
    assert (question.post_sequence, question.reply_count) == (3, 2)
    assert question.last_poster == mentor2
    assert (opening.reply_count, first.reply_count) == (1, 1)
    assert (newcomers_corner.thread_count, newcomers_corner.post_count) == (1, 3)
    assert (
        question.last_activity_at
        == newcomers_corner.last_activity_at
        == question.posts.get(number=3).created_at
    )


def test_the_author_has_read_up_to_their_own_reply(question, mentor):
    post = reply(mentor, question)
    assert ReadState.objects.get(user=mentor, thread=question).last_read_number == post.number


def test_at_the_deepest_level_a_reply_goes_alongside_its_parent(
    question, mentor, mentor2, no_rate_limit
):
    with mock.patch("forum.services.MAX_TREE_DEPTH", 3):
        chain = reply_chain([mentor, mentor2], question, 3)
        alongside = reply(mentor, question, parent=chain[-1])
    assert chain[-1].depth == alongside.depth == 3
    assert alongside.parent == chain[-2]
    assert alongside.path == tree_path(chain[-2].path, alongside.number)


def test_a_parent_from_another_thread_is_refused(question, lounge_thread, mentor):
    elsewhere = lounge_thread.posts.get(number=1)
    with pytest.raises(ValidationError):
        reply(mentor, question, parent=elsewhere)
    assert question.posts.count() == 1


def test_the_reply_form_posts_and_redirects_to_the_new_post(login, question, mentor):
    opening = question.posts.get(number=1)
    response = login(mentor).post(f"/forum/p/{opening.pk}/reply/", {"body": "Ответ наставника"})
    post = question.posts.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    assert (post.author, post.parent, post.body) == (mentor, opening, "Ответ наставника")


def test_the_reply_page_quotes_the_parent(login, question, answer, newcomer):
    response = login(newcomer).get(f"/forum/p/{answer.pk}/reply/")
    assert response.status_code == 200
    assert answer.body_html in response.content.decode()
    assert response.context["form"]["submission_token"].value()


def test_submitting_the_same_reply_twice_creates_one_post(login, question, mentor):
    opening = question.posts.get(number=1)
    client = login(mentor)
    token = client.get(f"/forum/p/{opening.pk}/reply/").context["form"]["submission_token"].value()
    data = {"body": "Ответ", "submission_token": str(token)}
    first = client.post(f"/forum/p/{opening.pk}/reply/", data)
    second = client.post(f"/forum/p/{opening.pk}/reply/", data)
    question.refresh_from_db()
    assert first["Location"] == second["Location"]
    assert question.posts.count() == 2
    assert (question.reply_count, question.post_sequence) == (1, 2)


@pytest.mark.parametrize("body", ["", "  \n  "])
def test_an_empty_reply_is_a_form_error_and_nothing_is_written(login, question, mentor, body):
    opening = question.posts.get(number=1)
    response = login(mentor).post(f"/forum/p/{opening.pk}/reply/", {"body": body})
    question.refresh_from_db()
    assert response.status_code == 400
    assert response.context["form"].errors["body"]
    assert question.posts.count() == 1
    assert question.reply_count == 0


@pytest.mark.parametrize("length", [services.MAX_BODY_LENGTH + 1, 50_001])
def test_an_over_long_reply_is_a_form_error_and_nothing_is_written(login, question, mentor, length):
    opening = question.posts.get(number=1)
    response = login(mentor).post(f"/forum/p/{opening.pk}/reply/", {"body": "я" * length})
    assert response.status_code == 400
    assert response.context["form"].errors["body"]
    assert question.posts.count() == 1


def test_the_service_refuses_an_empty_body_on_the_body_field(question, mentor):
    with pytest.raises(ValidationError) as error:
        reply(mentor, question, body=" ")
    assert "body" in error.value.error_dict


def test_the_eleventh_post_in_a_minute_gets_429_and_nothing_is_written(login, question, mentor):
    opening = question.posts.get(number=1)
    client = login(mentor)
    for n in range(services.POSTS_PER_MINUTE):
        response = client.post(f"/forum/p/{opening.pk}/reply/", {"body": f"Ответ {n}"})
        assert response.status_code == 302
    response = client.post(f"/forum/p/{opening.pk}/reply/", {"body": "Лишний ответ"})
    question.refresh_from_db()
    assert response.status_code == 429
    assert question.reply_count == services.POSTS_PER_MINUTE
    assert not Post.objects.filter(body="Лишний ответ").exists()


def test_the_post_limit_is_per_member(login, question, mentor, mentor2):
    opening = question.posts.get(number=1)
    busy = login(mentor)
    for n in range(services.POSTS_PER_MINUTE + 1):
        busy.post(f"/forum/p/{opening.pk}/reply/", {"body": f"Ответ {n}"})
    response = login(mentor2).post(f"/forum/p/{opening.pk}/reply/", {"body": "Мой ответ"})
    assert response.status_code == 302
    assert Post.objects.filter(author=mentor2).count() == 1


def test_a_resubmitted_reply_is_not_counted_against_the_limit(login, question, mentor):
    opening = question.posts.get(number=1)
    client = login(mentor)
    data = {"body": "Ответ", "submission_token": "0b6e4f00-0000-4000-8000-000000000002"}
    responses = [
        client.post(f"/forum/p/{opening.pk}/reply/", data)
        for _ in range(services.POSTS_PER_MINUTE + 2)
    ]
    assert {response.status_code for response in responses} == {302}
    assert question.posts.count() == 2
