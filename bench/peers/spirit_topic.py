"""Time a topic page in Spirit, a Django forum, as a peer for our topic benchmark
(bench/topic.py): the first page of a 300-reply topic and of a 20-post topic.

Run with Spirit's own virtualenv (set up as bench/peers/README.md says):

    var/peers/spirit/bin/python bench/peers/spirit_topic.py
    var/peers/spirit/bin/python bench/peers/spirit_topic.py --rounds 50 --json

Django is configured exactly as in spirit_reply.py (Spirit's project template, a scratch
SQLite file or PostgreSQL database). The data mirror bench/topic.py: 50 members, a topic
with 300 replies and one with 19, each reply the same Markdown text (emphasis, a list, a
link) through Spirit's own publish view, so each comment is cooked by Spirit. A member who
has read both then opens each topic's first page (Spirit shows 20 comments a page) through
Django's test client; reported: p50/p95 wall ms, p50 CPU ms, queries and the page's KiB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from spirit_reply import REPLY_BODY, configure, scratch_database

SIZES = {"300 replies": 300, "20 posts": 19}


def run(args: argparse.Namespace, database: dict, scratch: Path) -> dict:
    configure(database, scratch)
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from spirit.category.models import Category
    from spirit.topic.models import Topic

    User = get_user_model()
    category = Category.objects.create(title="Вопросы новичков", sort=1)
    members = [
        User.objects.create_user(username=f"member{n}", email=f"member{n}@example.com")
        for n in range(50)
    ]
    reader = members[-1]
    client = Client()
    topics = {}
    for name, replies in SIZES.items():
        client.force_login(members[0])
        client.post(
            reverse("spirit:topic:publish"),
            {"title": f"Тема: {name}", "category": category.pk, "comment": "С чего начать?"},
        )
        topic = Topic.objects.filter(user=members[0]).latest("pk")
        for n in range(replies):
            client.force_login(members[n % len(members)])
            response = client.post(
                reverse("spirit:comment:publish", kwargs={"topic_id": topic.pk}),
                {"comment": f"{REPLY_BODY}\n\nОтвет {n}."},
            )
            assert response.status_code == 302, response.status_code
        topics[name] = topic
    client.force_login(reader)
    results = {}
    for name, topic in topics.items():
        url = topic.get_absolute_url()
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
            "p50_ms": round(statistics.median(wall), 2),
            "p95_ms": round(statistics.quantiles(wall, n=20, method="inclusive")[-1], 2),
            "cpu_p50_ms": round(statistics.median(cpu), 2),
            "queries": max(queries),
            "kib": round(len(response.content) / 1024, 1),
            "comments_shown": response.content.count(b'js-comment"'),
        }
    return {
        "peer": "spirit",
        "measure": "topic page 1",
        "database": connection.vendor,
        "cases": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="spirit-bench-"))
    try:
        with scratch_database(os.environ.get("DATABASE_URL", ""), scratch) as database:
            report = run(args, database, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report["load_after"] = [round(x, 2) for x in os.getloadavg()]
    for name, case in report["cases"].items():
        print(f"Spirit topic, {name}: {case}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
