"""Accounts through allauth: signup, verification, login, password reset and change, logout."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings

from community.mailer.models import OutgoingEmail
from profiles.models import User
from tests.conftest import PASSWORD
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"


def signup(client, division=None, **overrides):
    data = {
        "full_name": "Лилия Гарифуллина",
        "email": "lilia@example.com",
        "position": "Специалист",
        "department": division.pk if division else "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(SIGNUP, data)


def test_signup_creates_a_newcomer_with_profile_fields(client, division):
    response = signup(client, division)
    assert response.status_code == 302
    user = User.objects.get(email="lilia@example.com")
    assert user.full_name == "Лилия Гарифуллина"
    assert user.position == "Специалист"
    assert user.department == division
    assert user.role == User.Role.NEWCOMER
    assert user.slug == "liliia-garifullina"
    assert user.search_name == "лилия гарифуллина"


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_mandatory_verification_keeps_the_new_member_out_until_they_confirm(client, division):
    response = signup(client, division)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert mail.outbox == []  # the page never waited for the mail server
    run_tasks()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    assert (
        client.post(LOGIN, {"login": "lilia@example.com", "password": PASSWORD}).status_code == 302
    )
    assert "_auth_user_id" not in client.session

    client.post(link.group(1))
    assert EmailAddress.objects.get(email="lilia@example.com").verified
    assert client.session["_auth_user_id"] == str(User.objects.get(email="lilia@example.com").pk)


def test_signup_refuses_an_email_that_is_taken_without_creating_anything(client, mentor):
    response = signup(client, email=mentor.email.upper())
    # allauth prevents enumeration: the form looks accepted, but no second account exists.
    assert User.objects.filter(email__iexact=mentor.email).count() == 1
    assert response.status_code in {200, 302}


def test_signup_requires_a_full_name(client):
    response = signup(client, full_name="")
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    assert not User.objects.filter(email="lilia@example.com").exists()


def test_signup_errors_are_shown_in_russian_by_default(client):
    response = signup(client, full_name="")
    assert "Обязательное поле." in response.content.decode()


def test_signup_errors_are_shown_in_english_when_chosen(client):
    client.cookies["django_language"] = "en"
    response = signup(client, full_name="")
    assert "This field is required." in response.content.decode()


def test_member_logs_in_by_email_and_out_again(client, mentor):
    response = client.post(LOGIN, {"login": "ALIYA@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(mentor.pk)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused_with_a_form_error(client, mentor):
    response = client.post(LOGIN, {"login": mentor.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_failed_logins_are_rate_limited_with_429(client, mentor):
    statuses = [
        client.post(LOGIN, {"login": mentor.email, "password": f"wrong-{n}"}).status_code
        for n in range(7)
    ]
    assert statuses[:5] == [200] * 5
    assert 429 in statuses[5:]
    # Even the right password is refused while the limit holds.
    response = client.post(LOGIN, {"login": mentor.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_rotating_x_forwarded_for_does_not_escape_the_per_address_limit(client, mentor):
    # A different account each time, so only the per-IP limit (10 a minute) can trip.
    statuses = [
        client.post(
            LOGIN,
            {"login": f"guess{n}@example.com", "password": "bad"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        ).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]


def test_password_reset_mails_a_working_link(client, mentor):
    response = client.post("/accounts/password/reset/", {"email": mentor.email})
    assert response.status_code == 302
    run_tasks()
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert path, mail.outbox[0].body
    form_page = client.get(path.group(1), follow=True)
    assert form_page.status_code == 200
    # allauth moves the key from the URL into the session, then redirects to a form.
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path.group(1)
    new_password = "a-brand-new-secret-42"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.check_password("a-brand-new-secret-42")


def test_password_reset_for_an_unknown_email_looks_the_same(client, mentor):
    known = client.post("/accounts/password/reset/", {"email": mentor.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_member_changes_their_password(login, mentor):
    client = login(mentor)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another-long-secret-7",
            "password2": "another-long-secret-7",
        },
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.check_password("another-long-secret-7")


def test_account_pages_use_the_site_layout(client):
    page = client.get(LOGIN).content.decode()
    assert 'class="site-header"' in page
    assert 'name="language"' in page
    assert '<html lang="ru">' in page


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_verification_email_names_nastavnik_not_example_com(client):
    signup(client)
    run_tasks()
    message = mail.outbox[0]
    assert "example.com" not in message.body.replace("lilia@example.com", "")
    assert "Наставник" in message.body


def test_createsuperuser_makes_a_full_member_who_can_use_the_site(client, mentor):
    from django.core.management import call_command

    call_command(
        "createsuperuser",
        interactive=False,
        email="Root@Example.com",
        full_name="Главный  Администратор",
    )
    root = User.objects.get(email="root@example.com")
    assert (root.slug, root.search_name) == ("glavnyi-administrator", "главный администратор")
    assert root.is_coordinator and root.is_superuser
    client.force_login(mentor)
    assert client.get("/people/").status_code == 200
    assert client.get(f"/people/{root.pk}/").status_code == 301


def test_a_newline_in_a_name_never_reaches_an_email_header(
    client, division, expertise, coordinator
):
    signup(client, division, full_name="Тимур\nBcc: spy@example.com")
    user = User.objects.get(email="lilia@example.com")
    assert user.full_name == "Тимур Bcc: spy@example.com"
    client.force_login(user)
    response = client.post(
        "/mentors/apply/", {"motivation": "хочу", "expertise": [expertise["docs"].pk]}
    )
    assert response.status_code == 302
    run_tasks()
    assert "\n" not in mail.outbox[-1].subject
    assert mail.outbox[-1].to == [coordinator.email]


def test_a_failing_mail_server_does_not_undo_or_break_a_saved_application(
    client, newcomer, expertise, coordinator
):
    from unittest import mock

    client.force_login(newcomer)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=OSError("smtp down"),
    ):
        response = client.post(
            "/mentors/apply/", {"motivation": "хочу", "expertise": [expertise["docs"].pk]}
        )
        run_tasks()
    assert response.status_code == 302
    assert newcomer.mentor_applications.count() == 1
    [waiting] = OutgoingEmail.objects.all()
    assert waiting.to == coordinator.email and "smtp down" in waiting.last_error
