"""The dashboard is the coordinators': everyone else is refused on every path."""

from __future__ import annotations

import pytest
from django.urls import reverse

DASHBOARD = reverse("analytics:dashboard")
EXPORTS = [
    reverse("analytics:export", args=[slug])
    for slug in (
        "summary",
        "activity",
        "unanswered",
        "mentor-load",
        "plans",
        "feedback",
        "retention",
    )
]


@pytest.mark.parametrize("url", [DASHBOARD, *EXPORTS])
def test_anonymous_visitor_is_sent_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [DASHBOARD, *EXPORTS])
@pytest.mark.parametrize("who", ["newcomer", "mentor"])
def test_newcomers_and_mentors_get_403(login, request, who, url):
    response = login(request.getfixturevalue(who)).get(url)
    assert response.status_code == 403


@pytest.mark.parametrize("url", [DASHBOARD, *EXPORTS])
def test_coordinator_gets_the_dashboard_and_every_export(login, coordinator, url):
    assert login(coordinator).get(url).status_code == 200


def test_staff_member_counts_as_coordinator(login, mentor):
    mentor.is_staff = True
    mentor.save(update_fields=["is_staff"])
    assert login(mentor).get(DASHBOARD).status_code == 200


def test_dashboard_link_is_in_the_coordinators_menu_only(login, coordinator, mentor):
    assert DASHBOARD in login(coordinator).get("/").content.decode()
    assert DASHBOARD not in login(mentor).get("/").content.decode()


def test_unknown_export_is_404(login, coordinator):
    assert login(coordinator).get("/dashboard/passwords.csv").status_code == 404


def test_post_is_refused(login, coordinator):
    assert login(coordinator).post(DASHBOARD).status_code == 405
