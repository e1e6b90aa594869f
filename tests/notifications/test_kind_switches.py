"""Each kind of notification can be switched off on the site and by email, per member."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from community.notifications import registry, selectors, services
from community.notifications.models import KindPreference, Notification
from profiles.models import User
from tests.conftest import make_member
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db

OTHER_KIND = "tests.mention"


@pytest.fixture
def other_kind(kind) -> str:
    registry.KINDS.fill(registry.NotificationKind(OTHER_KIND, "Test mention"))
    yield OTHER_KIND
    registry.KINDS.empty(OTHER_KIND)


def switch_off(member, *, in_app=(), email=(), email_mode="immediately") -> None:
    """Switch these kinds off for `member`, and every other kind on."""
    kinds = [kind for kind, _label in registry.registered_kinds()]
    services.preference_set(
        user=member,
        email_mode=email_mode,
        in_app=[k for k in kinds if k not in in_app],
        email=[k for k in kinds if k not in email],
    )


def send(kind, recipients, actor, **fields):
    fields = {"text": "Новый ответ", "url": "/forum/t/1/", **fields}
    return services.notifications_send(recipients=recipients, kind=kind, actor=actor, **fields)


def test_everything_is_on_until_a_member_switches_something_off(kind, other_kind, mentor):
    in_app, email = selectors.kinds_wanted_by(mentor)
    assert {kind, other_kind, "forum.reply"} <= set(in_app) and in_app == email
    assert not KindPreference.objects.exists()


def test_a_kind_switched_off_on_the_site_makes_no_notification_for_that_member(
    kind, other_kind, mentor, mentor2, newcomer
):
    switch_off(mentor, in_app=[kind])
    sent = send(kind, [mentor, mentor2], newcomer)
    assert [n.recipient for n in sent] == [mentor2]
    assert not Notification.objects.filter(recipient=mentor).exists()
    # The kind the member kept still reaches them.
    send(other_kind, [mentor], newcomer)
    assert Notification.objects.filter(recipient=mentor, kind=other_kind).count() == 1


def test_a_kind_switched_off_on_the_site_is_not_emailed_either(kind, mentor, newcomer):
    switch_off(mentor, in_app=[kind])
    send(kind, [mentor], newcomer)
    run_tasks()
    assert mail.outbox == []


def test_another_notice_of_a_kind_the_member_kept_still_reaches_them(
    kind, other_kind, mentor, newcomer
):
    switch_off(mentor, in_app=[kind])
    sent = services.notices_send(
        [
            services.Notice([mentor], kind=kind, text="Ответ вам", url="/forum/t/1/"),
            services.Notice([mentor], kind=other_kind, text="Новый ответ", url="/forum/t/1/"),
        ]
    )
    assert [(n.recipient, n.kind) for n in sent] == [(mentor, other_kind)]


def test_a_kind_switched_off_by_email_is_listed_on_the_site_but_never_emailed(
    kind, other_kind, mentor, mentor2, newcomer
):
    switch_off(mentor, email=[kind])
    send(kind, [mentor, mentor2], newcomer)
    send(other_kind, [mentor], newcomer, text="Упоминание")
    run_tasks()
    assert Notification.objects.filter(recipient=mentor).count() == 2
    assert sorted((m.to[0], m.subject.split(": ", 1)[-1]) for m in mail.outbox) == [
        (mentor.email, "Упоминание"),
        (mentor2.email, "Новый ответ"),
    ]


def test_the_daily_digest_leaves_out_kinds_switched_off_by_email(
    kind, other_kind, mentor, newcomer
):
    switch_off(mentor, email=[kind], email_mode="daily")
    send(kind, [mentor], newcomer, text="не для почты", group_key="a")
    send(other_kind, [mentor], newcomer, text="для почты", group_key="b")
    assert services.digest_send() == 1
    run_tasks()
    [email] = mail.outbox
    assert "для почты" in email.body and "не для почты" not in email.body


def test_switching_a_kind_back_on_takes_effect_at_once(
    kind, mentor, newcomer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        switch_off(mentor, in_app=[kind])
    assert send(kind, [mentor], newcomer) == []  # the cache now knows
    with django_capture_on_commit_callbacks(execute=True):
        switch_off(mentor)
    assert [n.recipient for n in send(kind, [mentor], newcomer)] == [mentor]


def test_only_kinds_with_a_switch_off_are_stored(kind, other_kind, mentor):
    switch_off(mentor, in_app=[kind], email=[kind, other_kind])
    assert sorted(KindPreference.objects.values_list("kind", "in_app", "email")) == [
        (other_kind, True, False),
        (kind, False, False),
    ]
    switch_off(mentor)
    assert not KindPreference.objects.exists()


def test_saving_only_the_email_frequency_keeps_the_switches(kind, other_kind, mentor):
    switch_off(mentor, in_app=[kind], email=[other_kind])
    services.preference_set(user=mentor, email_mode="daily")
    in_app, email = selectors.kinds_wanted_by(mentor)
    assert kind not in in_app and other_kind in in_app
    assert kind in email and other_kind not in email


def test_an_unknown_kind_is_refused_and_nothing_is_saved(kind, mentor):
    with pytest.raises(ValidationError) as refused:
        services.preference_set(
            user=mentor, email_mode="daily", in_app=[kind, "tests.nonsense"], email=[]
        )
    assert refused.value.message_dict == {
        "in_app": ["Нет такого вида уведомлений: «tests.nonsense»."]
    }
    assert not KindPreference.objects.exists()
    assert selectors.preference_for(mentor).pk is None


# --- What it costs ----------------------------------------------------------------------


def test_without_opt_outs_a_send_costs_no_query_more_once_the_cache_is_warm(
    kind, mentor, mentor2, newcomer, django_assert_num_queries
):
    # What a send cost before kinds could be switched off: the INSERT (in a savepoint, three
    # statements) and the task.
    before = 4
    # Cold: one query reads who switched the kind off, whatever the recipients.
    with django_assert_num_queries(1 + before):
        send(kind, [mentor], newcomer)
    # Warm, as every send but a process's first in a minute finds it: nothing more.
    with django_assert_num_queries(before):
        send(kind, [mentor2], newcomer)


@pytest.mark.parametrize("count", [3, 30])
def test_opt_outs_cost_the_same_queries_for_3_or_30_recipients(
    kind, newcomer, count, django_assert_num_queries
):
    recipients = [
        make_member(f"r{n}@example.com", f"Получатель {n}", User.Role.MENTOR) for n in range(count)
    ]
    for member in recipients[::2]:  # every other one switched the kind off
        switch_off(member, in_app=[kind])
    # Who switched it off (one query, the cache being cold), the INSERT, the task.
    with django_assert_num_queries(1 + 4):
        sent = send(kind, recipients, newcomer)
    assert {n.recipient_id for n in sent} == {m.pk for m in recipients[1::2]}
