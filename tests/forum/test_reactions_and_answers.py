"""Reactions on posts, and accepted answers on questions."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community.notifications.models import Notification
from forum import moderation, services
from forum.models import Reaction, Thread
from tests.forum.conftest import post_article, reply

pytestmark = pytest.mark.django_db


# --- Reactions -----------------------------------------------------------------------


def test_a_reaction_toggles_on_and_off(answer, newcomer):
    assert services.reaction_toggle(user=newcomer, post=answer, kind="thanks") is True
    answer.refresh_from_db()
    assert answer.reaction_counts == {"thanks": 1}
    assert services.reaction_toggle(user=newcomer, post=answer, kind="thanks") is False
    answer.refresh_from_db()
    assert answer.reaction_counts == {}
    assert not Reaction.objects.exists()


def test_counts_add_up_over_members_and_kinds(answer, newcomer, mentor2, stranger):
    for member in [newcomer, mentor2, stranger]:
        services.reaction_toggle(user=member, post=answer, kind="like")
    services.reaction_toggle(user=newcomer, post=answer, kind="thanks")
    answer.refresh_from_db()
    assert answer.reaction_counts == {"like": 3, "thanks": 1}
    assert answer.reaction_counts == {
        kind: Reaction.objects.filter(post=answer, kind=kind).count()
        for kind in Reaction.objects.values_list("kind", flat=True).distinct()
    }


def test_one_reaction_per_member_and_kind(answer, newcomer):
    services.reaction_toggle(user=newcomer, post=answer, kind="like")
    services.reaction_toggle(user=newcomer, post=answer, kind="like")
    services.reaction_toggle(user=newcomer, post=answer, kind="like")
    answer.refresh_from_db()
    assert Reaction.objects.filter(post=answer, user=newcomer).count() == 1
    assert answer.reaction_counts == {"like": 1}


def test_reacting_to_ones_own_post_is_refused(answer, mentor):
    with pytest.raises(ValidationError):
        services.reaction_toggle(user=mentor, post=answer, kind="like")
    assert not Reaction.objects.exists()


def test_an_unknown_reaction_is_refused(login, answer, newcomer):
    with pytest.raises(ValidationError):
        services.reaction_toggle(user=newcomer, post=answer, kind="love")
    response = login(newcomer).post("/forum/react/", {"reaction": f"{answer.pk}:<b>love</b>"})
    assert response.status_code == 302
    assert not Reaction.objects.exists()


def test_reactions_on_the_opening_post_score_the_thread(question, mentor, mentor2):
    opening = question.posts.get(number=1)
    services.reaction_toggle(user=mentor, post=opening, kind="like")
    services.reaction_toggle(user=mentor2, post=opening, kind="idea")
    question.refresh_from_db()
    assert question.score == 2


def test_htmx_reaction_gets_the_reactions_partial(login, answer, newcomer):
    response = login(newcomer).post(
        "/forum/react/", {"reaction": f"{answer.pk}:like"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="reactions"')
    assert "<html" not in html
    like, thanks = reaction_button(html, "like"), reaction_button(html, "thanks")
    assert 'aria-pressed="true"' in like
    assert 'aria-label="Полезно: 1"' in like and "<span>1</span>" in like
    assert 'aria-pressed="false"' in thanks


@pytest.mark.parametrize("reaction", ["", "like", ":like", "abc:like", "1" * 12 + ":like"])
def test_a_reaction_that_names_no_post_is_a_clear_400(login, newcomer, reaction):
    response = login(newcomer).post("/forum/react/", {"reaction": reaction})
    assert response.status_code == 400
    assert "реакцию" in response.content.decode()


def test_a_reaction_to_an_unknown_post_is_a_404(login, newcomer):
    assert login(newcomer).post("/forum/react/", {"reaction": "999999:like"}).status_code == 404


def reaction_button(html: str, kind: str) -> str:
    return re.search(rf'<button[^>]*value="\d+:{kind}"[^>]*>.*?</button>', html, re.S).group(0)


def test_a_plain_reaction_post_returns_to_the_post(login, answer, newcomer):
    response = login(newcomer).post("/forum/react/", {"reaction": f"{answer.pk}:agree"})
    answer.refresh_from_db()
    assert response["Location"] == answer.get_absolute_url()
    assert answer.reaction_counts == {"agree": 1}


def test_the_thread_page_marks_my_reactions(login, answer, newcomer, mentor2):
    services.reaction_toggle(user=newcomer, post=answer, kind="idea")
    services.reaction_toggle(user=mentor2, post=answer, kind="like")
    response = login(newcomer).get(answer.thread.get_absolute_url())
    mine = {item.post.number: item.my_reactions for item in response.context["page"].replies}
    assert mine[answer.number] == {"idea"}


# --- Accepted answers ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["newcomer", "coordinator"])
def test_the_asker_or_a_moderator_may_accept_an_answer(login, question, answer, request, who):
    response = login(request.getfixturevalue(who)).post(f"/forum/p/{answer.pk}/accept/")
    question.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.accepted_answer == answer


@pytest.mark.parametrize(
    "who",
    [
        "stranger",  # another newcomer
        "mentor2",  # a mentor, on someone else's question
        "mentor",  # the answer's own author
    ],
)
def test_no_one_else_may_accept_an_answer(login, question, answer, request, who):
    response = login(request.getfixturevalue(who)).post(f"/forum/p/{answer.pk}/accept/")
    question.refresh_from_db()
    assert response.status_code == 403
    assert question.accepted_answer is None


def test_the_opening_post_is_never_the_answer(question, newcomer):
    with pytest.raises(ValidationError):
        services.answer_accept(actor=newcomer, post=question.posts.get(number=1))


def test_a_discussion_has_no_accepted_answer(mentor, mentor2, newcomers_corner):
    thread = services.thread_create(
        author=mentor,
        category=newcomers_corner,
        kind=Thread.Kind.DISCUSSION,
        title="Обсуждение",
        body="Текст",
    )
    with pytest.raises(PermissionDenied):
        services.answer_accept(actor=mentor, post=reply(mentor2, thread))


def test_the_accepted_answer_is_shown_at_the_top(login, discussion, newcomer, mentor):
    second = discussion.posts.get(number=4)
    services.answer_accept(actor=newcomer, post=second)
    response = login(mentor).get(discussion.get_absolute_url())
    html = response.content.decode()
    accepted = html[html.index('<section class="accepted-answer"') :]
    assert response.context["page"].accepted == second
    assert html.index('<section class="accepted-answer"') < html.index('id="replies"')
    assert second.body_html in accepted[: accepted.index("</section>")]
    assert f'href="#post-{second.number}"' in accepted
    assert "post-accepted" in post_article(html, second.number).split(">", 1)[0]
    assert "post-accepted" not in post_article(html, 2).split(">", 1)[0]


def test_a_solved_question_is_marked_solved_in_the_lists(login, question, answer, newcomer, mentor):
    client = login(mentor)
    row = thread_row(client.get("/forum/").content.decode(), question)
    assert "badge-approved" not in row and "badge-pending" in row
    services.answer_accept(actor=newcomer, post=answer)
    row = thread_row(client.get("/forum/").content.decode(), question)
    assert "badge-approved" in row and "badge-pending" not in row
    category_page = client.get(question.category.get_absolute_url()).content.decode()
    assert "badge-approved" in thread_row(category_page, question)


def thread_row(html: str, thread: Thread) -> str:
    link = html.index(f'href="{thread.get_absolute_url()}"')
    return html[html.rindex("<li", 0, link) : html.index("</li>", link)]


def test_unaccepting_takes_the_answer_back(login, question, answer, newcomer):
    services.answer_accept(actor=newcomer, post=answer)
    response = login(newcomer).post(f"/forum/t/{question.pk}/unaccept/")
    question.refresh_from_db()
    assert response.status_code == 302
    assert question.accepted_answer is None
    assert (
        '<section class="accepted-answer"'
        not in login(newcomer).get(question.get_absolute_url()).content.decode()
    )


def test_another_newcomer_may_not_unaccept(login, question, answer, newcomer, stranger):
    services.answer_accept(actor=newcomer, post=answer)
    assert login(stranger).post(f"/forum/t/{question.pk}/unaccept/").status_code == 403
    question.refresh_from_db()
    assert question.accepted_answer == answer


def test_the_unanswered_order_lists_only_unsolved_questions(
    login, question, answer, mentor, mentor2, newcomer, newcomers_corner
):
    open_question = services.thread_create(
        author=newcomer,
        category=newcomers_corner,
        kind="question",
        title="Где взять пропуск?",
        body="Текст",
    )
    services.thread_create(
        author=mentor2,
        category=newcomers_corner,
        kind="discussion",
        title="Обсуждение",
        body="Текст",
    )
    services.answer_accept(actor=newcomer, post=answer)
    for address in ["/forum/", newcomers_corner.get_absolute_url()]:
        listed = login(mentor).get(address, {"order": "unanswered"}).context["page"].object_list
        assert list(listed) == [open_question]


def test_accepting_notifies_the_answers_author(question, answer, newcomer, mentor):
    services.answer_accept(actor=newcomer, post=answer)
    notification = Notification.objects.get(recipient=mentor, kind="forum.accepted")
    assert notification.url == answer.get_absolute_url()
    assert notification.actor == newcomer
    assert question.title in notification.text


def test_the_accept_button_is_offered_only_to_those_who_may_accept(
    login, question, answer, newcomer, coordinator, stranger, mentor, mentor2
):
    accept = f'action="/forum/p/{answer.pk}/accept/"'
    for member in (newcomer, coordinator):
        assert accept in login(member).get(question.get_absolute_url()).content.decode()
    for member in (stranger, mentor, mentor2):
        assert accept not in login(member).get(question.get_absolute_url()).content.decode()


def test_a_hidden_answer_cannot_be_accepted(question, answer, newcomer, coordinator):
    moderation.post_set_hidden(moderator=coordinator, post=answer, hidden=True)
    answer.refresh_from_db()
    with pytest.raises(ValidationError):
        services.answer_accept(actor=newcomer, post=answer)
