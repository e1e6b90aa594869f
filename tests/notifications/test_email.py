"""Emailing notifications: right away, as a daily digest, or not at all."""

from __future__ import annotations

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from community.notifications import services
from community.notifications.models import Notification

pytestmark = pytest.mark.django_db


def notify(kind, recipient, actor, **fields):
    fields = {"text": "ответил в теме «Приказы»", "url": "/forum/t/1/", **fields}
    return services.notification_create(recipient=recipient, kind=kind, actor=actor, **fields)


def test_an_immediate_email_goes_out_once_the_write_commits(
    kind, mentor, newcomer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(kind, mentor, newcomer)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [email] = mail.outbox
    assert email.to == [mentor.email]
    assert (
        email.subject == f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Test reply: "
        "ответил в теме «Приказы»"
    )
    assert f"{settings.SITE_URL}/forum/t/1/" in email.body
    assert "\nответил в теме «Приказы»\n" in email.body
    assert "&laquo;" not in email.body and "&#" not in email.body  # plain text, not escaped
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_members_who_turned_email_off_get_none(
    kind, mentor, newcomer, django_capture_on_commit_callbacks
):
    services.preference_set(user=mentor, email_mode="off")
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind, mentor, newcomer)
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_digest_members_get_no_immediate_email(
    kind, mentor, newcomer, django_capture_on_commit_callbacks
):
    services.preference_set(user=mentor, email_mode="daily")
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind, mentor, newcomer)
    assert mail.outbox == []


def test_a_broken_mail_server_never_breaks_the_caller(
    kind, mentor, newcomer, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=ConnectionRefusedError("SMTP is down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = notify(kind, mentor, newcomer)
    assert notification is not None
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_the_email_is_in_russian_whatever_language_the_actor_uses(
    kind, mentor, newcomer, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify(kind, mentor, newcomer)
    assert "Здравствуйте" in mail.outbox[0].body


@pytest.fixture
def daily(mentor):
    services.preference_set(user=mentor, email_mode="daily")
    return mentor


def test_the_daily_digest_lists_unread_notifications_once(kind, daily, newcomer, mentor2):
    notify(kind, daily, newcomer, text="первое", group_key="a")
    notify(kind, daily, newcomer, text="второе", url="/forum/t/2/", group_key="b")
    notify(kind, mentor2, newcomer, text="для того, кто получает сразу")
    mail.outbox.clear()
    assert services.digest_send() == 1
    [email] = mail.outbox
    assert email.to == [daily.email]
    assert email.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert "2" in email.subject
    assert "первое" in email.body and "второе" in email.body
    assert f"{settings.SITE_URL}/forum/t/2/" in email.body
    assert "для того" not in email.body
    assert not Notification.objects.filter(recipient=daily, emailed_at__isnull=True).exists()

    assert services.digest_send() == 0  # running twice sends nothing new
    assert len(mail.outbox) == 1


def test_the_digest_skips_read_old_and_already_emailed_notifications(kind, daily, newcomer):
    read = notify(kind, daily, newcomer, text="прочитано", group_key="read")
    services.notifications_mark_read(user=daily, ids=[read.pk])
    old = notify(kind, daily, newcomer, text="давнее", group_key="old")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert services.digest_send() == 0
    assert mail.outbox == []


def test_new_activity_in_a_group_comes_back_in_the_next_digest(kind, daily, newcomer, stranger):
    notify(kind, daily, newcomer, text="первый ответ", group_key="thread:1")
    assert services.digest_send() == 1
    notify(kind, daily, stranger, text="второй ответ", group_key="thread:1")
    assert services.digest_send() == 1
    assert "второй ответ" in mail.outbox[-1].body


def test_a_failed_digest_is_retried_on_the_next_run(kind, daily, newcomer):
    notify(kind, daily, newcomer)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("SMTP is down"),
    ):
        assert services.digest_send() == 0
    assert Notification.objects.get().emailed_at is None
    assert services.digest_send() == 1


def test_send_digests_command_reports_how_many_it_sent(kind, daily, newcomer):
    notify(kind, daily, newcomer)
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "Sent 1 digest" in out.getvalue()
    assert len(mail.outbox) == 1


def test_a_long_digest_lists_the_newest_and_counts_the_rest(kind, daily, newcomer, monkeypatch):
    monkeypatch.setattr(services, "DIGEST_MAX_ITEMS", 2)
    for key in ["a", "b", "c"]:
        notify(kind, daily, newcomer, text=f"событие {key}", group_key=key)
    assert services.digest_send() == 1
    body = mail.outbox[0].body
    assert "событие c" in body and "событие b" in body and "событие a" not in body
    assert f"{settings.SITE_URL}/notifications/" in body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
