"""Thread lists as the forum grows: a category's first page and a deep page, with 1,000
threads and again with 100,000, on the same database in one run.

Keyset pages (community/pagination.py) read their 30 rows from an index that ends with
the primary key, and count nothing, so growing the forum a hundredfold should leave a
page's time about where it was (issue bar: at most 1.5×). Reported per size: p50/p95 wall
ms through Django's test client as a logged-in mentor who has read some threads, SQL
queries, and the growth ratios. The deep page starts after the thread at 90% of the
category's list (or the last full page), as a reader following «Дальше» that far would.

    .venv/bin/python bench/forum_lists.py
    DATABASE_URL=postgres://postgres@127.0.0.1/postgres .venv/bin/python bench/forum_lists.py
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import time

from _setup import explicit_timestamps, run_on_scratch_database

BATCH = 5000


def run(args) -> None:
    from _setup import django_on_scratch_database

    django_on_scratch_database()
    from django.db import connection, reset_queries, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from community.pagination import cursor_encode
    from forum.models import Access, Category, ReadState, Thread
    from forum.selectors import THREADS_PER_PAGE
    from profiles.models import Department, User

    department = Department.objects.create(name="Мэрия", kind="city_hall")
    viewer = User.objects.create_user(
        email="viewer@example.com",
        password="x",
        full_name="Алия Хасанова",
        role=User.Role.MENTOR,
        department=department,
    )
    authors = [
        User.objects.create_user(
            email=f"a{n}@example.com", password="x", full_name=f"Автор {n}", department=department
        )
        for n in range(20)
    ]
    categories = [
        Category.objects.create(name=f"Раздел {n}", slug=f"razdel-{n}", read_access=Access.MEMBERS)
        for n in range(5)
    ]
    category = categories[0]
    rng = random.Random(7)
    start = timezone.now()
    made = 0

    def grow_to(total: int) -> None:
        nonlocal made
        with transaction.atomic(), explicit_timestamps(Thread):
            while made < total:
                batch = []
                for n in range(made, min(total, made + BATCH)):
                    # Newer threads are more recent; activity jitters around creation.
                    created = start - datetime.timedelta(minutes=10 * (10**6 - n))
                    batch.append(
                        Thread(
                            category=categories[n % len(categories)],
                            author=authors[n % len(authors)],
                            title=f"Тема {n}",
                            created_at=created,
                            last_activity_at=created
                            + datetime.timedelta(minutes=rng.randint(0, 600)),
                            reply_count=rng.randint(0, 30),
                            post_sequence=1,
                            is_pinned=n < 2,
                            is_hidden=rng.random() < 0.005,
                        )
                    )
                Thread.objects.bulk_create(batch, batch_size=BATCH)
                made += len(batch)
            # The viewer has read a few hundred threads (their unread counts show).
            read = Thread.objects.filter(category=category).order_by("?")[:300]
            ReadState.objects.bulk_create(
                (ReadState(user=viewer, thread=t, last_read_number=1) for t in read),
                ignore_conflicts=True,
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    client = Client()
    client.force_login(viewer)

    def measure(url: str) -> dict:
        for _ in range(args.warmup):
            client.get(url)
        timings, queries = [], []
        for _ in range(args.rounds):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
            queries.append(len(captured))
        return {
            "p50": statistics.median(timings),
            "p95": statistics.quantiles(timings, n=20, method="inclusive")[-1],
            "queries": sorted(set(queries)),
        }

    def pages() -> dict[str, dict]:
        listed = Thread.objects.filter(category=category, is_hidden=False).order_by(
            "-is_pinned", "-last_activity_at", "-pk"
        )
        # A full page follows it, so that both sizes render as many rows.
        total = listed.count()
        deep = listed[min(int(total * 0.9), total - THREADS_PER_PAGE - 1)]
        cursor = cursor_encode(deep, ["is_pinned", "last_activity_at", "pk"])
        url = f"/forum/c/{category.slug}/"
        if args.explain:
            explain(f"{url}?after={cursor}")
        return {"page 1": measure(url), "deep page": measure(f"{url}?after={cursor}")}

    def explain(url: str) -> None:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        for query in captured.captured_queries:
            if query["sql"].startswith('SELECT "forum_thread"'):
                analyze = (
                    "EXPLAIN ANALYZE" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
                )
                with connection.cursor() as cursor:
                    cursor.execute(f"{analyze} {query['sql']}")
                    print("\n".join(" ".join(map(str, row)) for row in cursor.fetchall()))

    results = {}
    for size in (args.small, args.large):
        grow_to(size)
        results[size] = pages()
        for name, r in results[size].items():
            print(
                f"{connection.vendor} {size:>7} threads, {name:9}: p50 {r['p50']:6.1f} ms  "
                f"p95 {r['p95']:6.1f} ms  queries {r['queries']}"
            )
    for name in ("page 1", "deep page"):
        growth = results[args.large][name]["p50"] / results[args.small][name]["p50"]
        print(f"growth {args.small} -> {args.large}, {name}: {growth:.2f}×")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="print the deep page's plan")
    run_on_scratch_database(run, parser.parse_args())
