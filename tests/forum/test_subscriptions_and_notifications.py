"""Watching, tracking and muting; the notifications they bring; unread replies."""

from __future__ import annotations

import pytest

from community.notifications.models import Notification
from forum import moderation, services
from forum.models import ReadState, Subscription
from tests.forum.conftest import reply as post_reply
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db


def reply(*args, **kwargs):
    """A reply and its task: the watchers hear of it from a worker (forum/tasks.py)."""
    post = post_reply(*args, **kwargs)
    run_tasks()
    return post


def notified(member) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=member).order_by("pk").values_list("kind", "url")
    )


def level(member, thread) -> str | None:
    return (
        Subscription.objects.filter(user=member, thread=thread)
        .values_list("level", flat=True)
        .first()
    )


# --- Subscriptions -------------------------------------------------------------------


def test_starting_and_replying_watch_the_thread(question, answer, newcomer, mentor):
    assert level(newcomer, question) == Subscription.Level.WATCHING
    assert level(mentor, question) == Subscription.Level.WATCHING


def test_replying_keeps_a_members_own_choice(question, mentor):
    services.subscription_set(user=mentor, thread=question, level=Subscription.Level.MUTED)
    reply(mentor, question)
    assert level(mentor, question) == Subscription.Level.MUTED


def test_the_thread_form_sets_and_clears_the_level(login, question, mentor2):
    client = login(mentor2)
    response = client.post(f"/forum/t/{question.pk}/subscription/", {"level": "tracking"})
    assert response["Location"] == question.get_absolute_url()
    assert level(mentor2, question) == Subscription.Level.TRACKING
    client.post(f"/forum/t/{question.pk}/subscription/", {"level": ""})
    assert level(mentor2, question) is None


def test_an_unknown_level_changes_nothing(login, question, mentor2):
    login(mentor2).post(f"/forum/t/{question.pk}/subscription/", {"level": "shouting"})
    assert level(mentor2, question) is None


# --- Notifications -------------------------------------------------------------------


def test_replying_to_someone_notifies_them_once(question, newcomer, mentor):
    post = reply(mentor, question)
    assert notified(newcomer) == [("forum.reply", post.get_absolute_url())]


def test_a_reply_to_a_reply_notifies_its_author_and_the_watchers(
    question, answer, newcomer, mentor, mentor2
):
    post = reply(mentor2, question, parent=answer)
    assert notified(mentor) == [("forum.reply", post.get_absolute_url())]
    assert notified(newcomer)[-1] == ("forum.watched_reply", post.get_absolute_url())
    assert notified(mentor2) == []


def test_watching_a_thread_brings_news_of_every_reply(login, question, answer, mentor2, stranger):
    login(mentor2).post(f"/forum/t/{question.pk}/subscription/", {"level": "watching"})
    first = reply(stranger, question, parent=answer)
    reply(stranger, question, parent=answer)
    notification = Notification.objects.get(recipient=mentor2)
    assert notification.kind == "forum.watched_reply"
    assert notification.count == 2
    assert notification.url != first.get_absolute_url()  # it points at the latest reply


def test_tracking_or_no_subscription_brings_no_reply_news(
    question, answer, mentor2, coordinator, stranger
):
    services.subscription_set(user=mentor2, thread=question, level=Subscription.Level.TRACKING)
    reply(stranger, question, parent=answer)
    assert notified(mentor2) == []
    assert notified(coordinator) == []


def test_a_muted_thread_stays_silent_even_for_direct_replies(question, newcomer, mentor):
    services.subscription_set(user=newcomer, thread=question, level=Subscription.Level.MUTED)
    reply(mentor, question)
    assert notified(newcomer) == []


def test_members_who_can_no_longer_read_hear_nothing(
    question, newcomer, mentor2, coordinator, mentor_lounge
):
    moderation.thread_move(moderator=coordinator, thread=question, category=mentor_lounge)
    question.refresh_from_db()
    reply(mentor2, question, parent=question.posts.get(number=1))
    assert notified(newcomer) == []


def test_a_new_thread_in_a_watched_category_notifies(login, mentor, newcomer, newcomers_corner):
    response = login(mentor).post(
        f"/forum/c/{newcomers_corner.slug}/subscription/", {"level": "watching"}
    )
    assert response["Location"] == newcomers_corner.get_absolute_url()
    thread = services.thread_create(
        author=newcomer,
        category=newcomers_corner,
        kind="question",
        title="Как взять отпуск?",
        body="Текст",
    )
    assert notified(mentor) == [("forum.new_thread", thread.get_absolute_url())]
    assert notified(newcomer) == []


def test_a_member_cannot_watch_a_category_they_cannot_read(login, newcomer, mentor_lounge):
    response = login(newcomer).post(
        f"/forum/c/{mentor_lounge.slug}/subscription/", {"level": "watching"}
    )
    assert response.status_code == 404
    assert not Subscription.objects.filter(user=newcomer).exists()


def test_notifications_reach_the_notification_centre(login, question, newcomer, mentor):
    post = reply(mentor, question)
    response = login(newcomer).get("/notifications/")
    html = response.content.decode()
    notification = Notification.objects.get(recipient=newcomer)
    assert response.status_code == 200
    assert f'href="/notifications/{notification.pk}/"' in html
    opened = login(newcomer).get(f"/notifications/{notification.pk}/")
    assert opened["Location"] == post.get_absolute_url()


# --- Unread --------------------------------------------------------------------------


def test_read_state_is_one_row_per_member_and_thread(login, question, answer, newcomer):
    client = login(newcomer)
    for _ in range(3):
        client.get(question.get_absolute_url())
    reply(newcomer, question, parent=answer)
    assert ReadState.objects.filter(user=newcomer, thread=question).count() == 1


def test_viewing_a_thread_marks_it_read(login, question, answer, newcomer):
    login(newcomer).get(question.get_absolute_url())
    question.refresh_from_db()
    state = ReadState.objects.get(user=newcomer, thread=question)
    assert state.last_read_number == question.post_sequence


def test_new_replies_show_as_unread_in_the_list_and_on_the_thread(
    login, question, answer, newcomer, mentor2, stranger
):
    client = login(newcomer)
    client.get(question.get_absolute_url())
    first_new = reply(mentor2, question)
    reply(stranger, question, parent=answer)

    listed = client.get("/forum/")
    row = next(t for t in listed.context["page"].object_list if t.pk == question.pk)
    assert row.unread_count == 2
    assert (
        f'<a class="badge badge-new" href="{question.get_absolute_url()}">'
        in listed.content.decode()
    )

    page = client.get(question.get_absolute_url())
    html = page.content.decode()
    assert (page.context["page"].new_count, page.context["page"].first_unread_number) == (
        2,
        first_new.number,
    )
    assert f'<p class="unread-link"><a href="#post-{first_new.number}">' in html
    assert {item.post.number for item in page.context["page"].replies if item.is_new} == {
        first_new.number,
        first_new.number + 1,
    }

    again = client.get(question.get_absolute_url())
    assert again.context["page"].new_count == 0
    assert 'class="unread-link"' not in again.content.decode()
    row = next(t for t in client.get("/forum/").context["page"].object_list if t.pk == question.pk)
    assert row.unread_count == 0


def test_a_thread_never_opened_is_new_not_unread(login, question, mentor):
    response = login(mentor).get("/forum/")
    row = next(t for t in response.context["page"].object_list if t.pk == question.pk)
    assert row.last_read_number is None
    assert 'class="thread-row thread-unread"' in response.content.decode()
    page = login(mentor).get(question.get_absolute_url()).context["page"]
    assert page.first_unread_number is None


def test_muted_threads_and_categories_leave_the_forum_wide_list(
    login, mentor, question, newcomers_corner
):
    client = login(mentor)
    assert question in client.get("/forum/").context["page"].object_list
    services.subscription_set(user=mentor, thread=question, level="muted")
    assert question not in client.get("/forum/").context["page"].object_list
    services.subscription_set(user=mentor, thread=question, level=None)
    services.subscription_set(user=mentor, category=newcomers_corner, level="muted")
    assert question not in client.get("/forum/").context["page"].object_list
    category_page = client.get(newcomers_corner.get_absolute_url())
    assert question in category_page.context["page"].object_list
