from __future__ import annotations

import pytest

from profiles.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/profiles/user/",
        "/admin/profiles/department/",
        "/admin/profiles/expertisetag/",
        "/admin/profiles/mentorapplication/",
    ],
)
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
    response = login(coordinator).post(
        "/admin/profiles/department/add/",
        {
            "name": "Управление культуры",
            "short_name": "Культура",
            "kind": "administration",
            "parent": city_hall.pk,
        },
    )
    assert response.status_code == 302
    assert city_hall.children.filter(name="Управление культуры").exists()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(
        "root@example.com", "s3cret-pass-word", full_name="Суперпользователь"
    )


def test_coordinator_cannot_take_over_a_superuser(login, coordinator, superuser):
    client = login(coordinator)
    base = f"/admin/profiles/user/{superuser.pk}"
    assert (
        client.post(
            f"{base}/password/", {"password1": "taken-over-1", "password2": "taken-over-1"}
        ).status_code
        == 403
    )
    client.post(f"{base}/change/", {"email": "mine@example.com", "full_name": "x"})
    client.post(f"{base}/delete/", {"post": "yes"})
    superuser.refresh_from_db()
    assert superuser.check_password("s3cret-pass-word")
    assert superuser.email == "root@example.com"


def test_emails_differing_only_in_case_are_one_account(login, coordinator, mentor):
    response = login(coordinator).post(
        "/admin/profiles/user/add/",
        {
            "email": "ALIYA@example.com",
            "full_name": "Двойник",
            "role": "newcomer",
            "password1": "Kj3-long-password",
            "password2": "Kj3-long-password",
        },
    )
    assert response.status_code == 200
    assert User.objects.filter(email__iexact="aliya@example.com").count() == 1


def test_admin_login_sends_everyone_to_the_rate_limited_login(client):
    response = client.get("/admin/login/?next=/admin/profiles/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/profiles/user/")


def test_a_coordinator_cannot_set_another_coordinators_password_or_email(
    login, coordinator, division
):
    from tests.conftest import PASSWORD, make_member

    peer = make_member("peer@example.com", "Вторая Координатор", User.Role.COORDINATOR)
    client = login(coordinator)
    base = f"/admin/profiles/user/{peer.pk}"
    response = client.post(
        f"{base}/password/",
        {"password1": "taken-over-1", "password2": "taken-over-1", "set_usable_password": "true"},
    )
    assert response.status_code == 403
    peer.refresh_from_db()
    assert peer.check_password(PASSWORD)
    page = client.get(f"{base}/change/").content.decode()
    assert 'name="email"' not in page  # shown, not editable
    # Their own password, and a mentor's, stay theirs to set.
    assert client.get(f"/admin/profiles/user/{coordinator.pk}/password/").status_code == 200


def test_the_administrator_may_set_a_coordinators_password(login, coordinator, superuser):
    response = login(superuser).post(
        f"/admin/profiles/user/{coordinator.pk}/password/",
        {
            "password1": "Reset-by-admin-9",
            "password2": "Reset-by-admin-9",
            "set_usable_password": "true",
        },
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("Reset-by-admin-9")
