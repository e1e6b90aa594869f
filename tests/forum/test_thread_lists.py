"""Thread lists page by cursor (community/pagination.py): every thread once, in order,
the same queries on any page, and nothing counted."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.pagination import cursor_encode
from forum import selectors
from forum.models import Thread

pytestmark = pytest.mark.django_db

PER_PAGE = selectors.THREADS_PER_PAGE
NEXT = re.compile(r'<a rel="next" href="([^"]+)"')
PREVIOUS = re.compile(r'<a rel="prev" href="([^"]+)"')


def many_threads(category, author, count: int) -> list[Thread]:
    """`count` threads, the first the most recently active; two share each activity time
    (the primary key breaks the tie), and the two oldest are pinned."""
    start = timezone.now()
    Thread.objects.bulk_create(
        Thread(category=category, author=author, title=f"Тема {n}") for n in range(count)
    )
    threads = list(Thread.objects.filter(category=category).order_by("pk"))
    for n, thread in enumerate(threads):
        thread.last_activity_at = start - datetime.timedelta(minutes=n // 2)
        thread.is_pinned = n >= count - 2
    Thread.objects.bulk_update(threads, ["last_activity_at", "is_pinned"])
    return threads


def titles(html: str) -> list[str]:
    return re.findall(
        r'class="thread-title" href="[^"]+">(?:<span[^>]*>[^<]*</span> )*([^<]+)</a>', html
    )


def walk(client, url: str) -> tuple[list[str], list[str]]:
    """Follow «Next» from `url` to the end: every title seen, and every page's address."""
    seen, addresses = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        seen += titles(html)
        addresses.append(url)
        following = NEXT.search(html)
        url = unescape(following.group(1)) if following else ""
        if url.startswith("?"):
            url = addresses[0].split("?")[0] + url
    return seen, addresses


def test_following_next_shows_every_thread_once_in_order(login, mentor, newcomers_corner):
    threads = many_threads(newcomers_corner, mentor, PER_PAGE * 2 + 5)
    seen, addresses = walk(login(mentor), "/forum/c/voprosy-novichkov/")
    expected = sorted(threads, key=lambda t: (t.is_pinned, t.last_activity_at, t.pk), reverse=True)
    assert seen == [t.title for t in expected]
    assert len(addresses) == 3
    # Forum-wide «Последние» pages the same way, pins not first.
    seen, _ = walk(login(mentor), "/forum/?order=latest")
    expected = sorted(threads, key=lambda t: (t.last_activity_at, t.pk), reverse=True)
    assert seen == [t.title for t in expected]


def test_previous_goes_back_to_the_same_page(login, mentor, newcomers_corner):
    many_threads(newcomers_corner, mentor, PER_PAGE * 3)
    client = login(mentor)
    first = client.get("/forum/c/voprosy-novichkov/?order=newest").content.decode()
    assert PREVIOUS.search(first) is None
    second = client.get(
        "/forum/c/voprosy-novichkov/" + unescape(NEXT.search(first).group(1))
    ).content.decode()
    third = client.get(
        "/forum/c/voprosy-novichkov/" + unescape(NEXT.search(second).group(1))
    ).content.decode()
    assert NEXT.search(third) is None
    back = client.get(
        "/forum/c/voprosy-novichkov/" + unescape(PREVIOUS.search(third).group(1))
    ).content.decode()
    assert titles(back) == titles(second)
    back = client.get(
        "/forum/c/voprosy-novichkov/" + unescape(PREVIOUS.search(back).group(1))
    ).content.decode()
    assert titles(back) == titles(first)
    assert PREVIOUS.search(back) is None


def test_a_thread_bumped_between_pages_is_neither_repeated_nor_lost(
    login, mentor, newcomers_corner
):
    threads = many_threads(newcomers_corner, mentor, PER_PAGE * 2)
    client = login(mentor)
    first = client.get("/forum/c/voprosy-novichkov/").content.decode()
    # A thread of the second page gets a reply: it moves to the top of the first.
    bumped = sorted(threads, key=lambda t: (t.last_activity_at, t.pk), reverse=True)[PER_PAGE + 3]
    Thread.objects.filter(pk=bumped.pk).update(last_activity_at=timezone.now())
    second = client.get(
        "/forum/c/voprosy-novichkov/" + unescape(NEXT.search(first).group(1))
    ).content.decode()
    assert set(titles(first)) & set(titles(second)) == set()
    assert bumped.title not in titles(second)  # already above, where the reader came from
    assert len(titles(first) + titles(second)) == PER_PAGE * 2 - 1


def test_a_deep_page_costs_the_same_queries_as_the_first_and_counts_nothing(
    login, mentor, newcomers_corner, django_assert_num_queries
):
    threads = many_threads(newcomers_corner, mentor, PER_PAGE * 4)
    client = login(mentor)
    client.get("/forum/c/voprosy-novichkov/")
    with CaptureQueriesContext(connection) as first:
        client.get("/forum/c/voprosy-novichkov/")
    deep_row = sorted(threads, key=lambda t: (t.is_pinned, t.last_activity_at, t.pk))[PER_PAGE]
    cursor = cursor_encode(deep_row, ["is_pinned", "last_activity_at", "pk"])
    with django_assert_num_queries(len(first.captured_queries)) as deep:
        response = client.get(f"/forum/c/voprosy-novichkov/?after={cursor}")
    assert len(titles(response.content.decode())) == PER_PAGE
    for query in [*first.captured_queries, *deep.captured_queries]:
        if "forum_thread" in query["sql"]:
            assert "COUNT(" not in query["sql"].upper()


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        "W10",  # an empty list
        "WzEsMiwzLDRd",  # four values for a three-field order
        "WyJ5ZXMiLCJub3QgYSBkYXRlIiwxXQ",  # values of the wrong types
        "A" * 2000,
    ],
)
def test_a_broken_page_link_says_so_and_starts_over(login, mentor, newcomers_corner, cursor):
    client = login(mentor)
    response = client.get(f"/forum/c/voprosy-novichkov/?order=top&after={cursor}")
    assert response.status_code == 302
    assert response["Location"] == "/forum/c/voprosy-novichkov/?order=top"
    page = client.get(response["Location"]).content.decode()
    assert "Ссылка на страницу повреждена" in page


def test_pages_cross_from_pinned_to_unpinned_threads_both_ways(mentor, newcomers_corner):
    threads = many_threads(newcomers_corner, mentor, 9)
    Thread.objects.filter(pk__in=[t.pk for t in threads[:3]]).update(is_pinned=True)
    Thread.objects.filter(pk__in=[t.pk for t in threads[3:]]).update(is_pinned=False)
    listed = sorted(
        Thread.objects.filter(category=newcomers_corner),
        key=lambda t: (t.is_pinned, t.last_activity_at, t.pk),
        reverse=True,
    )
    expected = [t.title for t in listed]
    assert [t.is_pinned for t in listed[:4]] == [True, True, True, False]
    pages, after = [], None
    while True:
        page = selectors.threads_for(mentor, category=newcomers_corner, after=after, per_page=2)
        pages.append([t.title for t in page])
        if not page.has_next:
            break
        after = page.next_cursor
    assert [title for page in pages for title in page] == expected
    # And back from the last page to the first, through the pinned ones.
    back, before = [pages[-1]], page.previous_cursor
    while before:
        page = selectors.threads_for(mentor, category=newcomers_corner, before=before, per_page=2)
        back.insert(0, [t.title for t in page])
        before = page.previous_cursor
    assert back == pages
