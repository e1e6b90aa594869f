"""A reply costs the same queries whatever the number of watchers: its watchers'
notifications, its emails and its search entry are one task's work (forum/tasks.py)."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from forum import services
from forum.models import Subscription
from profiles.models import User
from tests.conftest import make_member
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db

# Session and member, the post to reply to (with its thread), BEGIN, the thread's lock,
# the post, the thread's, parent's and category's counters, the author's read mark, the
# choices (a mute, say) of the author and the members the reply addresses, the bump of
# their unread notifications (SELECT, UPDATE), the task, COMMIT.
REPLY_QUERIES = 15


def watch(thread, count: int) -> list[User]:
    watchers = [
        make_member(f"w{thread.pk}.{n}@example.com", f"Наблюдатель {n}", User.Role.MENTOR)
        for n in range(count)
    ]
    for watcher in watchers:
        services.subscription_set(user=watcher, thread=thread, level=Subscription.Level.WATCHING)
    return watchers


def post_reply(client, opening):
    return client.post(
        reverse("forum:reply", kwargs={"pk": opening.pk}),
        {"body": "Согласен, так и делаем.", "submission_token": str(uuid.uuid4())},
    )


def test_a_reply_costs_the_same_queries_with_one_watcher_and_with_fifty(
    login, mentor2, newcomer, newcomers_corner, django_assert_num_queries, no_rate_limit
):
    quiet = services.thread_create(
        author=newcomer, category=newcomers_corner, kind="question", title="Тихая", body="?"
    )
    busy = services.thread_create(
        author=newcomer, category=newcomers_corner, kind="question", title="Шумная", body="?"
    )
    watchers = watch(busy, 49)
    client = login(mentor2)
    openings = [thread.posts.get(number=1) for thread in (quiet, busy)]
    for opening in openings:  # the first reply opens each watcher's notification
        post_reply(client, opening)
    for opening in openings:
        with django_assert_num_queries(REPLY_QUERIES):
            response = post_reply(client, opening)
        assert response.status_code == 302
    from community.notifications.models import Notification

    watched = Notification.objects.filter(kind="forum.watched_reply", recipient__in=watchers)
    assert watched.count() == 0  # the watchers are the task's
    mail.outbox = []
    run_tasks()
    # The workers did the rest: every watcher was notified, once, of both replies…
    assert sorted(watched.values_list("recipient_id", "count")) == sorted(
        (w.pk, 2) for w in watchers
    )
    # …every watcher and the asker were emailed…
    assert {m.to[0] for m in mail.outbox} >= {w.email for w in watchers} | {newcomer.email}
    # …and the replies are found.
    from community import search

    assert any(group.hits for group in search.search(newcomer, "согласен"))


def test_a_reply_deleted_before_its_task_runs_is_not_indexed_and_the_task_ends_quietly(
    mentor2, question, no_rate_limit
):
    from community import search
    from forum.models import Post

    run_tasks()  # what making the question queued
    post = services.post_reply(author=mentor2, thread=question, parent=None, body="Уникальнослово")
    Post.objects.filter(pk=post.pk).delete()
    run_tasks()  # fails the test if the reply's task raised
    assert DBTaskResult.objects.filter(task_path="forum.tasks.reply_posted").get().status == (
        "SUCCESSFUL"
    )
    assert not any(group.hits for group in search.search(mentor2, "Уникальнослово"))


def test_a_reply_withdrawn_before_its_task_runs_is_announced_to_no_watcher(
    mentor, mentor2, question, no_rate_limit
):
    from community.notifications.models import Notification

    services.subscription_set(user=mentor, thread=question, level=Subscription.Level.WATCHING)
    run_tasks()
    post = services.post_reply(author=mentor2, thread=question, parent=None, body="Ой, не туда")
    services.post_delete(actor=mentor2, post=post)
    run_tasks()
    assert not Notification.objects.filter(recipient=mentor, kind="forum.watched_reply").exists()
    # The next reply is announced as usual.
    services.post_reply(author=mentor2, thread=question, parent=None, body="Вот ответ")
    run_tasks()
    assert Notification.objects.filter(recipient=mentor, kind="forum.watched_reply").exists()
