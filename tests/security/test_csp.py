"""The Content Security Policy: on every page, with a fresh nonce, and nothing inline."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

PAGES = [
    "/",
    "/forum/",
    "/chat/channels/",
    "/kb/",
    "/mentoring/",
    "/search/?q=записка",
    "/people/",
    "/notifications/",
    "/accounts/profile/",
    "/dashboard/",
]
PUBLIC_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def _check(response) -> None:
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    nonce = next(v for v in policy["script-src"] if v.startswith("'nonce-"))[7:-1]
    page = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts, "every page loads its scripts"
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag
    # Nothing inline that the policy would have to allow: no handlers, no style attributes.
    assert not re.search(r"\son[a-z]+\s*=", page)
    assert not re.search(r"<[^>]+\sstyle=", page)


@pytest.mark.parametrize("path", PAGES)
def test_member_pages_carry_the_policy_and_a_nonce(login, coordinator, path):
    _check(login(coordinator).get(path))


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_carry_the_policy_too(client, db, path):
    _check(client.get(path))


def test_each_response_gets_its_own_nonce(login, mentor):
    client = login(mentor)
    first, second = (_policy(client.get(reverse("forum:index")))["script-src"] for _ in range(2))
    assert first != second


def test_a_downloaded_file_keeps_its_own_stricter_policy(login, mentor, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = login(mentor)
    answer = client.post(
        reverse("attachments:upload"), {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")}
    ).json()
    response = client.get(answer["url"])
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"
