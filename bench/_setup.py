"""Set up Django for a benchmark on a throw-away database."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path


def django_on_scratch_database() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DEBUG", "1")
    if "DATABASE_URL" not in os.environ:
        scratch = Path(tempfile.mkdtemp(prefix="nastavnik-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def run_on_scratch_database(run, args) -> None:
    """run(args) on a throw-away database: a scratch PostgreSQL database next to the one
    DATABASE_URL names (dropped afterwards), or django_on_scratch_database's SQLite file."""
    database_url = os.environ.get("DATABASE_URL", "")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if not database_url.startswith("postgres"):
        run(args)
        return
    from tests.chat.live import scratch_database

    with scratch_database(database_url) as url:
        os.environ["DATABASE_URL"] = url
        run(args)


def run_peer(python: str, script: str, rounds: int) -> dict:
    """A peer's measurement (bench/peers/<script>, run by its own venv's `python`, as
    bench/peers/README.md sets up) in the same run as ours: its JSON report."""
    import json
    import subprocess

    peer = subprocess.run(
        [python, str(Path(__file__).parent / "peers" / script), "--rounds", str(rounds), "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    return json.loads(peer.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def explicit_timestamps(*models):
    """Let bulk_create keep the created_at (and other auto_now_add values) we set."""
    fields = [f for m in models for f in m._meta.fields if getattr(f, "auto_now_add", False)]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True
