"""Members log in while a coordinator imports a large HR file (issue 20).

On a scratch SQLite file (the embedded default, where one writer locks the database),
`manage.py import_employees` runs in its own process, first as a dry run, then for real,
while this process logs a member in again and again through Django's test client. The
logins are timed in three phases, the quiet baseline first, so the report is a ratio.

    .venv/bin/python bench/import_logins.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import django_on_scratch_database

PASSWORD = "bench-login-password-1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--quiet-seconds", type=float, default=10.0)
    args = parser.parse_args()
    django_on_scratch_database()
    from django.conf import settings

    # One address logs in hundreds of times a minute here; allauth's per-address limit
    # would answer 429 long before the database had anything to say.
    settings.ACCOUNT_RATE_LIMITS = False

    from allauth.account.models import EmailAddress

    from profiles import services
    from profiles.models import Department, User

    city = Department.objects.create(name="Мэрия", kind=Department.Kind.CITY_HALL)
    division = Department.objects.create(
        name="Отдел кадров", kind=Department.Kind.DIVISION, parent=city
    )
    member = services.user_create(
        email="login@example.com", password=PASSWORD, full_name="Входящий Сотрудник",
        role=User.Role.MENTOR,
    )  # fmt: skip
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    csv_file = Path(tempfile.mkdtemp()) / "employees.csv"
    with csv_file.open("w", encoding="utf-8") as out:
        out.write("email,full_name,department,position,service_start,service_end,role\n")
        for n in range(args.rows):
            out.write(f"e{n}@example.com,Сотрудник Номер {n},{division.name},Специалист,"
                      f"2024-01-15,,newcomer\n")  # fmt: skip

    print(f"{args.rows} rows; database {os.environ['DATABASE_URL']}")
    print(f"{'phase':<10} {'logins':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    quiet = _logins_while(None, seconds=args.quiet_seconds)
    _report("quiet", quiet)
    for phase, extra in (("dry run", ["--dry-run"]), ("import", [])):
        command = [sys.executable, "manage.py", "import_employees", str(csv_file), *extra]
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy()
        )
        times = _logins_while(process)
        took = time.perf_counter() - started
        _report(phase, times)
        stderr = process.stderr.read().decode() if process.stderr else ""
        print(f"{'':<10} the {phase} took {took:.1f} s, exit {process.returncode}"
              + (f": {stderr.strip()[:200]}" if process.returncode else ""))  # fmt: skip
    print(f"members now: {User.objects.count()}")
    if quiet[0]:
        print(f"p95 during the import / quiet: {_p95(times[0]) / _p95(quiet[0]):.1f}x")


def _logins_while(process, *, seconds: float = 0.0) -> tuple[list[float], int]:
    from django.test import Client

    durations, errors = [], 0
    deadline = time.perf_counter() + seconds
    while (process.poll() is None) if process else (time.perf_counter() < deadline):
        client = Client()
        started = time.perf_counter()
        response = client.post(
            "/accounts/login/", {"login": "login@example.com", "password": PASSWORD}
        )
        durations.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            errors += 1
    return durations, errors


def _p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile: a value that was measured."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _report(phase: str, result: tuple[list[float], int]) -> None:
    durations, errors = result
    if not durations:
        print(f"{phase:<10} no logins")
        return
    print(f"{phase:<10} {len(durations):>6} {errors:>6} {statistics.median(durations):>8.0f} "
          f"{_p95(durations):>8.0f} {max(durations):>8.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
