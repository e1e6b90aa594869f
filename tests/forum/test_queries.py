"""Pages that grow with data use a fixed number of queries, however big the forum gets."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from community import markup
from forum import moderation, rules, selectors, services
from forum.models import Post, Reaction, Thread, tree_path
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


def grow(thread: Thread, authors: list, count: int) -> list[Post]:
    """Add `count` replies the fast way: every fourth answers the thread, the others nest."""
    thread.refresh_from_db()
    opening = thread.posts.get(number=1)
    cooked = markup.cook("Ответ с **выделением** и [ссылкой](https://example.org).")
    added: list[Post] = []
    for n in range(count):
        parent = opening if n % 4 == 0 else added[-1]
        number = thread.post_sequence + n + 1
        added.append(
            Post.objects.create(
                thread=thread,
                number=number,
                parent=parent,
                depth=parent.depth + 1,
                path=tree_path(parent.path, number),
                author=authors[n % len(authors)],
                body="Ответ",
                body_html=cooked["html"],
                body_markup_version=cooked["version"],
                reply_count=0 if n % 4 == 3 or n == count - 1 else 1,
                reaction_counts={"like": 1} if n % 3 == 0 else {},
                edit_count=n % 5 == 0,
            )
        )
    Post.objects.filter(pk=opening.pk).update(reply_count=F("reply_count") + (count + 3) // 4)
    Thread.objects.filter(pk=thread.pk).update(
        post_sequence=F("post_sequence") + count, reply_count=F("reply_count") + count
    )
    thread.refresh_from_db()
    return added


def react(user, posts: list[Post]) -> None:
    Reaction.objects.bulk_create(
        Reaction(post=post, user=user, kind="thanks") for post in posts[::7]
    )


def queries_for(
    client, address: str, django_assert_num_queries, expected: int | None = None
) -> int:
    """How many queries a returning reader's visit costs; with `expected`, assert it."""
    client.get(address)  # the first visit opens the read state; count a returning reader
    if expected is None:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured.captured_queries)
    with django_assert_num_queries(expected):
        assert client.get(address).status_code == 200
    return expected


@pytest.mark.parametrize("viewer", ["mentor2", "coordinator"])
def test_thread_page_costs_the_same_with_5_and_300_replies(
    login,
    request,
    question,
    mentor,
    mentor2,
    newcomer,
    stranger,
    coordinator,
    expertise,
    django_assert_num_queries,
    viewer,
):
    reader = request.getfixturevalue(viewer)
    question.tags.set(expertise.values())
    authors = [mentor, newcomer, stranger, coordinator, mentor2]
    small = grow(question, authors, 5)
    services.answer_accept(actor=newcomer, post=small[0])
    react(reader, small)
    client = login(reader)
    few = queries_for(client, question.get_absolute_url(), django_assert_num_queries)

    many = grow(question, authors, 295)
    react(reader, many)
    moderation.post_set_hidden(moderator=coordinator, post=many[10], hidden=True)
    services.post_delete(actor=coordinator, post=many[20])
    queries_for(client, question.get_absolute_url(), django_assert_num_queries, few)
    page = client.get(question.get_absolute_url()).context["page"]
    assert len(page.replies) == selectors.CHUNK_POSTS  # the first chunk (test_thread_chunks.py)
    assert page.more_query
    print(f"thread page ({viewer}): {few} queries with 5 and with 300 replies")


def test_thread_page_query_count_is_small(
    login, question, mentor, mentor2, django_assert_max_num_queries
):
    grow(question, [mentor], 5)
    client = login(mentor2)
    client.get(question.get_absolute_url())
    with django_assert_max_num_queries(16):
        client.get(question.get_absolute_url())


def test_flat_and_focused_views_cost_the_same_as_they_grow(
    login, question, mentor, newcomer, mentor2, django_assert_num_queries
):
    grow(question, [mentor, newcomer], 8)
    client = login(mentor2)
    flat = f"{question.get_absolute_url()}?view=flat"
    focus = f"{question.get_absolute_url()}?focus=3"
    few_flat = queries_for(client, flat, django_assert_num_queries)
    few_focus = queries_for(client, focus, django_assert_num_queries)
    grow(question, [mentor, newcomer], 200)
    queries_for(client, flat, django_assert_num_queries, few_flat)
    queries_for(client, focus, django_assert_num_queries, few_focus)


def make_threads(count: int, authors: list, categories: list, tags: list, replier) -> list[Thread]:
    """Threads by members taking turns, each in the first category its author may start in."""
    threads = []
    for n in range(count):
        author = authors[n % len(authors)]
        category = next(
            c for c in categories[n % 2 :] + categories if rules.can_start_thread(author, c)
        )
        thread = services.thread_create(
            author=author,
            category=category,
            kind="question" if n % 2 else "discussion",
            title=f"Тема номер {n}",
            body="Текст",
            tags=tags[: n % (len(tags) + 1)],
        )
        if n % 3 == 0:
            reply(replier, thread)
        threads.append(thread)
    return threads


LISTS = [
    "/forum/",
    "/forum/?order=newest",
    "/forum/?order=top",
    "/forum/?order=unanswered",
    "/forum/c/voprosy-novichkov/",
    "/forum/c/opyt-nastavnikov/?order=top",
]


def test_thread_lists_cost_the_same_with_3_and_60_threads(
    login,
    mentor,
    mentor2,
    newcomer,
    coordinator,
    categories,
    expertise,
    no_rate_limit,
    django_assert_num_queries,
):
    authors = [mentor, mentor2, newcomer, coordinator]
    places = [categories["newcomers"], categories["lounge"]]
    tags = list(expertise.values())
    make_threads(3, authors, places, tags, coordinator)
    client = login(mentor)
    few = {address: queries_for(client, address, django_assert_num_queries) for address in LISTS}
    opened = make_threads(57, authors, places, tags, coordinator)
    for thread in opened[::5]:
        client.get(thread.get_absolute_url())
    for address in LISTS:
        assert len(client.get(address).context["page"].object_list) > 3
        queries_for(client, address, django_assert_num_queries, few[address])
    print(f"thread lists: {few} queries with 3 and with 60 threads")


def test_the_moderation_queue_costs_the_same_as_it_grows(
    login,
    question,
    mentor,
    newcomer,
    stranger,
    coordinator,
    mentor2,
    no_rate_limit,
    django_assert_num_queries,
):
    def flagged(count):
        for post in grow(question, [mentor, mentor2], count):
            moderation.flag_create(user=newcomer, post=post, reason="spam")
            moderation.flag_create(user=stranger, post=post, reason="offensive")

    flagged(2)
    client = login(coordinator)
    few = queries_for(client, "/forum/moderation/", django_assert_num_queries)
    flagged(30)
    queries_for(client, "/forum/moderation/", django_assert_num_queries, few)
    print(f"moderation queue: {few} queries with 2 and with 32 flagged posts")
