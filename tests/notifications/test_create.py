"""Creating notifications: who gets one, what it holds, and how repeats collapse."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from community.notifications import registry, selectors, services
from community.notifications.models import Notification
from community.realtime.events import user_group
from tests.helpers import capture_events

pytestmark = pytest.mark.django_db


def test_a_notification_is_created_for_the_recipient(kind, mentor, newcomer):
    notification = services.notification_create(
        recipient=mentor,
        kind=kind,
        text="ответил в теме «Приказы»",
        url="/forum/t/1/",
        actor=newcomer,
    )
    assert notification is not None
    assert list(selectors.notifications_for(mentor)) == [notification]
    assert notification.actor == newcomer
    assert notification.is_unread and notification.count == 1
    assert selectors.unread_count(mentor) == 1
    assert selectors.unread_count(newcomer) == 0


def test_the_actor_is_never_notified_about_their_own_action(kind, mentor):
    result = services.notification_create(
        recipient=mentor, kind=kind, text="сам себе", url="/", actor=mentor
    )
    assert result is None
    assert not Notification.objects.exists()


def test_inactive_members_are_not_notified(kind, mentor, newcomer):
    mentor.is_active = False
    mentor.save(update_fields=["is_active"])
    assert (
        services.notification_create(recipient=mentor, kind=kind, text="x", url="/", actor=newcomer)
        is None
    )
    assert not Notification.objects.exists()


def test_an_unregistered_kind_is_a_programming_error(mentor):
    with pytest.raises(ValueError, match="register"):
        services.notification_create(recipient=mentor, kind="tests.unknown", text="x", url="/")


@pytest.mark.parametrize(
    "url",
    [
        "",
        "forum/t/1/",
        "//evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\t/evil.example/",
        "/ok\n",
        "/" + "a" * 500,
    ],
)
def test_links_must_be_paths_on_this_site(kind, mentor, url):
    with pytest.raises(ValueError):
        services.notification_create(recipient=mentor, kind=kind, text="x", url=url)


def test_text_is_one_line_and_cut_to_fit(kind, mentor):
    notification = services.notification_create(
        recipient=mentor,
        kind=kind,
        text="строка\nвторая\r\n" + "я" * 400,
        url="/",
    )
    assert "\n" not in notification.text
    assert notification.text.startswith("строка вторая я")
    assert len(notification.text) == 300


def test_blank_text_is_refused(kind, mentor):
    with pytest.raises(ValueError):
        services.notification_create(recipient=mentor, kind=kind, text=" \n ", url="/")


def test_repeats_about_one_target_collapse_into_one_unread_notification(
    kind, mentor, newcomer, stranger
):
    first = services.notification_create(
        recipient=mentor,
        kind=kind,
        text="первый ответ",
        url="/forum/t/1/",
        actor=newcomer,
        group_key="thread:1",
    )
    Notification.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timezone.timedelta(hours=1)
    )
    second = services.notification_create(
        recipient=mentor,
        kind=kind,
        text="второй ответ",
        url="/forum/t/1/#p2",
        actor=stranger,
        group_key="thread:1",
    )
    assert second.pk == first.pk
    row = Notification.objects.get()
    assert (row.count, row.text, row.url, row.actor) == (
        2,
        "второй ответ",
        "/forum/t/1/#p2",
        stranger,
    )
    assert row.created_at > timezone.now() - timezone.timedelta(minutes=1)


def test_a_read_notification_is_not_reopened_by_a_new_event(kind, mentor, newcomer):
    first = services.notification_create(
        recipient=mentor, kind=kind, text="a", url="/", actor=newcomer, group_key="thread:1"
    )
    services.notifications_mark_read(user=mentor)
    second = services.notification_create(
        recipient=mentor, kind=kind, text="b", url="/", actor=newcomer, group_key="thread:1"
    )
    assert second.pk != first.pk and second.count == 1
    assert selectors.unread_count(mentor) == 1


def test_different_groups_and_ungrouped_events_stay_apart(kind, mentor, newcomer):
    for key in ["thread:1", "thread:2", "", ""]:
        services.notification_create(
            recipient=mentor, kind=kind, text="x", url="/", actor=newcomer, group_key=key
        )
    assert Notification.objects.count() == 4


def test_a_new_notification_is_broadcast_to_the_recipient_after_commit(kind, mentor, newcomer):
    with capture_events() as events:
        notification = services.notification_create(
            recipient=mentor, kind=kind, text="ответ", url="/forum/t/1/", actor=newcomer
        )
    assert events.sent == [
        (
            [user_group(mentor.pk)],
            {
                "type": "notification",
                "id": notification.pk,
                "kind": kind,
                "text": "ответ",
                "url": "/forum/t/1/",
                "count": 1,
            },
        )
    ]


def test_a_rolled_back_write_broadcasts_nothing(kind, mentor, newcomer):
    with capture_events() as events:
        try:
            with transaction.atomic():
                services.notification_create(
                    recipient=mentor, kind=kind, text="x", url="/", actor=newcomer
                )
                raise RuntimeError("the caller fails after notifying")
        except RuntimeError:
            pass
    assert events.sent == []
    assert not Notification.objects.exists()


def test_reading_broadcasts_the_new_unread_count_to_other_tabs(kind, mentor, newcomer):
    for key in ["a", "b"]:
        services.notification_create(
            recipient=mentor, kind=kind, text="x", url="/", actor=newcomer, group_key=key
        )
    with capture_events() as events:
        services.notification_open(user=mentor, pk=Notification.objects.first().pk)
    assert events.sent == [
        ([user_group(mentor.pk)], {"type": "notifications_read", "unread_count": 1})
    ]


def test_mark_read_touches_only_the_members_own_notifications(kind, mentor, mentor2, newcomer):
    mine = services.notification_create(
        recipient=mentor, kind=kind, text="x", url="/", actor=newcomer
    )
    theirs = services.notification_create(
        recipient=mentor2, kind=kind, text="x", url="/", actor=newcomer
    )
    assert services.notifications_mark_read(user=mentor, ids=[mine.pk, theirs.pk]) == 1
    assert services.notifications_mark_read(user=mentor, ids=[mine.pk]) == 0
    assert selectors.unread_count(mentor2) == 1


def test_mark_read_with_no_ids_reads_everything(kind, mentor, newcomer):
    for key in ["a", "b", "c"]:
        services.notification_create(
            recipient=mentor, kind=kind, text="x", url="/", actor=newcomer, group_key=key
        )
    assert services.notifications_mark_read(user=mentor) == 3
    assert selectors.unread_count(mentor) == 0


def test_kinds_are_named_app_dot_event_and_registered_once(kind):
    for bad in ["reply", "Forum.reply", "forum.", ".reply", "forum reply"]:
        with pytest.raises(ValueError):
            registry.NotificationKind(bad, "x")
    # The same label again is harmless.
    registry.KINDS.fill(registry.NotificationKind(kind, "Test reply"))
    with pytest.raises(ValueError, match="already filled"):
        registry.KINDS.fill(registry.NotificationKind(kind, "Another label"))


def test_preferences_default_to_immediate_email_without_a_row(mentor):
    preference = selectors.preference_for(mentor)
    assert preference.email_mode == "immediately"
    assert preference.pk is None
    services.preference_set(user=mentor, email_mode="daily")
    services.preference_set(user=mentor, email_mode="off")
    assert selectors.preference_for(mentor).email_mode == "off"
