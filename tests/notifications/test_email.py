"""Emailing notifications: right away, as a daily digest, or not at all."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from community.background import schedule as scheduled_runs
from community.mailer.models import OutgoingEmail
from community.notifications import services
from community.notifications.models import Notification
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db


def notify(kind, recipient, actor, **fields):
    fields = {"text": "ответил в теме «Приказы»", "url": "/forum/t/1/", **fields}
    return services.notification_create(recipient=recipient, kind=kind, actor=actor, **fields)


def test_an_immediate_email_goes_out_once_the_write_commits(kind, mentor, newcomer):
    with transaction.atomic():
        notification = notify(kind, mentor, newcomer)
        assert mail.outbox == []  # nothing while the write is open
    assert mail.outbox == []  # nor in the request: a worker sends it
    assert run_tasks() == 2  # the notification's task, then the outbox's delivery
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
    assert run_tasks() == 0 and len(mail.outbox) == 1


def test_a_rolled_back_write_emails_nobody(kind, mentor, newcomer):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(kind, mentor, newcomer)
        raise RuntimeError("the caller's write failed")
    assert DBTaskResult.objects.count() == 0
    assert run_tasks() == 0 and mail.outbox == []


def test_members_who_turned_email_off_get_none(kind, mentor, newcomer):
    services.preference_set(user=mentor, email_mode="off")
    notify(kind, mentor, newcomer)
    run_tasks()
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_digest_members_get_no_immediate_email(kind, mentor, newcomer):
    services.preference_set(user=mentor, email_mode="daily")
    notify(kind, mentor, newcomer)
    run_tasks()
    assert mail.outbox == []


def test_a_broken_mail_server_never_breaks_the_caller(kind, mentor, newcomer):
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("SMTP is down"),
    ):
        notification = notify(kind, mentor, newcomer)
        run_tasks()
    assert notification is not None
    [email] = OutgoingEmail.objects.all()
    assert email.state == OutgoingEmail.State.QUEUED and email.attempts == 1
    assert "SMTP is down" in email.last_error


def test_an_event_that_bumps_a_notification_before_its_email_went_gets_one_email(
    kind, mentor, newcomer, stranger
):
    notify(kind, mentor, newcomer, group_key="thread:1")
    notify(kind, mentor, stranger, group_key="thread:1", text="второй ответ")
    run_tasks()
    [email] = mail.outbox  # the two events collapsed into one, as on the site
    assert "второй ответ" in email.body and "(2 " in email.body


def test_a_task_whose_notification_was_deleted_ends_quietly(kind, mentor, newcomer):
    notify(kind, mentor, newcomer)
    Notification.objects.all().delete()
    assert run_tasks() == 1
    assert mail.outbox == []


def test_the_email_is_in_russian_whatever_language_the_actor_uses(kind, mentor, newcomer):
    from django.utils import translation

    with translation.override("en"):
        notify(kind, mentor, newcomer)
    run_tasks()
    assert "Здравствуйте" in mail.outbox[0].body


@pytest.fixture
def daily(mentor):
    services.preference_set(user=mentor, email_mode="daily")
    return mentor


def test_the_daily_digest_lists_unread_notifications_once(kind, daily, newcomer, mentor2):
    notify(kind, daily, newcomer, text="первое", group_key="a")
    notify(kind, daily, newcomer, text="второе", url="/forum/t/2/", group_key="b")
    notify(kind, mentor2, newcomer, text="для того, кто получает сразу")
    run_tasks()
    mail.outbox.clear()
    assert services.digest_send() == 1
    run_tasks()
    [email] = mail.outbox
    assert email.to == [daily.email]
    assert email.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert "2" in email.subject
    assert "первое" in email.body and "второе" in email.body
    assert f"{settings.SITE_URL}/forum/t/2/" in email.body
    assert "для того" not in email.body
    assert not Notification.objects.filter(recipient=daily, emailed_at__isnull=True).exists()

    assert services.digest_send() == 0  # running twice sends nothing new
    run_tasks()
    assert len(mail.outbox) == 1


def test_the_digest_skips_read_old_and_already_emailed_notifications(kind, daily, newcomer):
    read = notify(kind, daily, newcomer, text="прочитано", group_key="read")
    services.notifications_mark_read(user=daily, ids=[read.pk])
    old = notify(kind, daily, newcomer, text="давнее", group_key="old")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert services.digest_send() == 0
    run_tasks()
    assert mail.outbox == []


def test_new_activity_in_a_group_comes_back_in_the_next_digest(kind, daily, newcomer, stranger):
    notify(kind, daily, newcomer, text="первый ответ", group_key="thread:1")
    assert services.digest_send() == 1
    notify(kind, daily, stranger, text="второй ответ", group_key="thread:1")
    assert services.digest_send() == 1
    run_tasks()
    assert len(mail.outbox) == 2
    assert "второй ответ" in mail.outbox[-1].body


def test_the_scheduled_digest_job_runs_through_the_worker(kind, daily, newcomer):
    notify(kind, daily, newcomer)
    scheduled_runs.enqueue_due(known={})  # every job's latest slot, the digest's included
    run_tasks()
    [email] = mail.outbox
    assert email.to == [daily.email]
    assert scheduled_runs.enqueue_due(known={}) == []  # the slot has run; nothing again
    run_tasks()
    assert len(mail.outbox) == 1


def test_a_long_digest_lists_the_newest_and_counts_the_rest(kind, daily, newcomer, monkeypatch):
    monkeypatch.setattr(services, "DIGEST_MAX_ITEMS", 2)
    for key in ["a", "b", "c"]:
        notify(kind, daily, newcomer, text=f"событие {key}", group_key=key)
    assert services.digest_send() == 1
    run_tasks()
    body = mail.outbox[0].body
    assert "событие c" in body and "событие b" in body and "событие a" not in body
    assert f"{settings.SITE_URL}/notifications/" in body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
