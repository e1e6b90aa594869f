"""Notifying many members at once costs the same few queries as notifying a few."""

from __future__ import annotations

from django.core import mail

from community.mailer.models import OutgoingEmail
from community.notifications import selectors, services
from community.notifications.models import Notification
from profiles.models import User
from tests.conftest import make_member
from tests.helpers import run_tasks


def members(start: int, stop: int) -> list[User]:
    return [
        make_member(f"w{n}@example.com", f"Наблюдатель {n}", User.Role.MENTOR)
        for n in range(start, stop)
    ]


def send(kind, recipients, actor):
    return services.notifications_send(
        recipients=recipients,
        kind=kind,
        text="Новый ответ",
        url="/forum/t/1/x/",
        actor=actor,
        group_key="thread:1",
    )


def test_sending_to_many_uses_a_fixed_number_of_queries(
    kind, newcomer, django_assert_num_queries, django_capture_on_commit_callbacks
):
    few, many = members(0, 3), members(3, 40)
    # Who switched the kind off is cached, as every send but a process's first finds it
    # (test_kind_switches.py counts the first).
    selectors.in_app_opt_outs([kind])
    # Nothing is emailed in the caller's transaction: one task row carries every recipient.
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(5) as first:
        send(kind, few, newcomer)
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(len(first.captured_queries)),
    ):
        send(kind, many, newcomer)
    assert Notification.objects.count() == 40
    assert mail.outbox == []
    run_tasks()
    assert len(mail.outbox) == 40
    assert OutgoingEmail.objects.filter(state=OutgoingEmail.State.SENT).count() == 40


def test_a_second_event_bumps_every_unread_notification_in_one_go(kind, newcomer, mentor):
    watchers = members(0, 5)
    send(kind, watchers, newcomer)
    sent = send(kind, [*watchers, mentor], newcomer)
    assert Notification.objects.count() == 6
    assert sorted(n.count for n in sent) == [1, 2, 2, 2, 2, 2]


def test_the_actor_and_inactive_members_are_left_out(kind, newcomer, mentor, mentor2):
    mentor2.is_active = False
    mentor2.save()
    sent = send(kind, [newcomer, mentor, mentor2, mentor], newcomer)
    assert [n.recipient for n in sent] == [mentor]


def test_several_notices_in_one_go_cost_what_one_costs(
    kind, newcomer, mentor, django_assert_num_queries
):
    watchers = members(0, 10)
    to_parent = services.Notice(watchers[:1], kind=kind, text="Ответ вам", url="/forum/t/1/")
    to_watchers = services.Notice(
        [mentor, *watchers], kind=kind, text="Новый ответ", url="/forum/t/1/", group_key="t:1"
    )
    services.notices_send([to_watchers])  # opens the group for all eleven
    with django_assert_num_queries(3):  # bump SELECT and UPDATE, the task
        sent = services.notices_send([to_watchers])
    assert {n.count for n in sent} == {2}
    # Two notices, one of them new rows: + a savepoint around the insert.
    with django_assert_num_queries(6):
        sent = services.notices_send([to_parent, to_watchers])
    by_member = {n.recipient_id: n for n in sent}
    # Named by both notices, the first member hears the first only.
    assert by_member[watchers[0].pk].text == "Ответ вам"
    assert by_member[mentor.pk].count == 3 and by_member[watchers[5].pk].count == 3
    assert len(sent) == 11
