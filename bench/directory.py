"""Time the /people/ directory and count its queries as the community grows."""

from __future__ import annotations

import argparse
import statistics
import time

from _setup import django_on_scratch_database

django_on_scratch_database()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from profiles.models import Department, ExpertiseTag, User  # noqa: E402


def populate(members: int) -> User:
    city_hall = Department.objects.create(name="Мэрия", kind="city_hall")
    divisions = []
    for a in range(8):
        administration = Department.objects.create(
            name=f"Управление {a}", kind="administration", parent=city_hall
        )
        divisions += [
            Department.objects.create(name=f"Отдел {a}.{d}", kind="division", parent=administration)
            for d in range(4)
        ]
    tags = [ExpertiseTag.objects.create(name=f"Тема {n}", slug=f"tema-{n}") for n in range(20)]
    users = User.objects.bulk_create(
        User(
            email=f"u{n}@example.com",
            full_name=f"Сотрудник Номер {n}",
            search_name=f"сотрудник номер {n}",
            slug=f"u{n}",
            role="mentor" if n % 3 == 0 else "newcomer",
            department=divisions[n % 32],
        )
        for n in range(members)
    )
    through = User.expertise.through
    through.objects.bulk_create(
        through(user_id=u.pk, expertisetag_id=tags[(u.pk + k) % 20].pk)
        for u in users
        for k in range(3)
    )
    return users[0]


def time_page(client: Client, path: str, rounds: int = 20) -> tuple[float, int]:
    client.get(path)
    timings = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(timings), len(queries)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=2000)
    args = parser.parse_args()
    viewer = populate(args.members)
    client = Client()
    client.force_login(viewer)
    for path in [
        "/people/",
        "/people/?role=mentor",
        "/people/?q=номер+15",
        f"/people/?department={Department.objects.get(name='Управление 3').pk}",
    ]:
        ms, queries = time_page(client, path)
        print(f"{path:40} {ms:7.1f} ms median  {queries} queries  ({args.members} members)")
