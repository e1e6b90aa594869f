"""Moderators pin, lock, hide and move; members flag; everything lands in the log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from forum import moderation, services
from forum.models import Flag, ModerationAction, Post
from profiles.models import User
from tests.conftest import make_member
from tests.forum.conftest import post_article, reply

pytestmark = pytest.mark.django_db

Action = ModerationAction.Action


def logged(**filters) -> list[str]:
    return list(
        ModerationAction.objects.filter(**filters).order_by("pk").values_list("action", flat=True)
    )


@pytest.fixture
def flaggers(division) -> list[User]:
    """As many members as it takes to hide a post."""
    return [
        make_member(
            f"reader{n}@example.com", f"Читатель {n}", User.Role.NEWCOMER, department=division
        )
        for n in range(moderation.AUTO_HIDE_FLAGS)
    ]


# --- Threads -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "off", "field", "logged_on", "logged_off"),
    [
        ("pin", "unpin", "is_pinned", Action.PIN, Action.UNPIN),
        ("lock", "unlock", "is_locked", Action.LOCK, Action.UNLOCK),
        ("hide", "restore", "is_hidden", Action.HIDE_THREAD, Action.RESTORE_THREAD),
    ],
)
def test_moderator_switches_a_thread_flag_on_and_off_and_each_is_logged(
    login, question, coordinator, on, off, field, logged_on, logged_off
):
    client = login(coordinator)
    response = client.post(f"/forum/t/{question.pk}/moderate/", {"action": on})
    question.refresh_from_db()
    assert response["Location"] == question.get_absolute_url()
    assert getattr(question, field) is True
    client.post(f"/forum/t/{question.pk}/moderate/", {"action": off})
    question.refresh_from_db()
    assert getattr(question, field) is False
    assert logged(thread=question, actor=coordinator) == [logged_on, logged_off]


def test_setting_a_flag_that_is_already_set_logs_nothing(question, coordinator):
    moderation.thread_set_flags(moderator=coordinator, thread=question, pinned=True)
    moderation.thread_set_flags(moderator=coordinator, thread=question, pinned=True)
    assert logged() == [Action.PIN]


def test_a_pinned_thread_leads_its_category(
    login, question, mentor, newcomer, newcomers_corner, coordinator
):
    later = services.thread_create(
        author=mentor,
        category=newcomers_corner,
        kind="discussion",
        title="Свежая тема",
        body="Текст",
    )
    listed = login(newcomer).get(newcomers_corner.get_absolute_url()).context["page"]
    assert list(listed.object_list) == [later, question]
    moderation.thread_set_flags(moderator=coordinator, thread=question, pinned=True)
    listed = login(newcomer).get(newcomers_corner.get_absolute_url()).context["page"]
    assert list(listed.object_list) == [question, later]


def test_moving_a_thread_moves_its_counts(
    login, discussion, coordinator, newcomers_corner, mentor_lounge
):
    posts = discussion.posts.count()
    response = login(coordinator).post(
        f"/forum/t/{discussion.pk}/moderate/", {"action": "move", "category": mentor_lounge.pk}
    )
    discussion.refresh_from_db()
    newcomers_corner.refresh_from_db()
    mentor_lounge.refresh_from_db()
    assert response.status_code == 302
    assert discussion.category == mentor_lounge
    assert (newcomers_corner.thread_count, newcomers_corner.post_count) == (0, 0)
    assert (mentor_lounge.thread_count, mentor_lounge.post_count) == (1, posts)
    action = ModerationAction.objects.get()
    assert (action.action, action.thread) == (Action.MOVE, discussion)
    assert newcomers_corner.name in action.detail and mentor_lounge.name in action.detail


def test_moving_to_an_unknown_category_is_404(login, question, coordinator):
    response = login(coordinator).post(
        f"/forum/t/{question.pk}/moderate/", {"action": "move", "category": 987654}
    )
    assert response.status_code == 404
    assert not ModerationAction.objects.exists()


def test_an_unknown_action_is_404(login, question, answer, coordinator):
    client = login(coordinator)
    assert client.post(f"/forum/t/{question.pk}/moderate/", {"action": "nuke"}).status_code == 404
    assert client.post(f"/forum/p/{answer.pk}/moderate/", {"action": "nuke"}).status_code == 404
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("who", ["newcomer", "mentor"])
def test_members_who_do_not_moderate_get_403(login, request, question, answer, mentor_lounge, who):
    client = login(request.getfixturevalue(who))
    for action in ["pin", "lock", "hide"]:
        assert (
            client.post(f"/forum/t/{question.pk}/moderate/", {"action": action}).status_code == 403
        )
    assert (
        client.post(
            f"/forum/t/{question.pk}/moderate/",
            {"action": "move", "category": question.category.pk},
        ).status_code
        == 403
    )
    for action in ["hide", "restore", "dismiss"]:
        assert client.post(f"/forum/p/{answer.pk}/moderate/", {"action": action}).status_code == 403
    assert client.get("/forum/moderation/").status_code == 403
    assert client.get("/forum/moderation/log/").status_code == 403
    question.refresh_from_db()
    answer.refresh_from_db()
    assert not (question.is_pinned or question.is_locked or question.is_hidden)
    assert not answer.is_hidden
    assert not ModerationAction.objects.exists()


# --- Posts ---------------------------------------------------------------------------


def test_moderator_hides_and_restores_a_post(
    login, question, answer, coordinator, newcomer, mentor
):
    client = login(coordinator)
    client.post(f"/forum/p/{answer.pk}/moderate/", {"action": "hide"})
    answer.refresh_from_db()
    assert answer.is_hidden

    member_view = login(newcomer).get(question.get_absolute_url()).content.decode()
    assert answer.body_html not in member_view
    assert 'class="tombstone"' in post_article(member_view, answer.number)
    assert login(newcomer).get(f"/forum/p/{answer.pk}/").status_code == 404
    for insider in [mentor, coordinator]:
        page = login(insider).get(question.get_absolute_url()).content.decode()
        assert answer.body_html in post_article(page, answer.number)

    client.post(f"/forum/p/{answer.pk}/moderate/", {"action": "restore"})
    answer.refresh_from_db()
    assert not answer.is_hidden
    assert answer.body_html in login(newcomer).get(question.get_absolute_url()).content.decode()
    assert logged(post=answer) == [Action.HIDE_POST, Action.RESTORE_POST]


def test_a_hidden_opening_post_is_hidden_from_members_too(
    login, question, coordinator, newcomer, mentor
):
    opening = question.posts.get(number=1)
    moderation.post_set_hidden(moderator=coordinator, post=opening, hidden=True)
    member_view = login(mentor).get(question.get_absolute_url()).content.decode()
    assert opening.body_html not in member_view
    assert 'class="tombstone"' in post_article(member_view, 1)
    assert opening.body_html in login(newcomer).get(question.get_absolute_url()).content.decode()
    assert opening.body_html in login(coordinator).get(question.get_absolute_url()).content.decode()


def test_a_hidden_accepted_answer_leaves_the_top_of_the_page(
    login, question, answer, newcomer, coordinator, stranger
):
    services.answer_accept(actor=newcomer, post=answer)
    moderation.post_set_hidden(moderator=coordinator, post=answer, hidden=True)
    member_view = login(stranger).get(question.get_absolute_url())
    assert member_view.context["page"].accepted is None
    assert answer.body_html not in member_view.content.decode()
    moderator_view = login(coordinator).get(question.get_absolute_url())
    assert moderator_view.context["page"].accepted == answer


# --- Flags ---------------------------------------------------------------------------


def test_a_member_flags_a_post_once(login, answer, newcomer):
    client = login(newcomer)
    first = client.post(f"/forum/p/{answer.pk}/flag/", {"reason": "spam", "comment": "Реклама"})
    second = client.post(f"/forum/p/{answer.pk}/flag/", {"reason": "offensive"})
    answer.refresh_from_db()
    assert first["Location"] == answer.get_absolute_url()
    assert second.status_code == 400
    assert second.context["form"].non_field_errors()
    assert Flag.objects.get().comment == "Реклама"
    assert answer.flag_count == 1


def test_flagging_ones_own_post_or_with_no_reason_is_refused(login, answer, mentor, newcomer):
    with pytest.raises(ValidationError):
        moderation.flag_create(user=mentor, post=answer, reason="spam")
    assert (
        login(newcomer).post(f"/forum/p/{answer.pk}/flag/", {"reason": "boredom"}).status_code
        == 400
    )
    assert not Flag.objects.exists()


def test_enough_distinct_flags_hide_a_post_until_a_moderator_looks(
    login, question, answer, flaggers, mentor, coordinator, mentor2
):
    for member in flaggers[:-1]:
        moderation.flag_create(user=member, post=answer, reason="offensive")
    answer.refresh_from_db()
    assert not answer.is_hidden
    moderation.flag_create(user=flaggers[-1], post=answer, reason="spam")
    answer.refresh_from_db()
    assert answer.is_hidden
    assert answer.flag_count == moderation.AUTO_HIDE_FLAGS
    action = ModerationAction.objects.get()
    assert (action.action, action.actor, action.post) == (Action.AUTO_HIDE_POST, None, answer)

    reader_page = login(mentor2).get(question.get_absolute_url()).content.decode()
    assert answer.body_html not in reader_page
    author_page = login(mentor).get(question.get_absolute_url()).content.decode()
    assert answer.body_html in post_article(author_page, answer.number)
    assert 'class="notice small"' in post_article(author_page, answer.number)

    queue = login(coordinator).get("/forum/moderation/")
    assert list(queue.context["posts"]) == [answer]
    assert queue.context["posts"][0].open_flags == moderation.AUTO_HIDE_FLAGS


def test_restoring_from_the_queue_clears_the_flags(login, answer, flaggers, coordinator):
    for member in flaggers:
        moderation.flag_create(user=member, post=answer, reason="spam")
    response = login(coordinator).post(
        f"/forum/p/{answer.pk}/moderate/", {"action": "restore", "next": "queue"}
    )
    answer.refresh_from_db()
    assert response["Location"] == "/forum/moderation/"
    assert not answer.is_hidden
    assert answer.flag_count == 0
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert list(login(coordinator).get("/forum/moderation/").context["posts"]) == []


def test_dismissing_flags_empties_the_queue_and_is_logged(login, answer, newcomer, coordinator):
    moderation.flag_create(user=newcomer, post=answer, reason="off_topic")
    client = login(coordinator)
    assert list(client.get("/forum/moderation/").context["posts"]) == [answer]
    client.post(f"/forum/p/{answer.pk}/moderate/", {"action": "dismiss", "next": "queue"})
    answer.refresh_from_db()
    flag = Flag.objects.get()
    assert answer.flag_count == 0
    assert (flag.resolved_by, flag.resolved_at is not None) == (coordinator, True)
    assert list(client.get("/forum/moderation/").context["posts"]) == []
    assert logged(post=answer) == [Action.DISMISS_FLAGS]


def test_the_queue_puts_the_most_flagged_posts_first(
    login, question, answer, flaggers, coordinator, mentor2
):
    other = reply(mentor2, question, body="Другой ответ")
    moderation.flag_create(user=flaggers[0], post=other, reason="spam")
    for member in flaggers[:2]:
        moderation.flag_create(user=member, post=answer, reason="spam")
    posts = list(login(coordinator).get("/forum/moderation/").context["posts"])
    assert posts == [answer, other]
    assert [post.open_flags for post in posts] == [2, 1]


def test_the_moderation_log_lists_actions_with_their_places(login, question, answer, coordinator):
    moderation.thread_set_flags(moderator=coordinator, thread=question, locked=True)
    moderation.post_set_hidden(moderator=coordinator, post=answer, hidden=True)
    response = login(coordinator).get("/forum/moderation/log/")
    html = response.content.decode()
    assert [action.action for action in response.context["actions"]] == [
        Action.HIDE_POST,
        Action.LOCK,
    ]
    assert f'href="/forum/p/{answer.pk}/"' in html
    assert f'href="{question.get_absolute_url()}"' in html


def test_a_flagged_post_that_stays_under_the_limit_is_still_visible(
    login, question, answer, newcomer, mentor2
):
    moderation.flag_create(user=newcomer, post=answer, reason="spam")
    html = login(mentor2).get(question.get_absolute_url()).content.decode()
    assert answer.body_html in html
    assert Post.objects.get(pk=answer.pk).flag_count == 1


def test_a_flood_of_reports_does_not_hide_older_ones_past_the_first_page(
    login, question, flaggers, coordinator, mentor2, no_rate_limit
):
    from forum import views

    posts = [reply(mentor2, question, body=f"Ответ {n}") for n in range(views.MODERATION_PAGE + 5)]
    for post in posts:
        Flag.objects.create(post=post, user=flaggers[0], reason="spam")
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(flag_count=1)
    client = login(coordinator)
    first = client.get("/forum/moderation/")
    second = client.get("/forum/moderation/", {"page": 2})
    shown = [p.pk for p in first.context["posts"]] + [p.pk for p in second.context["posts"]]
    assert sorted(shown) == sorted(p.pk for p in posts)
    assert f"{len(posts)} " in first.content.decode()
    assert 'rel="next"' in first.content.decode()
