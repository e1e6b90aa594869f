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
