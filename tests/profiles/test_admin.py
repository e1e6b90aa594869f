from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/", "/admin/profiles/user/", "/admin/profiles/department/",
                                  "/admin/profiles/expertisetag/",
                                  "/admin/profiles/mentorapplication/"])
def test_coordinators_use_the_admin(login, coordinator, path):
    assert login(coordinator).get(path).status_code == 200


@pytest.mark.parametrize("who", ["mentor", "newcomer"])
def test_other_members_are_kept_out_of_the_admin(login, request, who):
    response = login(request.getfixturevalue(who)).get("/admin/profiles/user/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_coordinator_cannot_grant_superuser_rights(login, coordinator, newcomer):
    client = login(coordinator)
    page = client.get(f"/admin/profiles/user/{newcomer.pk}/change/")
    assert "is_superuser" not in page.context["adminform"].form.fields


def test_coordinator_adds_a_department_through_the_admin(login, coordinator, city_hall):
    response = login(coordinator).post("/admin/profiles/department/add/", {
        "name": "Управление культуры", "short_name": "Культура", "kind": "administration",
        "parent": city_hall.pk,
    })
    assert response.status_code == 302
    assert city_hall.children.filter(name="Управление культуры").exists()
