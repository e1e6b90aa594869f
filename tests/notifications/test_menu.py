"""The bell's dropdown: the latest ten notifications as a fragment, and its place in the header."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from community.notifications import services

pytestmark = pytest.mark.django_db

RECENT = "/notifications/recent/"


def notify(kind, recipient, actor, n=1, text="ответ номер {i}"):
    for i in range(n):
        services.notification_create(
            recipient=recipient, kind=kind, actor=actor, text=text.format(i=i), url=f"/t/{i}/"
        )


def texts(body: str) -> list[str]:
    return re.findall(r'<span class="notification-text">([^<]*)</span>', body)


def test_the_dropdown_shows_the_members_own_ten_latest_newest_first(
    kind, login, mentor, mentor2, newcomer
):
    notify(kind, mentor, newcomer, n=12)
    notify(kind, mentor2, newcomer, text="для Рустема")
    body = login(mentor).get(RECENT, headers={"HX-Request": "true"}).content.decode()
    assert texts(body) == [f"ответ номер {i}" for i in range(11, 1, -1)]
    assert "для Рустема" not in body
    assert "<html" not in body


def test_another_members_notifications_never_show(kind, login, mentor, stranger, newcomer):
    notify(kind, mentor, newcomer, text="личное для Алии")
    body = login(stranger).get(RECENT).content.decode()
    assert texts(body) == []
    assert "личное для Алии" not in body
    assert "Уведомлений пока нет" in body


def test_the_dropdown_marks_unread_ones_and_links_to_the_full_page(kind, login, mentor, newcomer):
    notify(kind, mentor, newcomer, n=2)
    first = mentor.notifications.order_by("pk").first()
    services.notifications_mark_read(user=mentor, ids=[first.pk])
    body = login(mentor).get(RECENT).content.decode()
    assert body.count("notification-unread") == 1
    assert f'href="{reverse("notifications:open", args=[first.pk])}"' in body
    assert '<a href="/notifications/">Все уведомления</a>' in body


def test_mark_all_as_read_brings_the_member_back_to_the_page_they_were_on(
    kind, login, mentor, newcomer
):
    notify(kind, mentor, newcomer)
    client = login(mentor)
    here = {"HX-Request": "true", "HX-Current-URL": "http://testserver/forum/?page=2"}
    body = client.get(RECENT, headers=here).content.decode()
    assert '<input type="hidden" name="next" value="/forum/?page=2">' in body
    # A page of another site is no place to come back to.
    elsewhere = {"HX-Request": "true", "HX-Current-URL": "https://evil.example/"}
    body = client.get(RECENT, headers=elsewhere).content.decode()
    assert '<input type="hidden" name="next" value="/notifications/">' in body


def test_there_is_nothing_to_mark_read_when_all_is_read(login, mentor):
    body = login(mentor).get(RECENT).content.decode()
    assert reverse("notifications:read-all") not in body


@pytest.mark.parametrize("count", [3, 30])
def test_the_dropdown_costs_the_same_queries_for_3_or_30_notifications(
    kind, login, mentor, newcomer, count, django_assert_num_queries
):
    notify(kind, mentor, newcomer, n=count)
    client = login(mentor)
    # session, member, the unread count (for "Mark all as read"), the ten with actors
    with django_assert_num_queries(4):
        response = client.get(RECENT)
    assert len(texts(response.content.decode())) == min(count, 10)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(RECENT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_header_bell_is_a_link_to_the_page_with_a_dropdown_to_load(login, mentor):
    page = login(mentor).get("/").content.decode()
    menu = re.search(r'<div class="notification-menu" data-recent-url="([^"]+)">', page)
    assert menu and menu.group(1) == RECENT
    # Without JavaScript the bell is a plain link to the notifications page.
    assert re.search(r'<a id="notification-badge"[^>]* href="/notifications/"', page)
    assert 'id="notification-panel"' in page and "hidden>" in page
