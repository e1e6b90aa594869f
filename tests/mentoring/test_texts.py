"""What the pair's notifications and refusals say: names in the case Russian needs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from community.notifications.models import Notification
from mentoring import services
from profiles import services as profile_services

pytestmark = pytest.mark.django_db


def renamed(member, full_name: str):
    member.full_name = full_name
    return profile_services.user_save(user=member)


def told(kind: str) -> str:
    return Notification.objects.get(kind=kind).text


def test_a_proposal_names_the_newcomer_in_the_genitive(coordinator, mentor, newcomer):
    renamed(newcomer, "Тимур Айратович Сабиров")
    with translation.override("ru"):
        services.mentorship_propose(coordinator=coordinator, mentor=mentor, newcomer=newcomer)
    assert told("mentoring.proposed") == (
        "Гульнара Сафина просит вас стать наставником для Тимура Айратовича Сабирова"
    )


def test_every_step_of_the_pair_names_the_newcomer_in_the_genitive(
    coordinator, mentor, mentor2, newcomer
):
    with translation.override("ru"):
        pair = services.mentorship_propose(
            coordinator=coordinator, mentor=mentor, newcomer=newcomer
        )
        services.mentorship_decline(mentor=mentor, pair=pair, reason="Отпуск")
        pair = services.mentorship_propose(
            coordinator=coordinator, mentor=mentor2, newcomer=newcomer
        )
        services.mentorship_withdraw(actor=coordinator, pair=pair)
        pair = services.mentorship_propose(
            coordinator=coordinator, mentor=mentor, newcomer=newcomer
        )
        pair = services.mentorship_accept(mentor=mentor, pair=pair)
        services.mentorship_complete(actor=mentor, pair=pair)
    assert told("mentoring.declined").endswith("от наставничества для Тимура Сабирова")
    assert told("mentoring.withdrawn").endswith("о наставничестве для Тимура Сабирова")
    assert Notification.objects.filter(
        kind="mentoring.started", text="Алия Хасанова теперь наставник для Тимура Сабирова"
    ).exists()
    assert told("mentoring.completed").endswith("наставничество для Тимура Сабирова")


def test_a_second_proposal_is_refused_in_the_genitive(coordinator, mentor, mentor2, newcomer):
    with translation.override("ru"):
        services.mentorship_propose(coordinator=coordinator, mentor=mentor, newcomer=newcomer)
        with pytest.raises(ValidationError) as refused:
            services.mentorship_propose(coordinator=coordinator, mentor=mentor2, newcomer=newcomer)
    assert refused.value.messages == [
        "У Тимура Сабирова уже есть наставник или ожидающее предложение."
    ]


def test_a_name_the_rules_do_not_know_follows_a_noun(coordinator, mentor, newcomer):
    renamed(newcomer, "John Smith")
    with translation.override("ru"):
        services.mentorship_propose(coordinator=coordinator, mentor=mentor, newcomer=newcomer)
    assert told("mentoring.proposed").endswith("стать наставником для участника John Smith")


def test_in_english_the_name_is_plain(coordinator, mentor, newcomer):
    with translation.override("en"):
        services.mentorship_propose(coordinator=coordinator, mentor=mentor, newcomer=newcomer)
    assert told("mentoring.proposed") == "Гульнара Сафина asks you to mentor Тимур Сабиров"


def test_a_coordinator_proposing_on_the_page_writes_the_genitive(
    login, coordinator, mentor, newcomer
):
    renamed(newcomer, "Сабиров Тимур Айратович")
    response = login(coordinator).post(
        "/mentoring/propose/", {"mentor": mentor.pk, "newcomer": newcomer.pk}
    )
    assert response.status_code == 302
    assert told("mentoring.proposed").endswith("наставником для Сабирова Тимура Айратовича")
