"""A crash in the middle of a multi-row write leaves nothing half-written: every such
service runs in one transaction, so the failure of its last step undoes its first. The
employee import is the one that writes in short batches (so members keep working): a
crash loses its own batch only, and the same file run again finishes the job.

The crash is a failure injected into the last step of each write (the search index, the
plan, a row of the file); the assertion is that none of the write's rows remain.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django_tasks_db.models import DBTaskResult

from chat.models import Membership, Message, Room
from forum import services as forum
from forum.models import Access, Category, Post, Thread
from knowledge.models import Article, ArticleCredit, ArticleRevision
from knowledge.services import Content, article_create
from mentoring import services as mentoring
from mentoring.models import Mentorship, MentorshipEvent, PlanStep
from profiles.employee_import import import_employees
from profiles.models import User


class Crash(Exception):
    """The machine going away, as far as the transaction can tell."""


def _counts(*models) -> tuple[int, ...]:
    return tuple(model.objects.count() for model in models)


@pytest.fixture
def category(db) -> Category:
    return Category.objects.create(
        name="Вопросы", slug="voprosy", read_access=Access.MEMBERS, start_access=Access.MEMBERS
    )


def test_a_thread_that_fails_at_its_last_step_leaves_no_thread_and_no_post(newcomer, category):
    before = _counts(Thread, Post)
    with mock.patch("forum.services.search.index", side_effect=Crash), pytest.raises(Crash):
        forum.thread_create(
            author=newcomer,
            category=category,
            kind=Thread.Kind.QUESTION,
            title="Где шаблон?",
            body="Подскажите.",
        )
    assert _counts(Thread, Post) == before
    category.refresh_from_db()
    assert category.thread_count == 0 and category.post_count == 0


def test_a_reply_that_fails_leaves_the_thread_as_it_was(newcomer, mentor, category):
    thread = forum.thread_create(
        author=newcomer,
        category=category,
        kind=Thread.Kind.QUESTION,
        title="Где шаблон?",
        body="Подскажите.",
    )
    tasks = DBTaskResult.objects.count()
    # The last step of a reply fails: nothing of it stays, not even its task.
    with mock.patch("forum.services.enqueue_on_commit", side_effect=Crash), pytest.raises(Crash):
        forum.post_reply(author=mentor, thread=thread, parent=None, body="Вот он.")
    thread.refresh_from_db()
    assert (thread.reply_count, thread.post_sequence, thread.posts.count()) == (0, 1, 1)
    assert DBTaskResult.objects.count() == tasks


def test_a_pair_that_fails_to_start_is_still_only_proposed_with_no_room(
    coordinator, mentor, newcomer
):
    proposal = mentoring.mentorship_propose(
        coordinator=coordinator, mentor=mentor, newcomer=newcomer
    )
    rooms = _counts(Room, Membership)
    with mock.patch("mentoring.services.plan_start", side_effect=Crash), pytest.raises(Crash):
        mentoring.mentorship_accept(mentor=mentor, pair=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Mentorship.Status.PROPOSED and proposal.room_id is None
    assert _counts(Room, Membership) == rooms
    assert MentorshipEvent.objects.filter(mentorship=proposal).count() == 1  # the proposal
    assert not PlanStep.objects.exists()


def test_a_chat_message_that_fails_is_not_stored_and_does_not_move_the_room(mentor, newcomer):
    from chat import services as chat

    room = chat.group_create(creator=mentor, name="Пара", members=[newcomer])
    with mock.patch("chat.services.search.index", side_effect=Crash), pytest.raises(Crash):
        chat.message_send(author=mentor, room=room, body="Привет", client_id="crash-1")
    room.refresh_from_db()
    assert Message.objects.count() == 0 and room.sequence == 0


def test_an_article_that_fails_leaves_no_revision_and_no_credit(mentor):
    with mock.patch("knowledge.services._credit", side_effect=Crash), pytest.raises(Crash):
        article_create(
            author=mentor, kind=Article.Kind.ARTICLE, content=Content(title="Памятка", body="Текст")
        )
    assert _counts(Article, ArticleRevision, ArticleCredit) == (0, 0, 0)


def test_an_import_that_crashes_on_its_last_row_writes_none_of_its_batch(division):
    rows = "".join(
        f"person{n}@example.com,Сотрудник {n},{division.name},,2026-01-0{n},,\n"
        for n in range(1, 6)
    )
    data = ("email,full_name,department,position,service_start,service_end,role\n" + rows).encode()
    before = User.objects.count()
    real_save = __import__("profiles.services", fromlist=["user_save"]).user_save
    calls = []

    def crash_on_the_fifth(*, user):
        calls.append(user.email)
        if len(calls) == 5:
            raise Crash
        return real_save(user=user)

    with (
        mock.patch("profiles.employee_import.services.user_save", side_effect=crash_on_the_fifth),
        pytest.raises(Crash),
    ):
        import_employees(data)
    assert len(calls) == 5
    assert User.objects.count() == before


def test_an_import_that_crashes_in_a_later_batch_keeps_the_earlier_ones_and_reruns_cleanly(
    division, monkeypatch
):
    """The import writes in short batches so members keep working (issue 20); a crash loses
    only its own batch, and the same file run again finishes the job without duplicates."""
    from profiles import employee_import

    monkeypatch.setattr(employee_import, "WRITE_BATCH", 2)
    rows = "".join(f"batch{n}@example.com,Сотрудник {n},{division.name},,,,\n" for n in range(5))
    data = ("email,full_name,department,position,service_start,service_end,role\n" + rows).encode()
    real_save = __import__("profiles.services", fromlist=["user_save"]).user_save
    calls = []

    def crash_on_the_fourth(*, user):
        calls.append(user.email)
        if len(calls) == 4:
            raise Crash
        return real_save(user=user)

    with (
        mock.patch("profiles.employee_import.services.user_save", side_effect=crash_on_the_fourth),
        pytest.raises(Crash),
    ):
        import_employees(data)
    kept = User.objects.filter(email__startswith="batch").values_list("email", flat=True)
    assert sorted(kept) == ["batch0@example.com", "batch1@example.com"]
    report = import_employees(data)
    assert (report.created, report.updated) == (3, 2)
    assert User.objects.filter(email__startswith="batch").count() == 5
