"""A topic page as topics grow: the first chunk of a 300-reply topic against a 20-post
topic's page, and against Spirit's first page of the same topics, in one run.

Issue bars: the 300-reply topic's first chunk within 1.2× of the 20-post topic's time and
no slower than Spirit's first page; its HTML at most 100 KiB. The data mirror
bench/peers/spirit_topic.py: 50 members, a topic with 300 replies (every fourth answers
the topic, the others nest, as in tests/forum/test_queries.grow) and one with 19 replies,
each the same Markdown text; a member who has read both opens each, through Django's test
client. Reported: p50/p95 wall ms, p50 CPU ms, queries and KiB.

    .venv/bin/python bench/topic.py
    .venv/bin/python bench/topic.py --peer var/peers/spirit/bin/python
    DATABASE_URL=postgres://postgres@127.0.0.1/postgres .venv/bin/python bench/topic.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from _setup import run_on_scratch_database, run_peer

REPLY_BODY = (
    "Попробовал по вашей инструкции — **получилось**. Добавлю для остальных:\n\n"
    "1. Заявку подаём через СЭД.\n2. Копию отправляем в отдел кадров.\n\n"
    "Подробности в регламенте: https://city.example.org/reglament/2024"
)
SIZES = {"300 replies": 300, "20 posts": 19}


def run(args) -> None:
    from _setup import django_on_scratch_database

    django_on_scratch_database()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from community import markup
    from forum.models import Access, Category, Post, Thread, tree_path
    from profiles.models import Department, User

    department = Department.objects.create(name="Мэрия", kind="city_hall")
    members = [
        User.objects.create_user(
            email=f"m{n}@example.com",
            password="x",
            full_name=f"Участник Номер {n}",
            role=User.Role.MENTOR,
            department=department,
        )
        for n in range(50)
    ]
    reader = members[-1]
    category = Category.objects.create(
        name="Вопросы новичков", slug="voprosy", read_access=Access.MEMBERS
    )
    threads = {}
    for name, replies in SIZES.items():
        thread = Thread.objects.create(
            category=category, author=members[0], title=f"Тема: {name}", post_sequence=1
        )
        opening = Post.objects.create(
            thread=thread,
            number=1,
            path=tree_path("", 1),
            author=members[0],
            body="С чего начать?",
            body_html=markup.cook("С чего начать?")["html"],
        )
        added: list[Post] = []
        for n in range(replies):
            parent = opening if n % 4 == 0 else added[-1]
            number = n + 2
            body = f"{REPLY_BODY}\n\nОтвет {n}."
            cooked = markup.cook(body)
            added.append(
                Post.objects.create(
                    thread=thread,
                    number=number,
                    parent=parent,
                    depth=parent.depth + 1,
                    path=tree_path(parent.path, number),
                    author=members[n % len(members)],
                    body=body,
                    body_html=cooked["html"],
                    body_markup_version=cooked["version"],
                    reply_count=0 if n % 4 == 3 or n == replies - 1 else 1,
                )
            )
        Thread.objects.filter(pk=thread.pk).update(post_sequence=replies + 1, reply_count=replies)
        thread.refresh_from_db()
        threads[name] = thread

    client = Client()
    client.force_login(reader)
    results = {}
    for name, thread in threads.items():
        url = thread.get_absolute_url()
        client.get(url)  # the reader has been here
        for _ in range(args.warmup):
            client.get(url)
        wall, cpu, queries = [], [], []
        for _ in range(args.rounds):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                began_cpu, began = time.process_time(), time.perf_counter()
                response = client.get(url)
                wall.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
            assert response.status_code == 200, response.status_code
            queries.append(len(captured))
        results[name] = {
            "p50_ms": statistics.median(wall),
            "p95_ms": statistics.quantiles(wall, n=20, method="inclusive")[-1],
            "cpu_p50_ms": statistics.median(cpu),
            "queries": max(queries),
            "kib": len(response.content) / 1024,
            "posts_shown": response.content.count(b'<article class="post'),
        }
        r = results[name]
        print(
            f"Nastavnik {connection.vendor}, {name:11}: p50 {r['p50_ms']:6.1f} ms  p95 "
            f"{r['p95_ms']:6.1f} ms  CPU {r['cpu_p50_ms']:6.1f} ms  {r['queries']} queries  "
            f"{r['kib']:5.1f} KiB  {r['posts_shown']} posts shown"
        )
    if args.split:
        # Where a page's time goes, without the client and middleware: the selector (its
        # queries and PostViews) and the posts' HTML.
        from django.middleware.csrf import _get_new_csrf_string

        from forum import selectors
        from forum.post_html import PostPage, post_article

        for name, thread in threads.items():
            began = time.perf_counter()
            for _ in range(args.rounds):
                page = selectors.thread_page(thread, reader)
            selected = (time.perf_counter() - began) * 1000 / args.rounds
            post_page = PostPage.for_viewer(reader, thread, _get_new_csrf_string())
            began = time.perf_counter()
            for _ in range(args.rounds):
                "".join(post_article(item, post_page) for item in page.replies)
            drawn = (time.perf_counter() - began) * 1000 / args.rounds
            from django.test import RequestFactory

            from forum import views

            request = RequestFactory().get(thread.get_absolute_url())
            request.user = reader
            request.session = {}
            request.htmx = False
            began = time.perf_counter()
            for _ in range(args.rounds):
                views.thread(request, pk=thread.pk, slug=thread.slug)
            viewed = (time.perf_counter() - began) * 1000 / args.rounds
            print(
                f"  {name:11}: selector {selected:5.2f} ms, posts' HTML {drawn:5.2f} ms, "
                f"the view alone {viewed:5.2f} ms"
            )
    if args.profile:
        import cProfile
        import pstats

        from django.test import RequestFactory

        from forum import views

        for name, thread in threads.items():
            profiler = cProfile.Profile()
            request = RequestFactory().get(thread.get_absolute_url())
            request.user, request.session, request.htmx = reader, {}, False
            profiler.enable()
            for _ in range(args.rounds):
                views.thread(request, pk=thread.pk, slug=thread.slug)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(25)
            stats.dump_stats(f"/tmp/topic-{name.split()[0]}.prof")
    big, small = results["300 replies"], results["20 posts"]
    print(f"  first chunk of 300 / 20-post topic: {big['p50_ms'] / small['p50_ms']:.2f}× (bar 1.2)")
    if args.peer:
        spirit = run_peer(args.peer, "spirit_topic.py", args.rounds)["cases"]
        for name, theirs in spirit.items():
            print(
                f"Spirit, {name:11}: p50 {theirs['p50_ms']:6.1f} ms  "
                f"CPU {theirs['cpu_p50_ms']:6.1f} ms  {theirs['queries']} queries  "
                f"{theirs['kib']:5.1f} KiB  "
                f"{theirs['comments_shown']} comments shown  ->  ours/Spirit "
                f"{results[name]['p50_ms'] / theirs['p50_ms']:.2f}×"
            )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--split", action="store_true", help="time selector and HTML apart")
    parser.add_argument("--profile", action="store_true", help="cProfile the long topic")
    parser.add_argument("--peer", help="python of a venv with Spirit (bench/peers/README.md)")
    run_on_scratch_database(run, parser.parse_args())
