"""Nobody learns who has an account: signup, password reset and login answer the same for
an address that is registered and one that is not."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from profiles.models import User
from tests.conftest import PASSWORD
from tests.helpers import run_tasks

UNKNOWN = "nobody.here@example.com"


@pytest.fixture(autouse=True)
def _verification_required(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def _signup(email: str):
    return Client().post(
        "/accounts/signup/",
        {
            "email": email,
            "full_name": "Проверка Адреса",
            "password1": "x-Very-long-pass-42",
            "password2": "x-Very-long-pass-42",
        },
        follow=True,
    )


def _same_page(first, second) -> None:
    assert first.status_code == second.status_code == 200
    assert first.redirect_chain == second.redirect_chain
    assert first.templates[0].name == second.templates[0].name


def test_signup_with_a_taken_address_looks_like_any_signup(mentor):
    known, unknown = _signup(mentor.email), _signup(UNKNOWN)
    _same_page(known, unknown)
    assert User.objects.filter(email__iexact=mentor.email).count() == 1
    # The owner of the address hears about the attempt; the page says nothing.
    run_tasks()
    assert {message.to[0] for message in mail.outbox} == {mentor.email, UNKNOWN}


def test_password_reset_looks_the_same_for_any_address(mentor):
    pages = [
        Client().post("/accounts/password/reset/", {"email": email}, follow=True)
        for email in (mentor.email, UNKNOWN)
    ]
    _same_page(*pages)
    texts = [
        _without_tokens(page.content.decode()).replace(email, "@")
        for page, email in zip(pages, (mentor.email, UNKNOWN), strict=True)
    ]
    assert texts[0] == texts[1]
    run_tasks()
    assert {message.to[0] for message in mail.outbox} == {mentor.email, UNKNOWN}


def _without_tokens(page: str) -> str:
    """The page without what differs on every response: CSRF tokens and CSP nonces."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+', r"\1", page)


def test_a_wrong_password_and_an_unknown_address_get_the_same_error(mentor):
    answers = [
        Client().post("/accounts/login/", {"login": login, "password": "wrong-Pass-1"})
        for login in (mentor.email, UNKNOWN)
    ]
    errors = [response.context["form"].non_field_errors() for response in answers]
    assert answers[0].status_code == answers[1].status_code == 200
    assert errors[0] == errors[1] and errors[0]


def test_the_right_password_still_logs_in(mentor):
    client = Client()
    assert (
        client.post("/accounts/login/", {"login": mentor.email, "password": PASSWORD}).status_code
        == 302
    )
