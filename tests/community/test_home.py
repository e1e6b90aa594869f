from __future__ import annotations

import pytest

from profiles import services

pytestmark = pytest.mark.django_db


def test_visitors_get_the_russian_landing_page(client, mentor):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru">' in html
    assert "Наставник" in html
    assert response.context["counts"]["mentors"] == 1


def test_newcomer_is_invited_to_become_a_mentor(login, newcomer):
    html = login(newcomer).get("/").content.decode()
    assert "/mentors/apply/" in html
    assert "Тимур" in html


def test_coordinator_sees_how_many_applications_wait(login, coordinator, newcomer, expertise):
    services.mentor_application_submit(
        applicant=newcomer, motivation="хочу", expertise=[expertise["docs"]]
    )
    response = login(coordinator).get("/")
    assert response.context["pending_applications"] == 1
    assert "/mentors/applications/" in response.content.decode()


def test_unknown_pages_are_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert 'class="site-header"' in response.content.decode()


def test_forbidden_pages_explain_themselves_in_the_site_layout(login, newcomer):
    response = login(newcomer).get("/mentors/applications/")
    assert response.status_code == 403
    assert "Доступ запрещён" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def test_an_expired_form_gets_a_friendly_csrf_page(newcomer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(newcomer)
    response = client.post("/mentors/apply/", {"motivation": "x"})
    assert response.status_code == 403
    assert "Форма устарела" in response.content.decode()


def test_favicon_ico_points_browsers_at_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
