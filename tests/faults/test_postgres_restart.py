"""PostgreSQL restarted while the site is idle: the next page and the next chat message
work without anyone restarting daphne, and the conversation has no gap and no duplicate.

It restarts the machine's PostgreSQL cluster, which breaks every open connection,
pytest's own included; so it is marked `postgres_restart`, left out of the main
PostgreSQL pass and run on its own by .ci/run, and it skips where it may not restart the
cluster (not root, or no pg_ctlcluster).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time

import pytest

from tests.chat import live
from tests.faults.scenario import assert_whole, close, run, status, tab

MISSING = live.missing_services()
pytestmark = [
    pytest.mark.postgres_restart,
    pytest.mark.skipif(MISSING is not None, reason=f"PostgreSQL restart: {MISSING}"),
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("pg_ctlcluster"),
        reason="restarting PostgreSQL needs root and pg_ctlcluster",
    ),
]


def _restart_postgresql() -> float:
    """Restart the cluster serving 127.0.0.1:5432; return how long it was away, in s."""
    version, name = next(
        line.split()[:2]
        for line in subprocess.run(
            ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
        ).stdout.splitlines()
        if line.split()[2] == "5432"
    )
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    live.wait_until(
        lambda: (
            subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0
        ),
        timeout=30,
        what="PostgreSQL accepting connections again",
    )
    return time.monotonic() - started


def test_the_site_recovers_by_itself_after_postgresql_restarts(site, redis, servers):
    (one,) = servers(redis.url, count=1)

    async def scenario():
        a, b = tab(site, "postgres", 0, one.port), tab(site, "postgres", 1, one.port)
        sent = [f"до перезапуска {i}" for i in range(3)]
        try:
            await a.start()
            await b.start()
            await a.send_all(sent, timeout=10)
            await b.wait_for_count(len(sent), timeout=10)
            assert status(one.port, "/healthz") == 200

            away = await asyncio.to_thread(_restart_postgresql)
            print(f"PostgreSQL was away for {away:.1f} s")

            # The first request after the restart finds its pooled connection dead and
            # opens a new one: no error page, no operator.
            assert status(one.port, "/healthz") == 200
            assert status(one.port, "/accounts/login/") == 200
            after = [f"после перезапуска {i}" for i in range(3)]
            sent.extend(after)
            await b.send_all(after, timeout=15)
            for client in (a, b):
                await client.wait_for_count(len(sent), timeout=15)
            await asyncio.sleep(0.3)
        finally:
            await close(a, b)
        assert one.process.poll() is None
        for client in (a, b):
            assert_whole(client, sent)
        assert not b.errors, b.errors

    run(scenario())
