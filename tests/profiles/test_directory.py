"""The member directory at /people/: filters, name search, fragments and query counts."""

from __future__ import annotations

import pytest

from profiles.models import User
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [member.full_name for member in response.context["page"].object_list]


def test_directory_needs_a_login(client):
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_directory_lists_active_members(login, mentor, mentor2, newcomer):
    response = login(newcomer).get("/people/")
    assert response.status_code == 200
    assert set(names(response)) == {"Алия Хасанова", "Рустем Гарипов", "Тимур Сабиров"}


def test_people_who_left_service_are_not_listed(login, mentor, newcomer):
    mentor.service_end = mentor.service_start.replace(year=2025)
    mentor.save()
    assert "Алия Хасанова" not in names(login(newcomer).get("/people/"))


def test_filter_by_role(login, mentor, mentor2, newcomer):
    response = login(newcomer).get("/people/", {"role": "mentor"})
    assert set(names(response)) == {"Алия Хасанова", "Рустем Гарипов"}


def test_filter_by_administration_includes_its_divisions(
    login, mentor, mentor2, newcomer, administration
):
    response = login(newcomer).get("/people/", {"department": administration.pk})
    assert set(names(response)) == {"Алия Хасанова", "Тимур Сабиров"}


def test_filter_by_expertise(login, mentor, mentor2, newcomer):
    response = login(newcomer).get("/people/", {"expertise": "budget"})
    assert names(response) == ["Рустем Гарипов"]


@pytest.mark.parametrize("query", ["алия", "АЛИЯ", "хасанова алия", "Хасан"])
def test_name_search_ignores_case_in_cyrillic(login, mentor, mentor2, query):
    assert names(login(mentor2).get("/people/", {"q": query})) == ["Алия Хасанова"]


def test_name_search_treats_yo_as_ye(login, mentor, division):
    make_member("fedor@example.com", "Фёдор Семёнов", User.Role.NEWCOMER, department=division)
    assert names(login(mentor).get("/people/", {"q": "федор"})) == ["Фёдор Семёнов"]
    assert names(login(mentor).get("/people/", {"q": "Семёнов"})) == ["Фёдор Семёнов"]


def test_unknown_filter_values_are_ignored_not_errors(login, mentor, newcomer):
    response = login(newcomer).get(
        "/people/", {"department": "999999", "role": "pirate", "expertise": "<script>", "page": "x"}
    )
    assert response.status_code == 200
    assert set(names(response)) == {"Алия Хасанова", "Тимур Сабиров"}


def test_a_bad_filter_is_dropped_while_the_good_ones_still_apply(login, mentor, mentor2, newcomer):
    response = login(newcomer).get("/people/", {"q": "алия", "department": "abc"})
    assert names(response) == ["Алия Хасанова"]


def test_htmx_history_restore_gets_the_whole_page(login, mentor, newcomer):
    response = login(newcomer).get(
        "/people/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert 'class="site-header"' in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_htmx_request_gets_only_the_results_fragment(login, mentor, newcomer):
    response = login(newcomer).get("/people/", {"q": "алия"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Алия Хасанова" in html
    assert "<html" not in html
    assert 'class="site-header"' not in html


def test_directory_uses_a_fixed_number_of_queries(
    login, newcomer, division, expertise, django_assert_num_queries
):
    client = login(newcomer)
    for n in range(3):
        member = make_member(
            f"m{n}@example.com", f"Наставник {n}", User.Role.MENTOR, department=division
        )
        member.expertise.add(*expertise.values())
    client.get("/people/")  # warm the session and any caches
    with django_assert_num_queries(8) as few:
        client.get("/people/")
    for n in range(3, 20):
        member = make_member(
            f"m{n}@example.com", f"Наставник {n}", User.Role.MENTOR, department=division
        )
        member.expertise.add(*expertise.values())
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/people/")
    assert len(names(response)) == 21


def test_directory_paginates(login, newcomer, division):
    for n in range(30):
        make_member(
            f"p{n}@example.com", f"Участник {n:02d}", User.Role.NEWCOMER, department=division
        )
    client = login(newcomer)
    first = client.get("/people/")
    second = client.get("/people/", {"page": 2})
    assert len(names(first)) == 24
    assert len(names(second)) == 7
    assert not set(names(first)) & set(names(second))
