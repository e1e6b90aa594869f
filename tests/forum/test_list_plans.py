"""The thread lists' queries read an index in order on both backends: no sort of the
whole list, however long it grows (forum/models.py, Thread's indexes).

The plan is asked of the database for the very query a page runs. PostgreSQL prefers a
sequential scan of a table this small whatever the indexes, so it is told to avoid scans
and sorts where it can (enable_seqscan, enable_sort off): a Sort node left in its plan
means no index gives the order.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.pagination import cursor_encode
from forum.models import Thread

pytestmark = pytest.mark.django_db

PAGES = {
    # address, the index that must answer it
    "category, latest": ("/forum/c/voprosy-novichkov/", "thread_category_latest"),
    "category, newest": ("/forum/c/voprosy-novichkov/?order=newest", "thread_category_newest"),
    "forum, latest": ("/forum/", "thread_latest"),
    "forum, newest": ("/forum/?order=newest", "thread_newest"),
    "forum, top": ("/forum/?order=top", "thread_top"),
}


def list_query(client, address: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    (sql,) = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "forum_thread"') and "ORDER BY" in q["sql"]
    ]
    return sql


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(" ".join(str(v) for v in row) for row in cursor.fetchall())


@pytest.fixture
def threads(mentor, newcomers_corner):
    now = timezone.now()
    Thread.objects.bulk_create(
        Thread(category=newcomers_corner, author=mentor, title=f"Тема {n}") for n in range(80)
    )
    rows = list(Thread.objects.order_by("pk"))
    for n, thread in enumerate(rows):
        thread.last_activity_at = now - datetime.timedelta(minutes=n)
    Thread.objects.bulk_update(rows, ["last_activity_at"])
    return rows


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("deep", [False, True], ids=["first page", "deep page"])
def test_a_thread_list_reads_its_index_in_order(login, mentor, threads, page, deep):
    address, index = PAGES[page]
    if deep:
        order = (
            ["is_pinned", "last_activity_at", "pk"]
            if page == "category, latest"
            else ["created_at", "pk"]
            if "newest" in page
            else ["score", "reply_count", "last_activity_at", "pk"]
            if "top" in page
            else ["last_activity_at", "pk"]
        )
        cursor = cursor_encode(threads[40], order)
        address += ("&" if "?" in address else "?") + f"after={cursor}"
    explained = plan(list_query(login(mentor), address))
    assert index in explained, explained
    if connection.vendor == "postgresql":
        assert "Sort" not in explained, explained
    else:
        assert "TEMP B-TREE FOR ORDER BY" not in explained, explained
