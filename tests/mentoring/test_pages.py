"""Mentoring pages: who sees a pair, the propose form, the profile button, the actions."""

from __future__ import annotations

import pytest

from mentoring import services
from mentoring.models import Mentorship


@pytest.fixture
def proposal(coordinator, mentor, newcomer) -> Mentorship:
    return services.mentorship_propose(coordinator=coordinator, mentor=mentor, newcomer=newcomer)


def test_the_pair_and_coordinators_see_it_and_nobody_else(
    login, proposal, mentor, newcomer, coordinator, mentor2, stranger
):
    url = proposal.get_absolute_url()
    for person in (mentor, newcomer, coordinator):
        assert login(person).get(url).status_code == 200
    for person in (mentor2, stranger):
        assert login(person).get(url).status_code == 404
        assert login(person).post(f"{url}accept/").status_code == 404
    assert proposal.mentor.full_name not in login(mentor2).get("/mentoring/").content.decode()


def test_a_coordinator_proposes_and_the_mentor_accepts_on_the_page(
    login, coordinator, mentor, newcomer
):
    page = login(coordinator).get("/mentoring/propose/").content.decode()
    assert f"{mentor.full_name} (0/{mentor.mentor_capacity})" in page
    response = login(coordinator).post(
        "/mentoring/propose/",
        {"mentor": mentor.pk, "newcomer": newcomer.pk, "message": "Коллега из вашего отдела"},
    )
    pair = Mentorship.objects.get()
    assert response.status_code == 302 and response.url == pair.get_absolute_url()
    login(mentor).post(f"/mentoring/{pair.pk}/accept/")
    pair.refresh_from_db()
    assert pair.status == "active"
    page = login(newcomer).get(pair.get_absolute_url()).content.decode()
    assert f"/chat/r/{pair.room_id}/" in page


def test_refusals_are_shown_on_the_form(login, coordinator, mentor):
    response = login(coordinator).post(
        "/mentoring/propose/", {"mentor": mentor.pk, "newcomer": mentor.pk}
    )
    assert response.status_code == 400 and not Mentorship.objects.exists()


def test_mentors_and_newcomers_cannot_propose(login, mentor, newcomer):
    assert login(mentor).get("/mentoring/propose/").status_code == 403
    assert login(newcomer).post("/mentoring/propose/", {}).status_code == 403


def test_a_newcomer_asks_from_the_mentors_profile(login, newcomer, mentor):
    client = login(newcomer)
    page = client.get(mentor.get_absolute_url()).content.decode()
    assert 'action="/mentoring/request/"' in page
    response = client.post("/mentoring/request/", {"member": mentor.slug})
    pair = Mentorship.objects.get()
    assert response.url == pair.get_absolute_url() and pair.proposed_by == newcomer
    # Asking twice is refused with a message, and nothing more is stored.
    client.post("/mentoring/request/", {"member": mentor.slug})
    assert Mentorship.objects.count() == 1


def test_unknown_actions_are_not_found(login, proposal, mentor):
    assert login(mentor).post(f"/mentoring/{proposal.pk}/explode/").status_code == 404


def test_an_ended_pairs_room_is_closed_for_writing(login, proposal, mentor, newcomer):
    pair = services.mentorship_accept(mentor=mentor, pair=proposal)
    services.mentorship_end(actor=mentor, pair=pair, reason="Сменил работу")
    page = login(newcomer).get(f"/chat/r/{pair.room_id}/").content.decode()
    assert 'id="room-archived"' in page and 'id="chat-composer"' not in page
