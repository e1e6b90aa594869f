"""Posting a reply to a thread watched by 1 member and by 50: the same queries and about
the same time, because the watchers' notifications and every email are a worker's job,
not the request's.

Mirrors bench/peers/spirit_reply.py, so the two can be compared in one run: a scratch
database, a category, a poster and 50 members, two small threads (one watched by its
author, one by its author and 49 more), replies posted in turn to both as the logged-in
poster through Django's test client (rate limiting off), after warm-up rounds. Reported per
thread: p50/p95 wall ms, p50 CPU ms of this process, and the SQL queries per request. Then
the worker (community/background) runs everything the replies queued (the watchers'
notifications, the search entries, the emails through the outbox to the locmem backend):
its time per reply and per email. `--profile 50` shows where a reply's time goes.

    .venv/bin/python bench/reply.py
    .venv/bin/python bench/reply.py --peer var/peers/spirit/bin/python   # Spirit, same run
    DATABASE_URL=postgres://postgres@127.0.0.1/postgres .venv/bin/python bench/reply.py
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time
import uuid
from unittest import mock

from _setup import run_on_scratch_database, run_peer

os.environ["EMAIL_URL"] = "locmem://"
WATCHERS = 50
REPLY_BODY = (
    "Попробовал по вашей инструкции — **получилось**. Добавлю для остальных:\n\n"
    "1. Заявку подаём через СЭД.\n2. Копию отправляем в отдел кадров.\n\n"
    "Подробности в регламенте: https://city.example.org/reglament/2024"
)


def run(args) -> None:
    from _setup import django_on_scratch_database

    django_on_scratch_database()
    from django.core import mail
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from community.mailer.models import OutgoingEmail
    from forum import services as forum
    from forum.models import Category, Subscription
    from profiles.models import Department, User
    from tests.helpers import run_tasks

    department = Department.objects.create(name="Мэрия", kind="city_hall")
    category = Category.objects.create(name="Вопросы новичков", slug="voprosy")
    poster = User.objects.create_user(
        email="poster@example.com",
        password="x",
        full_name="Алия Хасанова",
        role=User.Role.MENTOR,
        department=department,
    )
    members = [
        User.objects.create_user(
            email=f"m{n}@example.com",
            password="x",
            full_name=f"Участник {n}",
            role=User.Role.MENTOR,
            department=department,
        )
        for n in range(WATCHERS)
    ]
    with mock.patch("forum.services.rate_limit_hit"):
        threads = {}
        for watchers in (1, WATCHERS):
            thread = forum.thread_create(
                author=members[0],
                category=category,
                title=f"Тема на {watchers}",
                body="Как оформить командировку?",
                kind="discussion",
            )
            for member in members[1:watchers]:
                forum.subscription_set(
                    user=member, thread=thread, level=Subscription.Level.WATCHING
                )
            threads[watchers] = thread
    run_tasks()
    OutgoingEmail.objects.all().delete()
    client = Client()
    client.force_login(poster)
    results: dict[int, dict] = {w: {"wall": [], "cpu": [], "queries": []} for w in threads}

    def post(watchers: int, *, timed: bool) -> None:
        opening = threads[watchers].posts.get(number=1)
        url = reverse("forum:reply", kwargs={"pk": opening.pk})
        data = {"body": REPLY_BODY, "submission_token": str(uuid.uuid4())}
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            cpu, wall = time.process_time(), time.perf_counter()
            response = client.post(url, data)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if response.status_code != 302:
            raise SystemExit(f"{response.status_code}: {response.content[:300]!r}")
        if timed:
            results[watchers]["wall"].append(wall * 1000)
            results[watchers]["cpu"].append(cpu * 1000)
            results[watchers]["queries"].append(len(captured))
            if args.show_queries and len(results[watchers]["queries"]) == 1:
                print(f"--- the queries of a reply, {watchers} watcher(s):")
                for query in captured.captured_queries:
                    print("   ", query["sql"][:150])

    profiler = cProfile.Profile() if args.profile else None
    with mock.patch("forum.services.rate_limit_hit"):
        for _ in range(args.warmup):
            for watchers in threads:
                post(watchers, timed=False)
        for _ in range(args.rounds):
            for watchers in threads:
                if profiler and watchers == args.profile:
                    profiler.enable()
                post(watchers, timed=True)
                if profiler:
                    profiler.disable()
    if profiler:
        print(f"--- where a reply to the thread with {args.profile} watcher(s) spends its time:")
        stats = pstats.Stats(profiler)
        stats.sort_stats(args.sort).print_stats(45)
        stats.dump_stats("/tmp/reply.prof")
    replies = (args.warmup + args.rounds) * len(threads)
    mail.outbox = []
    start_cpu, start = time.process_time(), time.perf_counter()
    run_tasks()
    worker_wall, worker_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    emails = len(mail.outbox)

    report = {"backend": connection.vendor, "cases": []}
    for watchers, r in results.items():
        report["cases"].append(
            {
                "watchers": watchers,
                "p50_ms": statistics.median(r["wall"]),
                "p95_ms": statistics.quantiles(r["wall"], n=20, method="inclusive")[-1],
                "cpu_p50_ms": statistics.median(r["cpu"]),
                "queries": sorted(set(r["queries"])),
            }
        )
    report["worker"] = {
        "replies": replies,
        "emails": emails,
        "wall_s": worker_wall,
        "cpu_s": worker_cpu,
        "ms_per_email": worker_wall * 1000 / max(emails, 1),
    }
    print(f"Nastavnik, {report['backend']}, {args.rounds} replies per thread:")
    for case in report["cases"]:
        print(
            f"  {case['watchers']:>3} watchers: p50 {case['p50_ms']:6.1f} ms  p95 "
            f"{case['p95_ms']:6.1f} ms  CPU p50 {case['cpu_p50_ms']:6.1f} ms  "
            f"queries {case['queries']}"
        )
    w = report["worker"]
    print(
        f"  worker afterwards: {w['emails']} emails for {w['replies']} replies in "
        f"{w['wall_s']:.1f} s ({w['wall_s'] * 1000 / w['replies']:.1f} ms per reply, "
        f"{w['ms_per_email']:.2f} ms per email, queue to locmem)"
    )
    if args.peer:
        spirit = run_peer(args.peer, "spirit_reply.py", args.rounds)
        by_count = {case["subscribers"]: case for case in spirit["cases"]}
        print("Spirit, same run:")
        for case in report["cases"]:
            theirs = by_count[case["watchers"]]
            print(
                f"  {case['watchers']:>3} watchers: p50 {theirs['p50_ms']:6.1f} ms  CPU p50 "
                f"{theirs['cpu_p50_ms']:6.1f} ms  queries {theirs['queries_min']}  ->  ours/"
                f"Spirit: wall {case['p50_ms'] / theirs['p50_ms']:.2f}×, CPU "
                f"{case['cpu_p50_ms'] / theirs['cpu_p50_ms']:.2f}×"
            )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--show-queries", action="store_true", help="print one reply's SQL")
    parser.add_argument(
        "--profile", type=int, metavar="WATCHERS", help="cProfile the replies to this thread"
    )
    parser.add_argument("--sort", default="cumulative", help="the profile's order")
    parser.add_argument("--peer", help="python of a venv with Spirit (bench/peers/README.md)")
    run_on_scratch_database(run, parser.parse_args())
