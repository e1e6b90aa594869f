"""Real servers for the fault runs: a scratch PostgreSQL database, a redis-server and
daphne processes of each test's own (tests/chat/live.py). They need REDIS_URL and a
PostgreSQL DATABASE_URL, which the second pass of .ci/run sets; elsewhere they skip."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from tests.chat import live
from tests.faults.scenario import tail

# One room with two logged-in members for each scenario in this package.
CONVERSATIONS = ["crossing", "restart", "killed", "stalled", "postgres"]


def pytest_runtest_setup(item) -> None:
    """A postgres_restart test breaks every connection to PostgreSQL, so under pytest-xdist
    it refuses to start (before its fixtures build anything) while other tests are in the
    run: the other workers would lose theirs mid-test. Run it alone, as .ci/run does."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if item.get_closest_marker("postgres_restart") is None or workers < 2:
        return
    others = [i for i in item.session.items if i.get_closest_marker("postgres_restart") is None]
    if others:
        pytest.fail(
            f"restarting PostgreSQL while {workers - 1} other xdist worker(s) run "
            f"{len(others)} other tests would break their connections; run it alone: "
            "make test PYTEST_PARALLEL= PYTEST_ARGS='tests/faults -m postgres_restart'",
            pytrace=False,
        )


@pytest.fixture(scope="package")
def site() -> Iterator[dict]:
    """A migrated scratch database with a room and two logged-in members per scenario."""
    with live.scratch_database(os.environ["DATABASE_URL"]) as database_url:
        env = live.server_env(database_url=database_url, redis_url="")  # no Redis needed
        live.run_python(env, "manage.py", "migrate", "--noinput")
        yield {"database_url": database_url, **live.seed(env, CONVERSATIONS)}


@pytest.fixture
def redis(tmp_path) -> Iterator[live.RedisServer]:
    """A redis-server of this test's own: stopping it disturbs nobody else."""
    server = live.RedisServer(port=live.free_port(), log=tmp_path / "redis.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def servers(site, tmp_path) -> Iterator[Callable[..., tuple[live.AppServer, ...]]]:
    """servers(redis_url, count=2, **env) -> daphne processes on the scratch database."""
    started: list[live.AppServer] = []

    def start(redis_url: str, count: int = 2, **extra: str) -> tuple[live.AppServer, ...]:
        env = live.server_env(database_url=site["database_url"], redis_url=redis_url, **extra)
        batch = tuple(
            live.AppServer(name, env, tmp_path / f"{name}.log")
            for name in ("one", "two", "three")[:count]
        )
        started.extend(batch)
        live.start_servers(list(batch))
        return batch

    try:
        yield start
    finally:
        for server in started:
            server.stop()
        for server in started:  # shown when the test failed
            print(f"--- daphne {server.name} (tail) ---\n{tail(server.log)}")
