"""The notification pages: the list, opening one, reading all, settings, the header badge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.notifications import selectors, services
from community.notifications.models import Notification

pytestmark = pytest.mark.django_db


def notify(kind, recipient, actor, n=1, **fields):
    for i in range(n):
        services.notification_create(
            recipient=recipient,
            kind=kind,
            actor=actor,
            text=fields.get("text", f"ответ номер {i}"),
            url=fields.get("url", f"/forum/t/{i}/"),
        )
    return Notification.objects.filter(recipient=recipient).first()


def test_the_list_shows_only_the_members_own_notifications(kind, login, mentor, mentor2, newcomer):
    notify(kind, mentor, newcomer, text="для Алии")
    notify(kind, mentor2, newcomer, text="для Рустема")
    page = login(mentor).get("/notifications/").content.decode()
    assert "для Алии" in page
    assert "Тимур Сабиров" in page
    assert "для Рустема" not in page


def test_unread_notifications_are_marked_and_can_be_filtered(kind, login, mentor, newcomer):
    read = notify(kind, mentor, newcomer, text="уже прочитано")
    services.notifications_mark_read(user=mentor, ids=[read.pk])
    notify(kind, mentor, newcomer, text="новое")
    client = login(mentor)
    page = client.get("/notifications/").content.decode()
    assert page.count("notification-unread") == 1
    assert "<time datetime=" in page
    unread = client.get("/notifications/?filter=unread").content.decode()
    assert "новое" in unread and "уже прочитано" not in unread


def test_the_list_is_paginated_by_thirty(kind, login, mentor, newcomer):
    notify(kind, mentor, newcomer, n=31)
    response = login(mentor).get("/notifications/")
    assert len(response.context["page"].object_list) == 30
    assert 'rel="next"' in response.content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(kind, login, mentor, newcomer):
    notification = notify(kind, mentor, newcomer, url="/forum/t/7/#post-3")
    response = login(mentor).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/forum/t/7/#post-3"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_another_members_notification_is_404(kind, login, mentor, stranger, newcomer):
    notification = notify(kind, mentor, newcomer)
    response = login(stranger).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_bad_link_that_slipped_into_the_table_never_redirects_off_site(
    kind, login, mentor, newcomer
):
    notification = notify(kind, mentor, newcomer)
    Notification.objects.filter(pk=notification.pk).update(url="/\\evil.example/")
    response = login(mentor).get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_read_all_marks_everything_read_and_goes_back(kind, login, mentor, newcomer, mentor2):
    notify(kind, mentor, newcomer, n=3)
    notify(kind, mentor2, newcomer)
    response = login(mentor).post(
        reverse("notifications:read-all"), {"next": "/notifications/?page=1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    assert selectors.unread_count(mentor) == 0
    assert selectors.unread_count(mentor2) == 1


def test_read_all_never_redirects_to_another_site(kind, login, mentor):
    response = login(mentor).post(
        reverse("notifications:read-all"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:list")


def test_read_all_needs_a_post(login, mentor):
    assert login(mentor).get(reverse("notifications:read-all")).status_code == 405


def test_the_badge_alone_shows_the_live_unread_count(kind, login, mentor, newcomer):
    notify(kind, mentor, newcomer, n=2)
    body = login(mentor).get(reverse("notifications:badge")).content.decode()
    assert 'id="notification-badge"' in body and "<html" not in body
    assert '<span class="notification-count" aria-hidden="true">2</span>' in body


def test_settings_save_the_email_choice(login, mentor):
    client = login(mentor)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'type="radio"' in page and 'value="immediately" ' in page
    response = client.post(reverse("notifications:settings"), {"email_mode": "daily"})
    assert response.status_code == 302
    assert selectors.preference_for(mentor).email_mode == "daily"


def test_settings_refuse_an_unknown_choice(login, mentor):
    response = login(mentor).post(reverse("notifications:settings"), {"email_mode": "hourly"})
    assert response.status_code == 400
    assert "email_mode" in response.context["form"].errors
    assert selectors.preference_for(mentor).pk is None


def test_settings_list_the_registered_kinds(kind, login, mentor):
    assert "Test reply" in login(mentor).get(reverse("notifications:settings")).content.decode()


@pytest.mark.parametrize(
    "url", ["/notifications/", "/notifications/1/", "/notifications/settings/"]
)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_read_all_is_sent_to_log_in(client):
    response = client.post(reverse("notifications:read-all"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_header_badge_shows_the_unread_count(kind, login, mentor, newcomer):
    notify(kind, mentor, newcomer, n=3)
    page = login(mentor).get("/").content.decode()
    assert 'id="notification-badge"' in page
    assert '<span class="notification-count" aria-hidden="true">3</span>' in page


def test_the_badge_has_no_count_when_all_is_read(login, mentor):
    page = login(mentor).get("/").content.decode()
    assert 'id="notification-badge"' in page
    assert "notification-count" not in page


def test_anonymous_pages_have_no_badge_and_make_no_count_query(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10) as queries:
        page = client.get("/").content.decode()
    assert "notification-badge" not in page
    assert not [q for q in queries.captured_queries if "notifications_" in q["sql"]]


def test_notification_text_is_escaped(kind, login, mentor, newcomer):
    notify(kind, mentor, newcomer, text='<script>alert("x")</script><b>жирный</b>')
    page = login(mentor).get("/notifications/").content.decode()
    assert "<script>alert" not in page and "<b>жирный" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_notifications(
    kind, login, mentor, newcomer, stranger, count, django_assert_num_queries
):
    for i in range(count):
        services.notification_create(
            recipient=mentor,
            kind=kind,
            text=f"#{i}",
            url="/",
            actor=newcomer if i % 2 else stranger,
        )
    client = login(mentor)
    # session, user, unread count for the badge, paginator count, the page with actors
    with django_assert_num_queries(5):
        response = client.get("/notifications/")
    assert response.status_code == 200
