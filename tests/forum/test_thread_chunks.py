"""A long thread shows in chunks, as Discourse does (forum/selectors.thread_page): the
opening post and the first 20 top-level replies with their subtrees, at most 50 posts;
«Показать ещё» brings the next chunk, a permalink opens the chunk that holds its post."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import selectors
from forum.models import Post, ReadState
from tests.forum.conftest import post_numbers
from tests.forum.test_queries import grow

pytestmark = pytest.mark.django_db

MORE = re.compile(
    r'id="replies-more"><a class="button button-secondary" href="([^"]+)" hx-get="([^"]+)"'
)


def displayed_in_tree_order(thread) -> list[int]:
    return list(
        Post.objects.filter(thread=thread, depth__gte=1, depth__lte=selectors.DISPLAY_DEPTH)
        .order_by("path")
        .values_list("number", flat=True)
    )


@pytest.fixture
def long_thread(question, mentor, newcomer, mentor2):
    grow(question, [mentor, newcomer], 300)
    question.refresh_from_db()
    return question


def follow_more(client, html: str) -> tuple[list[int], list[str]]:
    """Press «Показать ещё» (as htmx does, through the chunk URL) until the end."""
    seen, chunks = [], []
    while (more := MORE.search(html)) is not None:
        html = client.get(unescape(more.group(2))).content.decode()
        chunks.append(html)
        seen += post_numbers(html)
    return seen, chunks


def test_the_first_chunk_is_the_opening_and_fifty_replies(login, long_thread, mentor2):
    response = login(mentor2).get(long_thread.get_absolute_url())
    html = response.content.decode()
    numbers = post_numbers(html)
    assert numbers[0] == 1
    assert numbers[1:] == displayed_in_tree_order(long_thread)[: selectors.CHUNK_POSTS]
    assert len(html.encode()) < 100 * 1024
    assert "Показать ещё" in html


def test_more_brings_every_reply_once_in_tree_order(login, long_thread, mentor2):
    client = login(mentor2)
    first = client.get(long_thread.get_absolute_url()).content.decode()
    rest, chunks = follow_more(client, first)
    assert post_numbers(first)[1:] + rest == displayed_in_tree_order(long_thread)
    assert all(len(post_numbers(chunk)) <= selectors.CHUNK_POSTS for chunk in chunks)
    assert "Показать ещё" not in chunks[-1]


def test_a_chunk_holds_at_most_twenty_top_level_replies(login, question, mentor, mentor2):
    # Every reply answers the thread itself: the top-level limit ends the chunk first.
    for _ in range(30):
        grow(question, [mentor], 1)
    html = login(mentor2).get(question.get_absolute_url()).content.decode()
    assert post_numbers(html)[1:] == list(range(2, 2 + selectors.CHUNK_TOP_LEVEL))


def test_more_works_without_javascript(login, long_thread, mentor2):
    client = login(mentor2)
    first = client.get(long_thread.get_absolute_url()).content.decode()
    page = client.get(unescape(MORE.search(first).group(1))).content.decode()
    numbers = post_numbers(page)
    assert numbers[0] == 1  # the opening post heads every page
    expected = displayed_in_tree_order(long_thread)
    assert numbers[1:] == expected[selectors.CHUNK_POSTS : 2 * selectors.CHUNK_POSTS]
    assert "Показать ответы с начала" in page


def test_every_chunk_costs_the_same_queries(login, long_thread, mentor2, django_assert_num_queries):
    client = login(mentor2)
    first = client.get(long_thread.get_absolute_url()).content.decode()
    # Each chunk read for the first time, as a reader pressing «Показать ещё» does.
    with CaptureQueriesContext(connection) as captured:
        second = client.get(unescape(MORE.search(first).group(2))).content.decode()
    queries = len(captured.captured_queries)  # now: each request empties Django's log
    with django_assert_num_queries(queries):
        client.get(unescape(MORE.search(second).group(2)))


def test_a_permalink_opens_the_chunk_that_holds_its_post(login, long_thread, mentor2):
    late = Post.objects.get(thread=long_thread, number=250)
    client = login(mentor2)
    response = client.get(late.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].endswith("?at=250#post-250")
    html = client.get(response["Location"].split("#")[0]).content.decode()
    assert 250 in post_numbers(html)
    # From its top-level reply on, so that it reads in context.
    top = Post.objects.get(thread=long_thread, path=late.path[:16])
    assert post_numbers(html)[1] == top.number
    assert "Показать ответы с начала" in html


def test_the_unread_jump_leads_to_the_chunk_with_the_first_unread_reply(
    login, long_thread, mentor2
):
    ReadState.objects.create(user=mentor2, thread=long_thread, last_read_number=200)
    html = login(mentor2).get(long_thread.get_absolute_url()).content.decode()
    assert 'href="?at=201#post-201"' in html


def test_reading_on_moves_the_unread_cursor(login, long_thread, mentor2):
    client = login(mentor2)
    first = client.get(long_thread.get_absolute_url()).content.decode()
    after_first = ReadState.objects.get(user=mentor2, thread=long_thread).last_read_number
    assert after_first == max(post_numbers(first))
    client.get(unescape(MORE.search(first).group(2)))
    after_second = ReadState.objects.get(user=mentor2, thread=long_thread).last_read_number
    assert after_second > after_first


def test_a_short_thread_is_read_whole(login, question, answer, mentor2):
    login(mentor2).get(question.get_absolute_url())
    question.refresh_from_db()
    state = ReadState.objects.get(user=mentor2, thread=question)
    assert state.last_read_number == question.post_sequence


def test_the_flat_view_chunks_by_number(login, long_thread, mentor2):
    client = login(mentor2)
    first = client.get(f"{long_thread.get_absolute_url()}?view=flat").content.decode()
    assert post_numbers(first) == list(range(1, 2 + selectors.CHUNK_POSTS))
    rest, _chunks = follow_more(client, first)
    assert rest == list(range(2 + selectors.CHUNK_POSTS, long_thread.post_sequence + 1))


@pytest.mark.parametrize("cursor", ["../../etc", "0000001/x/", "9" * 40, "<script>"])
def test_a_broken_chunk_cursor_is_a_clear_error(login, long_thread, mentor2, cursor):
    client = login(mentor2)
    response = client.get(long_thread.get_absolute_url(), {"after": cursor})
    assert response.status_code == 302
    assert "повреждена" in client.get(response["Location"]).content.decode()
    response = client.get(f"/forum/t/{long_thread.pk}/chunk/", {"after": cursor})
    assert response.status_code == 400
    assert response.content.decode() == "Ссылка на страницу повреждена."


def test_a_chunk_of_a_thread_out_of_reach_is_a_404(login, long_thread, stranger, coordinator):
    from forum import moderation

    moderation.thread_set_flags(moderator=coordinator, thread=long_thread, hidden=True)
    response = login(stranger).get(f"/forum/t/{long_thread.pk}/chunk/")
    assert response.status_code == 404


def test_a_chunks_posts_are_whole_for_what_else_is_read(
    login, long_thread, mentor, mentor2, django_assert_num_queries
):
    """The chunk builds its posts from plain rows (selectors._loaded): fields a page does
    not show still load when read, and an author of several posts is one instance."""
    page = selectors.thread_page(long_thread, mentor2)
    posts = [item.post for item in page.replies]
    by_mentor = [post for post in posts if post.author_id == mentor.pk]
    assert len(by_mentor) > 1 and len({id(post.author) for post in by_mentor}) == 1
    with django_assert_num_queries(0):
        assert all(post.author.full_name for post in posts)
        assert all(post.body_html for post in posts)
    with django_assert_num_queries(1):
        assert posts[0].body == "Ответ"  # the source text, not loaded: one query
    assert posts[0].thread == long_thread
