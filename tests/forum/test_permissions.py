"""Who may read, start, reply and moderate: 404 for what a member may not see, 403 for the rest."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, reverse

from forum import moderation, services, urls
from forum.models import Thread
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


def test_newcomer_cannot_open_the_mentor_lounge(login, newcomer, mentor, lounge_thread):
    assert login(newcomer).get(lounge_thread.category.get_absolute_url()).status_code == 404
    assert login(mentor).get(lounge_thread.category.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "address",
    [
        "/forum/t/{thread}/{slug}/",
        "/forum/t/{thread}/",
        "/forum/p/{post}/",
        "/forum/p/{post}/fragment/",
        "/forum/p/{post}/revisions/",
        "/forum/p/{post}/reply/",
        "/forum/p/{post}/edit/",
        "/forum/p/{post}/flag/",
    ],
)
def test_newcomer_gets_404_for_every_page_of_a_mentor_thread(
    login, newcomer, mentor, lounge_thread, address
):
    post = reply(mentor, lounge_thread, body="Ответ в закрытом разделе")
    services.post_edit(editor=mentor, post=post, body="Исправленный ответ")
    path = address.format(thread=lounge_thread.pk, slug=lounge_thread.slug, post=post.pk)
    assert login(newcomer).get(path).status_code == 404
    assert login(mentor).get(path).status_code in {200, 301, 302}


@pytest.mark.parametrize(
    "address",
    [
        "/forum/react/",
        "/forum/p/{post}/accept/",
        "/forum/p/{post}/delete/",
        "/forum/t/{thread}/subscription/",
        "/forum/t/{thread}/unaccept/",
    ],
)
def test_newcomer_cannot_act_on_a_mentor_thread(login, newcomer, lounge_thread, address):
    post = lounge_thread.posts.get(number=1)
    path = address.format(thread=lounge_thread.pk, post=post.pk)
    data = {"reaction": f"{post.pk}:like", "level": "watching"}
    assert login(newcomer).post(path, data).status_code == 404
    post.refresh_from_db()
    assert not post.reactions.exists()
    assert not post.is_deleted


def test_newcomer_does_not_see_mentor_threads_in_any_list(login, newcomer, question, lounge_thread):
    client = login(newcomer)
    for order in ["latest", "newest", "top", "unanswered"]:
        response = client.get("/forum/", {"order": order})
        assert lounge_thread not in response.context["page"].object_list
        assert lounge_thread.title not in response.content.decode()
    listed = client.get("/forum/").context["page"].object_list
    assert list(listed) == [question]
    assert lounge_thread.category not in client.get("/forum/").context["categories"]


def test_mentor_sees_both_places(login, mentor, question, lounge_thread):
    listed = login(mentor).get("/forum/").context["page"].object_list
    assert set(listed) == {question, lounge_thread}


def test_similar_questions_leave_out_mentor_only_threads(
    login, newcomer, mentor, mentor2, mentor_lounge, newcomers_corner
):
    def solved(category, title):
        thread = services.thread_create(
            author=mentor, category=category, kind="question", title=title, body="Вопрос"
        )
        services.answer_accept(actor=mentor, post=reply(mentor2, thread))
        return thread

    lounge = solved(mentor_lounge, "Служебная записка для наставника")
    public = solved(newcomers_corner, "Служебная записка о командировке")
    found = login(newcomer).get("/forum/similar/", {"title": "служебная записка"})
    assert list(found.context["threads"]) == [public]
    assert lounge.title not in found.content.decode()
    found_by_mentor = login(mentor).get("/forum/similar/", {"title": "служебная записка"})
    assert set(found_by_mentor.context["threads"]) == {public, lounge}


def test_newcomer_is_not_offered_a_new_thread_in_announcements(
    login, newcomer, coordinator, announcements
):
    new_thread = f'href="/forum/new/?category={announcements.slug}"'
    assert new_thread not in login(newcomer).get(announcements.get_absolute_url()).content.decode()
    assert new_thread in login(coordinator).get(announcements.get_absolute_url()).content.decode()


def test_replying_to_a_locked_thread_is_403_but_moderators_still_can(
    login, question, answer, mentor, coordinator
):
    moderation.thread_set_flags(moderator=coordinator, thread=question, locked=True)
    client = login(mentor)
    assert client.get(f"/forum/p/{answer.pk}/reply/").status_code == 403
    assert client.post(f"/forum/p/{answer.pk}/reply/", {"body": "Поздно"}).status_code == 403
    assert question.posts.count() == 2
    response = login(coordinator).post(f"/forum/p/{answer.pk}/reply/", {"body": "Итог"})
    assert response.status_code == 302
    assert question.posts.count() == 3


def test_a_locked_thread_offers_no_composer(login, question, mentor, coordinator):
    moderation.thread_set_flags(moderator=coordinator, thread=question, locked=True)
    opening = question.posts.get(number=1)
    composer = f'action="/forum/p/{opening.pk}/reply/"'
    response = login(mentor).get(question.get_absolute_url())
    assert response.context["can_reply"] is False
    assert composer not in response.content.decode()
    assert composer in login(coordinator).get(question.get_absolute_url()).content.decode()


def test_a_hidden_thread_is_404_for_members_and_open_to_moderators(
    login, question, newcomer, mentor, coordinator
):
    moderation.thread_set_flags(moderator=coordinator, thread=question, hidden=True)
    for member in [newcomer, mentor]:
        client = login(member)
        assert client.get(question.get_absolute_url()).status_code == 404
        assert question not in client.get("/forum/").context["page"].object_list
    assert login(coordinator).get(question.get_absolute_url()).status_code == 200


def test_the_stranger_may_read_and_reply_to_public_threads(login, question, stranger):
    client = login(stranger)
    assert client.get(question.get_absolute_url()).status_code == 200
    opening = question.posts.get(number=1)
    assert (
        client.post(f"/forum/p/{opening.pk}/reply/", {"body": "И мне интересно"}).status_code == 302
    )


def test_an_inactive_member_may_not_start_or_reply(question, newcomer, newcomers_corner):
    newcomer.is_active = False
    newcomer.save()
    with pytest.raises(PermissionDenied):
        reply(newcomer, question)
    with pytest.raises(PermissionDenied):
        services.thread_create(
            author=newcomer, category=newcomers_corner, kind="question", title="Тема", body="Текст"
        )


def forum_addresses(thread: Thread) -> list[str]:
    """Every route of the forum, filled in with real objects."""
    post = thread.posts.get(number=1)
    addresses = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {}
        route = str(pattern.pattern)
        if "<int:pk>" in route:
            kwargs["pk"] = thread.pk if route.startswith("t/") else post.pk
        if "<slug:slug>" in route:
            kwargs["slug"] = thread.category.slug
        if "<str:slug>" in route:
            kwargs["slug"] = thread.slug
        addresses.append(reverse(f"forum:{pattern.name}", kwargs=kwargs))
    return addresses


def test_anonymous_visitors_are_sent_to_log_in_from_every_forum_page(client, question):
    addresses = forum_addresses(question)
    assert len(addresses) == len(urls.urlpatterns)
    for address in addresses:
        for method in (client.get, client.post):
            response = method(address)
            assert response.status_code == 302, address
            assert response["Location"].startswith(reverse("account_login") + "?next="), address


def test_profile_pages_list_only_threads_the_viewer_may_read(
    login, mentor, newcomer, mentor2, question, answer, lounge_thread
):
    services.answer_accept(actor=newcomer, post=answer)
    own_profile = mentor.get_absolute_url()
    seen_by_newcomer = login(newcomer).get(own_profile).content.decode()
    seen_by_mentor = login(mentor2).get(own_profile).content.decode()
    assert f'href="{lounge_thread.get_absolute_url()}"' not in seen_by_newcomer
    assert f'href="{lounge_thread.get_absolute_url()}"' in seen_by_mentor
    assert f'href="{question.get_absolute_url()}"' in seen_by_newcomer
