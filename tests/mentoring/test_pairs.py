"""Mentoring pairs: every transition, capacity, consent, permissions, the pair's room."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from chat.models import Room
from community.notifications.models import Notification
from mentoring import services
from mentoring.models import Mentorship
from tests.conftest import make_member


@pytest.fixture
def proposal(coordinator, mentor, newcomer) -> Mentorship:
    return services.mentorship_propose(
        coordinator=coordinator, mentor=mentor, newcomer=newcomer, message="Помогите с СЭД"
    )


def statuses(pair: Mentorship) -> list[tuple[str, str]]:
    return list(pair.events.values_list("from_status", "to_status"))


def test_a_proposal_waits_for_the_mentor_who_is_told(proposal, mentor):
    assert proposal.status == "proposed" and proposal.room is None
    assert (proposal.ends_on - proposal.starts_on).days == 91
    assert Notification.objects.filter(recipient=mentor, kind="mentoring.proposed").exists()
    assert statuses(proposal) == [("", "proposed")]


def test_accepting_starts_the_pair_with_its_private_room(proposal, mentor, newcomer, coordinator):
    pair = services.mentorship_accept(mentor=mentor, pair=proposal)
    assert pair.status == "active" and pair.room.kind == Room.Kind.PAIR
    assert set(pair.room.memberships.values_list("user_id", flat=True)) == {mentor.pk, newcomer.pk}
    assert statuses(pair) == [("", "proposed"), ("proposed", "active")]
    assert pair.events.last().actor == mentor
    told = set(
        Notification.objects.filter(kind="mentoring.started").values_list("recipient_id", flat=True)
    )
    assert told == {newcomer.pk, coordinator.pk}


def test_only_the_proposed_mentor_answers(proposal, mentor2, coordinator, newcomer):
    for someone in (mentor2, coordinator, newcomer):
        with pytest.raises(PermissionDenied):
            services.mentorship_accept(mentor=someone, pair=proposal)


def test_declining_and_withdrawing_close_the_proposal(
    proposal, mentor, coordinator, newcomer, mentor2
):
    declined = services.mentorship_decline(mentor=mentor, pair=proposal, reason="Отпуск")
    assert (declined.status, declined.end_reason) == ("declined", "Отпуск")
    again = services.mentorship_propose(coordinator=coordinator, mentor=mentor2, newcomer=newcomer)
    assert services.mentorship_withdraw(actor=coordinator, pair=again).status == "withdrawn"
    # A mentor answering from a page opened before the withdrawal is told, not obeyed.
    with pytest.raises(ValidationError) as refused:
        services.mentorship_accept(mentor=mentor2, pair=again)
    assert refused.value.code == "answered"


def test_either_side_ends_early_with_a_reason_and_the_room_closes(proposal, mentor, newcomer):
    pair = services.mentorship_accept(mentor=mentor, pair=proposal)
    with pytest.raises(ValidationError):
        services.mentorship_end(actor=newcomer, pair=pair, reason="  ")
    ended = services.mentorship_end(actor=newcomer, pair=pair, reason="Перевод в другой отдел")
    assert ended.status == "ended" and ended.room.is_archived
    assert statuses(ended)[-1] == ("active", "ended")
    assert Notification.objects.filter(recipient=mentor, kind="mentoring.ended").exists()


def test_completing_is_for_the_mentor_or_a_coordinator(proposal, mentor, newcomer, coordinator):
    pair = services.mentorship_accept(mentor=mentor, pair=proposal)
    with pytest.raises(PermissionDenied):
        services.mentorship_complete(actor=newcomer, pair=pair)
    assert services.mentorship_complete(actor=coordinator, pair=pair).status == "completed"


def test_capacity_is_enforced_when_proposing_and_when_accepting(coordinator, mentor, division):
    mentor.mentor_capacity = 1
    mentor.save()
    first, second = (
        make_member(f"n{n}@example.com", f"Новичок {n}", "newcomer", department=division)
        for n in (1, 2)
    )
    one = services.mentorship_propose(coordinator=coordinator, mentor=mentor, newcomer=first)
    two = services.mentorship_propose(coordinator=coordinator, mentor=mentor, newcomer=second)
    services.mentorship_accept(mentor=mentor, pair=one)
    with pytest.raises(ValidationError) as full:
        services.mentorship_accept(mentor=mentor, pair=two)
    assert full.value.code == "at_capacity" and "1" in full.value.messages[0]
    with pytest.raises(ValidationError):
        services.mentorship_propose(
            coordinator=coordinator,
            mentor=mentor,
            newcomer=make_member("n3@example.com", "Новичок 3", "newcomer", department=division),
        )


@pytest.mark.parametrize(
    "case", ["self", "not a mentor", "not a newcomer", "second pair", "not accepting"]
)
def test_bad_pairings_are_refused_clearly(case, coordinator, mentor, mentor2, newcomer, proposal):
    mentor2.accepting_mentees = case != "not accepting"
    mentor2.save()
    pairing = {
        "self": (mentor2, mentor2),
        "not a mentor": (newcomer, mentor2),
        "not a newcomer": (mentor2, mentor),
        "second pair": (mentor2, newcomer),
        "not accepting": (mentor2, make_member("n9@example.com", "Новичок", "newcomer")),
    }[case]
    before = Mentorship.objects.count()
    with pytest.raises(ValidationError):
        services.mentorship_propose(coordinator=coordinator, mentor=pairing[0], newcomer=pairing[1])
    assert Mentorship.objects.count() == before


def test_the_database_refuses_a_second_open_pair_too(proposal, mentor2, coordinator):
    with pytest.raises(IntegrityError):
        Mentorship.objects.create(
            mentor=mentor2,
            newcomer=proposal.newcomer,
            proposed_by=coordinator,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + datetime.timedelta(days=9),
        )


def test_a_newcomer_asks_a_mentor_and_only_coordinators_propose(newcomer, mentor, mentor2):
    pair = services.mentorship_request(newcomer=newcomer, mentor=mentor, message="Можно?")
    assert pair.proposed_by == newcomer and pair.status == "proposed"
    with pytest.raises(PermissionDenied):
        services.mentorship_propose(coordinator=mentor2, mentor=mentor2, newcomer=newcomer)
    with pytest.raises(PermissionDenied):
        services.mentorship_request(newcomer=mentor2, mentor=mentor)
