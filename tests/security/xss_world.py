"""The XSS world: the demo community with every vector of the corpus in every surface
(xss_seed.py), built once per test run and served by a daphne of each worker's own.

Seeding it takes most of a minute, so it is built in the background as soon as a process
has collected an XSS case, while the tests before them run; under pytest-xdist the first
worker to get there builds it (a file lock in the run's shared temporary directory) and the
others reuse the database. Every worker serves a copy of its own, so a worker's visits
(sessions, read notifications) never touch another's.

The pages a reader opens are grouped by surface, and the big surfaces are cut into chunks:
each (surface, chunk) is one test case, so that xdist spreads them over the workers.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

from tests.browser.conftest import COMMAND_TIMEOUT, REPO_ROOT, _free_port, _server_env

BUILD_TIMEOUT = COMMAND_TIMEOUT * 3 + 2 * COMMAND_TIMEOUT
_LOCK_NAME = "xss-world.lock"
_SEED = "import json; from tests.security.xss_seed import seed; print(json.dumps(seed()))"


# --- Which pages each case opens -------------------------------------------------------

# (surface, number of chunks): the surfaces with a page per vector are cut up, so that
# no case takes much longer than the others.
SURFACES = {
    "threads": 4,  # each vector's thread (title, opening post, @mention), then all replies
    "thread-lists": 1,  # the category's pages of titles
    "chat": 1,  # the rooms holding every vector as a message
    "articles": 1,  # articles titled with a vector, holding all of them, and a history
    "profiles": 1,  # bios, and the directory of members named after vectors
    "notifications": 1,  # the reader's, written by those members
    "search": 4,  # each vector as a (reflected) query, and queries that find them all
    "home": 1,
}
CASES = [
    f"{surface}-{chunk + 1}of{count}" if count > 1 else surface
    for surface, count in SURFACES.items()
    for chunk in range(count)
]


def pages_by_surface(seeded: dict) -> dict[str, list[str]]:
    """Every page the reader opens, by surface, in the order the reader opens them."""
    listed = [f"{seeded['category']}?page={n}" for n in range(1, 12)]
    people = [f"/people/?page={n}" for n in range(1, 11)]
    notifications = [f"/notifications/?page={n}" for n in range(1, 9)]
    searches = [f"/search/?q={quote(query)}" for query in seeded["queries"]]
    searches += ["/search/?q=alert", "/search/?q=script", "/search/?q=javascript"]
    return {
        "threads": seeded["threads"],
        "thread-lists": listed,
        "chat": seeded["rooms"],
        "articles": seeded["articles"],
        "profiles": seeded["profiles"] + people,
        "notifications": notifications,
        "search": searches,
        "home": ["/", "/kb/"],
    }


def all_pages(seeded: dict) -> list[str]:
    return [url for urls in pages_by_surface(seeded).values() for url in urls]


def pages_for(seeded: dict, case: str) -> list[str]:
    """The pages of one case: its surface's pages, or one contiguous chunk of them."""
    if case in SURFACES:
        return pages_by_surface(seeded)[case]
    surface, _, fraction = case.rpartition("-")
    number, count = (int(part) for part in fraction.split("of"))
    assert SURFACES[surface] == count, case
    urls = pages_by_surface(seeded)[surface]
    return urls[len(urls) * (number - 1) // count : len(urls) * number // count]


# --- Building it once ------------------------------------------------------------------


class WorldFailure(RuntimeError):
    """The world could not be built; the message carries the commands' output."""


def shared_directory(config) -> Path:
    """This run's temporary directory that every xdist worker sees (the workers' own are
    below it), or this process's own in a run without workers."""
    basetemp = config._tmp_path_factory.getbasetemp()
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


class WorldBuild:
    """Builds the world in a background thread, or waits for another worker's build."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared
        self.root = shared / "xss-world"
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen | None = None
        self._cancelled = False
        self._result: dict | None = None
        self._error: str | None = None

    @property
    def database(self) -> Path:
        return self.root / "db.sqlite3"

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="xss-world", daemon=True)
            self._thread.start()

    def building(self) -> bool:
        """Whether this process is the one building (not merely waiting for another)."""
        return self._process is not None and self._thread.is_alive()

    def result(self) -> dict:
        """The seeded world's pages, once it is built (here or by another worker)."""
        self.start()
        self._thread.join(BUILD_TIMEOUT)
        if self._thread.is_alive():
            raise WorldFailure(f"the XSS world was not built within {BUILD_TIMEOUT} s")
        if self._error is not None:
            raise WorldFailure(self._error)
        return self._result

    def cancel(self) -> None:
        """Stop a build that nobody will use (an interrupted or a single-process run)."""
        self._cancelled = True
        if self._process is not None and self._process.poll() is None:
            self._process.kill()

    def _run(self) -> None:
        try:
            self._result = self._build_or_reuse()
        except Exception as error:
            self._error = str(error)

    def _build_or_reuse(self) -> dict:
        self.shared.mkdir(parents=True, exist_ok=True)
        done, failed = self.root / "seeded.json", self.root / "failed.txt"
        with (self.shared / _LOCK_NAME).open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one worker builds; the others wait here
            if done.exists():
                return json.loads(done.read_text())
            if failed.exists():
                raise WorldFailure(failed.read_text())
            try:
                seeded = self._build()
            except WorldFailure as error:
                failed.write_text(str(error))
                raise
            done.write_text(json.dumps(seeded))
            return seeded

    def _build(self) -> dict:
        (self.root / "mail").mkdir(parents=True)
        env = _server_env(self.root, _free_port())
        self._manage(env, "migrate", "--noinput")
        self._manage(env, "seed_demo")
        output = self._manage(env, "shell", "-c", _SEED, timeout=COMMAND_TIMEOUT * 3)
        # What the seeding left to the workers (new replies' search entries among it), done
        # before the world is copied to each server.
        self._manage(env, "run_worker", "--batch", "--no-schedule", timeout=COMMAND_TIMEOUT * 3)
        return json.loads(output.strip().splitlines()[-1])

    def _manage(self, env: dict[str, str], *args: str, timeout: int = COMMAND_TIMEOUT) -> str:
        if self._cancelled:
            raise WorldFailure("the XSS world's build was cancelled")
        self._process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            stdout, stderr = self._process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            stdout, stderr = self._process.communicate()
            raise WorldFailure(
                f"manage.py {args[0]} took over {timeout} s:\n{stdout}\n{stderr}"
            ) from None
        if self._process.returncode != 0:
            raise WorldFailure(
                f"manage.py {' '.join(args)[:80]} failed ({self._process.returncode}):\n"
                f"{stdout}\n{stderr}"
            )
        return stdout


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database in WAL mode (the WAL included)."""
    original, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        original.backup(copy)
    finally:
        original.close()
        copy.close()
