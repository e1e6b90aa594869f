"""The daily digest over a community of 5 000 members with unread notifications: its time,
its SQL queries and its peak memory, and then the workers' delivery of the digests.

Builds the members (all on the daily digest) and N unread notifications each with
bulk_create, then times `digest_send()` as the `notifications.digest` job runs it: it
streams the notifications in member order and queues each batch of 200 digests in one
transaction (outbox rows), so the queries grow with batches, not members, and memory with
a batch, not the community. Then the worker delivers the outbox to the locmem backend.

    .venv/bin/python bench/digest.py
    .venv/bin/python bench/digest.py --members 1000 --per-member 3
    DATABASE_URL=postgres://postgres@127.0.0.1/postgres .venv/bin/python bench/digest.py
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc

from _setup import run_on_scratch_database

os.environ["EMAIL_URL"] = "locmem://"


def run(args) -> None:
    from _setup import django_on_scratch_database

    django_on_scratch_database()
    from django.contrib.auth.hashers import make_password
    from django.core import mail
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from community.mailer.models import OutgoingEmail
    from community.notifications.models import Notification, NotificationPreference
    from community.notifications.services import digest_send
    from profiles.models import Department, User
    from tests.helpers import run_tasks

    started = time.perf_counter()
    department = Department.objects.create(name="Мэрия", kind="city_hall")
    password = make_password("x")
    User.objects.bulk_create(
        [
            User(
                email=f"m{n}@example.com",
                full_name=f"Участник {n}",
                search_name=f"участник {n}",
                slug=f"m{n}",
                password=password,
                department=department,
            )
            for n in range(args.members)
        ],
        batch_size=1000,
    )
    users = list(User.objects.values_list("pk", flat=True))
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user_id=pk, email_mode="daily") for pk in users], batch_size=1000
    )
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                kind="forum.watched_reply",
                text=f"Новый ответ в теме «Командировки, часть {k}»",
                url=f"/forum/t/{k}/",
                group_key=f"thread:{k}",
                created_at=now - timezone.timedelta(hours=k + 1),
            )
            for pk in users
            for k in range(args.per_member)
        ],
        batch_size=2000,
    )
    built = time.perf_counter() - started
    print(
        f"{args.members} members × {args.per_member} unread notifications "
        f"({connection.vendor}), built in {built:.1f} s"
    )

    reset_queries()
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        sent = digest_send()
        elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"digest_send: {sent} digests queued in {elapsed:.2f} s, {len(queries)} queries, "
        f"peak Python memory {peak / 2**20:.1f} MiB"
    )
    assert sent == args.members
    assert OutgoingEmail.objects.count() == args.members

    mail.outbox = []
    start = time.perf_counter()
    run_tasks()
    elapsed = time.perf_counter() - start
    print(
        f"delivery by the worker: {len(mail.outbox)} emails in {elapsed:.2f} s "
        f"({elapsed * 1000 / max(len(mail.outbox), 1):.2f} ms each, to locmem)"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--per-member", type=int, default=5)
    run_on_scratch_database(run, parser.parse_args())
