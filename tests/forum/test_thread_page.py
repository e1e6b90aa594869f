"""The thread page: nested and flat replies, deep branches, permalinks and fragments."""

from __future__ import annotations

import pytest

from forum import selectors
from tests.forum.conftest import post_article, post_numbers, reply, reply_chain

pytestmark = pytest.mark.django_db


def indents(response) -> dict[int, int]:
    return {item.post.number: item.indent for item in response.context["page"].replies}


def test_thread_page_nests_replies_with_indent_classes(login, discussion, newcomer):
    response = login(newcomer).get(discussion.get_absolute_url())
    html = response.content.decode()
    answer, nested, second = (discussion.posts.get(number=n) for n in (2, 3, 4))
    assert response.status_code == 200
    assert post_numbers(html) == [1, answer.number, nested.number, second.number]
    assert "post-opening" in post_article(html, 1).split(">", 1)[0]
    assert "indent-0" in post_article(html, answer.number)
    assert "indent-1" in post_article(html, nested.number)
    assert "indent-0" in post_article(html, second.number)
    assert f'data-path="{nested.path}"' in post_article(html, nested.number)


def test_flat_view_orders_replies_by_number(login, discussion, newcomer):
    response = login(newcomer).get(discussion.get_absolute_url(), {"view": "flat"})
    assert post_numbers(response.content.decode()) == [1, 2, 3, 4]
    assert set(indents(response).values()) == {0}


def test_replies_deeper_than_the_display_depth_wait_behind_a_continue_link(
    login, question, mentor, mentor2, newcomer, no_rate_limit
):
    chain = reply_chain([mentor, mentor2], question, selectors.DISPLAY_DEPTH + 3)
    response = login(newcomer).get(question.get_absolute_url())
    html = response.content.decode()
    shown, hidden = chain[: selectors.DISPLAY_DEPTH], chain[selectors.DISPLAY_DEPTH :]
    deepest = shown[-1]
    assert post_numbers(html) == [1, *(post.number for post in shown)]
    assert not set(post_numbers(html)) & {post.number for post in hidden}
    assert indents(response)[deepest.number] == selectors.DISPLAY_DEPTH - 1
    continue_link = f'href="?focus={deepest.number}#post-{deepest.number}"'
    assert continue_link in post_article(html, deepest.number)
    assert 'class="continue-thread"' not in post_article(html, shown[-2].number)


def test_the_focus_page_shows_the_rest_of_a_deep_branch(
    login, question, mentor, mentor2, newcomer, no_rate_limit
):
    chain = reply_chain([mentor, mentor2], question, selectors.DISPLAY_DEPTH + 3)
    deepest_shown = chain[selectors.DISPLAY_DEPTH - 1]
    response = login(newcomer).get(question.get_absolute_url(), {"focus": deepest_shown.number})
    html = response.content.decode()
    branch = chain[selectors.DISPLAY_DEPTH - 1 :]
    assert response.context["page"].focus == deepest_shown
    assert post_numbers(html) == [1, *(post.number for post in branch)]
    assert indents(response) == {post.number: n for n, post in enumerate(branch)}
    assert 'class="notice"' in html


def test_a_focus_on_a_missing_or_opening_post_shows_the_whole_thread(login, discussion, newcomer):
    client = login(newcomer)
    whole = post_numbers(client.get(discussion.get_absolute_url()).content.decode())
    for focus in ["999", "1", "abc"]:
        response = client.get(discussion.get_absolute_url(), {"focus": focus})
        assert response.context["page"].focus is None
        assert post_numbers(response.content.decode()) == whole


def test_post_permalink_redirects_to_its_place_in_the_thread(login, discussion, newcomer):
    nested = discussion.posts.get(number=3)
    response = login(newcomer).get(f"/forum/p/{nested.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{discussion.get_absolute_url()}#post-{nested.number}"


def test_permalink_of_a_deep_post_opens_its_branch(
    login, question, mentor, mentor2, newcomer, no_rate_limit
):
    chain = reply_chain([mentor, mentor2], question, selectors.DISPLAY_DEPTH + 2)
    deep = chain[selectors.DISPLAY_DEPTH]
    client = login(newcomer)
    response = client.get(f"/forum/p/{deep.pk}/")
    assert response["Location"] == (
        f"{question.get_absolute_url()}?focus={deep.number}#post-{deep.number}"
    )
    shown = post_numbers(client.get(response["Location"]).content.decode())
    assert deep.number in shown
    inline = login(newcomer).get(f"/forum/p/{chain[selectors.DISPLAY_DEPTH - 1].pk}/")
    assert "focus=" not in inline["Location"]


def test_post_fragment_renders_one_post_for_live_updates(login, discussion, newcomer):
    nested = discussion.posts.get(number=3)
    response = login(newcomer).get(f"/forum/p/{nested.pk}/fragment/")
    html = response.content.decode()
    assert response.status_code == 200
    assert post_numbers(html) == [nested.number]
    assert f"indent-{nested.depth - 1}" in html
    assert nested.body_html in html
    assert "<html" not in html


def test_the_opening_post_has_a_fragment_too(login, question, mentor):
    opening = question.posts.get(number=1)
    response = login(mentor).get(f"/forum/p/{opening.pk}/fragment/")
    assert response.status_code == 200
    assert post_numbers(response.content.decode()) == [1]


def test_thread_page_counts_each_readers_view_once_a_day(login, question, mentor, mentor2):
    from django.core.cache import cache

    for _reload in range(3):
        login(mentor).get(question.get_absolute_url())
    question.refresh_from_db()
    assert question.view_count == 1
    login(mentor2).get(question.get_absolute_url())
    question.refresh_from_db()
    assert question.view_count == 2
    # A day later the same reader counts again.
    cache.delete(f"forum.viewed:{question.pk}:{mentor.pk}")
    login(mentor).get(question.get_absolute_url())
    question.refresh_from_db()
    assert question.view_count == 3


def test_reply_buttons_and_the_composer_point_at_the_posts(login, discussion, mentor):
    html = login(mentor).get(discussion.get_absolute_url()).content.decode()
    opening, nested = discussion.posts.get(number=1), discussion.posts.get(number=3)
    assert f'action="/forum/p/{opening.pk}/reply/"' in html
    assert f'href="/forum/p/{nested.pk}/reply/"' in post_article(html, nested.number)


def test_a_reply_posted_after_a_deep_branch_still_shows_at_the_top_level(
    login, question, mentor, mentor2, newcomer, no_rate_limit
):
    reply_chain([mentor, mentor2], question, selectors.DISPLAY_DEPTH + 2)
    late = reply(newcomer, question, body="Поздний ответ на вопрос")
    response = login(mentor).get(question.get_absolute_url())
    assert post_numbers(response.content.decode())[-1] == late.number
    assert indents(response)[late.number] == 0
