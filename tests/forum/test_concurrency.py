"""Two replies racing for the same post number: the loser tries again instead of failing."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import IntegrityError

from forum import services
from forum.models import ReadState

pytestmark = pytest.mark.django_db


def test_a_reply_that_loses_the_race_for_a_number_is_retried(question, mentor):
    real_insert = services._insert_reply
    calls = []

    def lose_once(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("UNIQUE constraint failed: post.thread_id, post.number")
        return real_insert(**kwargs)

    with mock.patch.object(services, "_insert_reply", side_effect=lose_once):
        post = services.post_reply(author=mentor, thread=question, parent=None, body="Ответ")
    assert len(calls) == 2
    assert post.number == 2


def test_a_reply_that_keeps_losing_reports_the_conflict(question, mentor):
    with (
        mock.patch.object(services, "_insert_reply", side_effect=IntegrityError("busy")),
        pytest.raises(IntegrityError),
    ):
        services.post_reply(author=mentor, thread=question, parent=None, body="Ответ")
    assert question.posts.count() == 1


def test_the_author_has_read_their_own_new_thread(question, newcomer):
    state = ReadState.objects.get(user=newcomer, thread=question)
    assert state.last_read_number == 1
