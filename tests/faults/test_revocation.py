"""Revocation reaches every process (issue 20): a member deactivated by one process (a
management shell here, the admin in life) loses the socket that another daphne process
holds for them, through the shared Redis channel layer.

Real servers, as in test_processes.py; they need REDIS_URL and a PostgreSQL DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from tests.chat import live
from tests.faults.scenario import run

MISSING = live.missing_services()
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(MISSING is not None, reason=f"multi-process revocation: {MISSING}"),
]

DEACTIVATE = r"""
import sys
import django
django.setup()
from profiles import services
from profiles.models import User

member = User.objects.get(email=sys.argv[1])
member.is_active = False
services.user_save(user=member)
"""


def test_deactivating_a_member_closes_their_socket_on_another_process(site, redis, servers):
    _one, two = servers(redis.url)
    env = live.server_env(database_url=site["database_url"], redis_url=redis.url)
    conversation = live.seed(env, ["revoked"])["revoked"]

    closes: list[tuple[int, float]] = []

    async def scenario() -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed

        async with connect(
            f"ws://{live.LOCAL}:{two.port}/ws/",
            origin=f"http://{live.LOCAL}:{two.port}",
            additional_headers={"Cookie": f"sessionid={conversation['sessions'][0]}"},
            open_timeout=5,
            proxy=None,
        ) as ws:
            assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "hello"
            await asyncio.to_thread(
                live.run_python, env, "-c", DEACTIVATE, "revoked-алия@example.com"
            )
            deactivated = time.perf_counter()
            with pytest.raises(ConnectionClosed) as closed:
                while True:  # frames may still be on the way before the close
                    await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd is not None
            closes.append((closed.value.rcvd.code, time.perf_counter() - deactivated))

    run(scenario())
    code, after = closes[0]
    assert code == 4401
    # The command's own exit comes after its commit, so this is an upper bound.
    print(f"the other process closed the socket {after * 1000:.0f} ms after the command exited")
