"""Email delivery through a real SMTP server (aiosmtpd) and the real worker: nothing waits
for the mail server, nothing is lost when it is down, nothing is sent twice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from community.mailer import services as mailer
from community.mailer.models import OutgoingEmail
from forum import services as forum
from forum.models import Subscription
from profiles.models import User
from tests.conftest import make_member
from tests.forum.conftest import reply
from tests.helpers import run_scheduled_job, run_tasks
from tests.mailer.smtp import SMTPServer

pytestmark = pytest.mark.django_db
State = OutgoingEmail.State


@pytest.fixture
def smtp(settings) -> Iterator[SMTPServer]:
    server = SMTPServer()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def watched(question, no_rate_limit):
    """The question with 5 members watching it (each wants every reply by email)."""
    watchers = [
        make_member(f"watcher{n}@example.com", f"Наблюдатель {n}", User.Role.MENTOR)
        for n in range(5)
    ]
    for watcher in watchers:
        forum.subscription_set(user=watcher, thread=question, level=Subscription.Level.WATCHING)
    return question, watchers


def later() -> None:
    """Let the retry delay pass: what is deferred becomes due."""
    now = timezone.now()
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=now)
    OutgoingEmail.objects.filter(state=State.QUEUED).update(next_attempt_at=now)


def test_a_reply_reaches_every_watcher_through_the_mail_server(smtp, watched, mentor):
    thread, watchers = watched
    reply(mentor, thread, body="Ответ для всех.")
    assert smtp.inbox.messages == []  # the reply did not wait for the mail server
    run_tasks()
    assert smtp.inbox.to() == sorted([*(w.email for w in watchers), thread.author.email])
    message = smtp.inbox.messages[0]
    assert str(message["Subject"]).strip().startswith("[Наставник]")
    assert message["Message-ID"].startswith("<outbox.")


def test_mail_server_down_then_back_each_email_arrives_exactly_once(smtp, watched, mentor):
    thread, watchers = watched
    smtp.stop()
    reply(mentor, thread, body="Ответ, пока почта лежит.")
    run_tasks()
    waiting = OutgoingEmail.objects.all()
    assert waiting.count() == 6
    assert {(e.state, e.attempts) for e in waiting} == {(State.QUEUED, 1)}
    assert all("Connection refused" in e.last_error or "111" in e.last_error for e in waiting)
    # A retry is deferred by the backoff, not run straight away.
    assert run_tasks() == 0
    smtp.start()
    later()
    run_tasks()
    assert smtp.inbox.to() == sorted([*(w.email for w in watchers), thread.author.email])
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {State.SENT}
    later()
    run_tasks()
    assert len(smtp.inbox.messages) == 6  # and never again


def test_a_refused_recipient_is_retried_then_failed_and_others_still_get_theirs(
    smtp, watched, mentor, settings
):
    settings.MAILER_MAX_ATTEMPTS = 3
    thread, watchers = watched
    smtp.inbox.refused.add(watchers[0].email)
    reply(mentor, thread)
    run_tasks()
    for _ in range(3):
        later()
        run_tasks()
    refused = OutgoingEmail.objects.get(to=watchers[0].email)
    assert (refused.state, refused.attempts) == (State.FAILED, 3)
    assert "550" in refused.last_error and "No such user" in refused.last_error
    assert len(smtp.inbox.messages) == 5
    assert OutgoingEmail.objects.filter(state=State.SENT).count() == 5


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_wrong_password_is_retried_with_the_reason_and_the_site_keeps_working(
    settings, watched, mentor, client
):
    server = SMTPServer(password="correct horse")
    for name, value in server.settings(
        EMAIL_HOST_USER="robot", EMAIL_HOST_PASSWORD="wrong"
    ).items():
        setattr(settings, name, value)
    server.start()
    try:
        thread, _watchers = watched
        reply(mentor, thread)
        run_tasks()
        emails = OutgoingEmail.objects.all()
        assert {e.state for e in emails} == {State.QUEUED}
        assert all("SMTPAuthenticationError" in e.last_error for e in emails)
        client.force_login(mentor)
        assert client.get(thread.get_absolute_url()).status_code == 200
        # The operator fixes the password: the next attempt goes through.
        settings.EMAIL_HOST_PASSWORD = "correct horse"
        later()
        run_tasks()
        assert len(server.inbox.messages) == 6
    finally:
        server.stop()


def test_an_unreachable_host_backs_off_longer_each_time(settings, watched, mentor):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    settings.MAILER_RETRY_SECONDS = 60
    thread, _watchers = watched
    reply(mentor, thread)
    waits = []
    for _ in range(3):
        before = timezone.now()
        later()
        run_tasks()
        email = OutgoingEmail.objects.order_by("pk").first()
        assert email is not None
        waits.append(round((email.next_attempt_at - before).total_seconds() / 60))
    assert waits == [1, 2, 4]


def test_a_coordinator_sees_failed_emails_with_the_reason_and_sends_them_again(
    smtp, watched, mentor, coordinator, client, settings
):
    settings.MAILER_MAX_ATTEMPTS = 1
    smtp.stop()
    thread, _watchers = watched
    reply(mentor, thread, body="Секретный текст ответа")
    run_tasks()
    failed = OutgoingEmail.objects.filter(state=State.FAILED)
    assert failed.count() == 6
    client.force_login(coordinator)
    listing = client.get("/admin/mailer/outgoingemail/?state__exact=failed").content.decode()
    assert "Connection refused" in listing or "111" in listing
    detail = client.get(f"/admin/mailer/outgoingemail/{failed[0].pk}/change/").content.decode()
    assert "Секретный текст" not in detail  # the body (a reset link, perhaps) never shows
    smtp.start()
    response = client.post(
        "/admin/mailer/outgoingemail/",
        {"action": "send_again", "_selected_action": [e.pk for e in failed]},
    )
    assert response.status_code == 302
    run_tasks()
    assert len(smtp.inbox.messages) == 6
    assert OutgoingEmail.objects.filter(state=State.SENT).count() == 6


def test_a_member_cannot_see_the_outbox(client, mentor):
    client.force_login(mentor)
    response = client.get("/admin/mailer/outgoingemail/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_second_run_of_a_delivery_sends_nothing_twice(smtp, watched, mentor):
    thread, _watchers = watched
    reply(mentor, thread)
    run_tasks()
    assert mailer.deliver(claimant="another-run") == mailer.Delivery(sent=0, failed=0)
    assert len(smtp.inbox.messages) == 6


def test_a_delivery_taken_back_from_a_dead_worker_finishes_its_own_claims(smtp, mentor):
    mailer.outbox_add(
        [
            (f"test:{n}", mail.EmailMessage("Тема", "Текст", None, [f"a{n}@example.com"]))
            for n in range(3)
        ]
    )
    # A worker claimed the batch and died before sending any: its task runs again.
    OutgoingEmail.objects.update(
        state=State.SENDING, claimed_by="task-1", claimed_at=timezone.now()
    )
    assert mailer.deliver(claimant="someone-else") == mailer.Delivery()  # not theirs to send
    assert mailer.deliver(claimant="task-1") == mailer.Delivery(sent=3, failed=0)
    assert len(smtp.inbox.messages) == 3


def test_claims_of_a_delivery_that_died_for_good_go_back_after_a_while(smtp):
    mailer.outbox_add([("test:stale", mail.EmailMessage("Тема", "Текст", None, ["a@example.com"]))])
    OutgoingEmail.objects.update(
        state=State.SENDING,
        claimed_by="gone",
        claimed_at=timezone.now() - mailer.CLAIM_TIMEOUT - timezone.timedelta(seconds=1),
    )
    assert mailer.outbox_sweep() is True  # back in the queue, and due
    run_scheduled_job("mailer.sweep")  # the sweep queues a delivery for it
    assert len(smtp.inbox.messages) == 1
    assert OutgoingEmail.objects.get().state == State.SENT


def test_the_same_key_is_queued_once(smtp):
    message = mail.EmailMessage("Тема", "Текст", None, ["a@example.com"])
    assert mailer.outbox_add([("test:once", message)]) == 1
    assert mailer.outbox_add([("test:once", message)]) == 0
    run_tasks()
    assert len(smtp.inbox.messages) == 1


def test_each_failed_delivery_sees_to_the_retry_of_its_own_emails(smtp, mentor, settings):
    """Two emails failing at different times each get a delivery at their own retry time:
    one retry succeeding never leaves the other waiting for nothing."""
    smtp.stop()
    first = mail.EmailMessage("Первое", "Текст", None, ["a@example.com"])
    mailer.outbox_add([("test:first", first)])
    run_tasks()
    # Later, a second email fails too: its retry comes later than the first's.
    OutgoingEmail.objects.filter(key="test:first").update(
        next_attempt_at=timezone.now() + timezone.timedelta(seconds=30)
    )
    mailer.outbox_add([("test:second", mail.EmailMessage("Второе", "Т", None, ["b@example.com"]))])
    run_tasks()
    due = {e.key: e.next_attempt_at for e in OutgoingEmail.objects.all()}
    waiting = set(
        DBTaskResult.objects.filter(
            task_path="community.mailer.tasks.deliver_due", status=TaskResultStatus.READY
        ).values_list("run_after", flat=True)
    )
    assert due["test:second"] in waiting  # the second failure's own retry run
    smtp.start()
    later()
    run_tasks()
    assert sorted(str(m["Subject"]).strip() for m in smtp.inbox.messages) == [
        "Второе",
        "Первое",
    ]


def test_the_sweep_delivers_a_due_email_whose_delivery_task_was_lost(smtp):
    mailer.outbox_add([("test:lost", mail.EmailMessage("Тема", "Текст", None, ["a@example.com"]))])
    DBTaskResult.objects.all().delete()  # the task that would have sent it is gone
    run_scheduled_job("mailer.sweep")
    assert len(smtp.inbox.messages) == 1
