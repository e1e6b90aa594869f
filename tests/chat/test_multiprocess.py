"""Chat across real daphne processes sharing Redis, and what survives when parts fail.

Each test starts real servers (tests/chat/live.py): daphne subprocesses on free ports, a
scratch PostgreSQL database of their own, and a redis-server of its own on a free port, so
that a run shares no group, no key and no flush with anything else on the machine (another
run of this file included). They need REDIS_URL and a PostgreSQL DATABASE_URL, which the
second pass of .ci/run sets; elsewhere they skip.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.chat import live

MISSING = live.missing_services()
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(MISSING is not None, reason=f"multi-process chat: {MISSING}"),
]

TEST_TIMEOUT = 60.0
CONVERSATIONS = ["crossing", "restart", "killed"]


# --- Fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> Iterator[dict]:
    """A migrated scratch database with a room and two logged-in members per test."""
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
def servers(site, tmp_path) -> Iterator[Callable[[str], tuple[live.AppServer, live.AppServer]]]:
    """servers(redis_url) -> two daphne processes on the scratch database and that Redis."""
    started: list[live.AppServer] = []

    def start(redis_url: str) -> tuple[live.AppServer, live.AppServer]:
        env = live.server_env(database_url=site["database_url"], redis_url=redis_url)
        pair = (live.AppServer("one", env, tmp_path / "one.log"),
                live.AppServer("two", env, tmp_path / "two.log"))
        started.extend(pair)
        live.start_servers(list(pair))
        return pair

    try:
        yield start
    finally:
        for server in started:
            server.stop()
        for server in started:  # shown when the test failed
            print(f"--- daphne {server.name} (tail) ---\n{_tail(server.log)}")


def _tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _run(scenario) -> None:
    asyncio.run(asyncio.wait_for(scenario, TEST_TIMEOUT))


def _tab(site: dict, name: str, who: int, *ports: int, tab: str = "") -> live.ChatClient:
    conversation = site[name]
    return live.ChatClient(name=f"{'AB'[who]}{tab}", ports=list(ports),
                           session_key=conversation["sessions"][who],
                           room_id=conversation["room"])


def _assert_whole(client: live.ChatClient, sent: list[str]) -> None:
    """The client holds every message exactly once, with no gap in the room's sequence."""
    messages = client.messages()
    seqs = [m["seq"] for m in messages]
    assert seqs == list(range(1, len(sent) + 1)), f"{client.name}: gaps or extras in {seqs}"
    assert sorted(client.bodies()) == sorted(sent), f"{client.name}: wrong messages"
    assert len({m["client_id"] for m in messages}) == len(sent), f"{client.name}: a duplicate"


async def _close(*clients: live.ChatClient) -> None:
    for client in clients:
        await client.close()


def _stats(*clients: live.ChatClient) -> str:
    return "; ".join(f"{c.name}: {c.connections} connections, {c.gap_fills} gap fills"
                     for c in clients)


# --- Tests ---------------------------------------------------------------------------


def test_a_message_crosses_from_one_daphne_process_to_another(site, redis, servers):
    one, two = servers(redis.url)

    async def scenario():
        a, b = _tab(site, "crossing", 0, one.port), _tab(site, "crossing", 1, two.port)
        try:
            await a.start()
            await b.start()
            from_a = [f"Алия пишет {i}" for i in range(20)]
            acks = await a.send_all(from_a, timeout=15)
            await b.wait_for_count(20, timeout=10)
            # Idle sockets must stay open: a read timeout under channels_redis's blocking
            # receive once closed one every 5 s.
            await asyncio.sleep(6)
            from_b = [f"Рустем отвечает {i}" for i in range(20)]
            acks += await b.send_all(from_b, timeout=15)
            await a.wait_for_count(40, timeout=10)
            await b.wait_for_count(40, timeout=10)
            await asyncio.sleep(0.3)  # a late duplicate would arrive by now
        finally:
            await _close(a, b)
        expected = [ack["seq"] for ack in acks]
        assert expected == list(range(1, 41))
        for client in (a, b):
            # Every message once, in order, as it happened: no replay was needed.
            assert [event["seq"] for event in client.live] == expected, client.name
            assert {event["via"] for event in client.live} == {"live"}, client.name
            assert client.connections == 1, f"{client.name} reconnected: {client.drops}"
            _assert_whole(client, from_a + from_b)

    _run(scenario())


def test_conversation_survives_a_redis_restart(site, redis, servers):
    one, two = servers(redis.url)

    async def scenario():
        # Two tabs per process: the socket whose receive notices the failure first is not
        # the only one whose room membership Redis forgets.
        tabs = [_tab(site, "restart", 0, one.port), _tab(site, "restart", 0, one.port, tab="2"),
                _tab(site, "restart", 1, two.port), _tab(site, "restart", 1, two.port, tab="2")]
        a, b = tabs[0], tabs[2]
        sent: list[str] = []

        async def talk(phase: str, count: int, timeout: float) -> None:
            for speaker in (a, b):
                bodies = [f"{speaker.name} {phase} {i}" for i in range(count)]
                sent.extend(bodies)
                await speaker.send_all(bodies, timeout=timeout)
            for tab in tabs:
                await tab.wait_for_count(len(sent), timeout=timeout)

        try:
            for tab in tabs:
                await tab.start()
            await talk("до", 4, timeout=10)

            # Redis stops in the middle of the conversation; both sides keep typing.
            redis.stop()
            pending = []
            for i in range(3):
                for speaker in (a, b):
                    body = f"{speaker.name} во время сбоя {i}"
                    sent.append(body)
                    pending.append(await speaker.send(body))
                await asyncio.sleep(0.3)
            redis.start()  # the same port, empty: no groups, no queued events
            await asyncio.wait_for(asyncio.gather(*pending), 20)
            for tab in tabs:
                await tab.wait_for_count(len(sent), timeout=15)

            # A quick restart, as a supervisor does it: every tab must hear the room again.
            redis.stop()
            redis.start()
            await asyncio.sleep(1)
            await talk("после", 4, timeout=15)
            await asyncio.sleep(0.3)
        finally:
            await _close(*tabs)
        assert one.process.poll() is None and two.process.poll() is None
        for tab in tabs:
            _assert_whole(tab, sent)
        print(f"after two Redis restarts: {_stats(*tabs)}")

    _run(scenario())


def test_clients_of_a_killed_worker_reconnect_and_catch_up(site, redis, servers):
    one, two = servers(redis.url)

    async def scenario():
        # The orphan's "load balancer" knows both servers; it is on the first.
        orphan = _tab(site, "killed", 0, one.port, two.port)
        speaker = _tab(site, "killed", 1, two.port)
        sent: list[str] = []
        try:
            await orphan.start()
            await speaker.start()
            before = [f"до падения {i}" for i in range(5)]
            sent += before
            await speaker.send_all(before, timeout=10)
            await orphan.wait_for_count(5, timeout=10)

            async def keep_talking():
                bodies = [f"пока сервер лежит {i}" for i in range(14)]
                sent.extend(bodies)
                acks = []
                for body in bodies:
                    acks.append(await speaker.send(body))
                    await asyncio.sleep(0.05)
                await asyncio.wait_for(asyncio.gather(*acks), 15)

            talking = asyncio.create_task(keep_talking())
            await asyncio.sleep(0.2)
            one.kill()
            # The orphan writes into a dead socket: its outbox resends after reconnecting.
            mine = [f"сирота пишет {i}" for i in range(2)]
            sent += mine
            await orphan.send_all(mine, timeout=15)
            await talking
            for client in (orphan, speaker):
                await client.wait_for_count(len(sent), timeout=10)
            await asyncio.sleep(0.3)
        finally:
            await _close(orphan, speaker)
        assert orphan.port == two.port and orphan.connections == 2, orphan.drops
        assert speaker.connections == 1, speaker.drops
        for client in (orphan, speaker):
            _assert_whole(client, sent)
        print(f"after SIGKILL: {_stats(orphan, speaker)}")

    _run(scenario())
