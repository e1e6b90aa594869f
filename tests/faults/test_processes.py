"""Chat across real daphne processes sharing Redis, and what survives when parts fail:
a worker killed mid-conversation, Redis restarted, a stalled worker whose clients' events
overflow the channel layer.

Each test starts real servers (tests/chat/live.py): daphne subprocesses on free ports, a
scratch PostgreSQL database of their own, and a redis-server of its own on a free port, so
that a run shares no group, no key and no flush with anything else on the machine (another
run of this file included). They need REDIS_URL and a PostgreSQL DATABASE_URL, which the
second pass of .ci/run sets; elsewhere they skip.
"""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from tests.chat import live
from tests.faults.scenario import assert_whole, close, run, stats, status, tab

MISSING = live.missing_services()
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(MISSING is not None, reason=f"multi-process chat: {MISSING}"),
]


# --- Tests ---------------------------------------------------------------------------


def test_a_message_crosses_from_one_daphne_process_to_another(site, redis, servers):
    one, two = servers(redis.url)

    async def scenario():
        a, b = tab(site, "crossing", 0, one.port), tab(site, "crossing", 1, two.port)
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
            await close(a, b)
        expected = [ack["seq"] for ack in acks]
        assert expected == list(range(1, 41))
        for client in (a, b):
            # Every message once, in order, as it happened: no replay was needed.
            assert [event["seq"] for event in client.live] == expected, client.name
            assert {event["via"] for event in client.live} == {"live"}, client.name
            assert client.connections == 1, f"{client.name} reconnected: {client.drops}"
            assert_whole(client, from_a + from_b)

    run(scenario())


def test_conversation_survives_a_redis_restart(site, redis, servers):
    one, two = servers(redis.url)

    async def scenario():
        # Two tabs per process: the socket whose receive notices the failure first is not
        # the only one whose room membership Redis forgets.
        tabs = [
            tab(site, "restart", 0, one.port),
            tab(site, "restart", 0, one.port, suffix="2"),
            tab(site, "restart", 1, two.port),
            tab(site, "restart", 1, two.port, suffix="2"),
        ]
        a, b = tabs[0], tabs[2]
        sent: list[str] = []

        async def talk(phase: str, count: int, timeout: float) -> None:
            for speaker in (a, b):
                bodies = [f"{speaker.name} {phase} {i}" for i in range(count)]
                sent.extend(bodies)
                await speaker.send_all(bodies, timeout=timeout)
            for each in tabs:
                await each.wait_for_count(len(sent), timeout=timeout)

        try:
            for each in tabs:
                await each.start()
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
            for each in tabs:
                await each.wait_for_count(len(sent), timeout=15)

            # A quick restart, as a supervisor does it: every tab must hear the room again.
            redis.stop()
            redis.start()
            await asyncio.sleep(1)
            await talk("после", 4, timeout=15)
            await asyncio.sleep(0.3)
        finally:
            await close(*tabs)
        assert one.process.poll() is None and two.process.poll() is None
        for each in tabs:
            assert_whole(each, sent)
        print(f"after two Redis restarts: {stats(*tabs)}")

    run(scenario())


def test_clients_of_a_killed_worker_reconnect_and_catch_up(site, redis, servers):
    one, two = servers(redis.url)

    async def scenario():
        # The orphan's "load balancer" knows both servers; it is on the first.
        orphan = tab(site, "killed", 0, one.port, two.port)
        speaker = tab(site, "killed", 1, two.port)
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
            await close(orphan, speaker)
        assert orphan.port == two.port and orphan.connections == 2, orphan.drops
        assert speaker.connections == 1, speaker.drops
        for client in (orphan, speaker):
            assert_whole(client, sent)
        print(f"after SIGKILL: {stats(orphan, speaker)}")

    run(scenario())


def test_a_stalled_worker_overflows_the_channel_layer_and_its_client_catches_up(
    site, redis, servers
):
    """A worker that stops reading (frozen here with SIGSTOP, as a long GC pause or a
    swapped-out process would) lets its sockets' events pile up in Redis past the layer's
    capacity, where new ones are dropped. When it wakes and the next message comes, its
    client sees the hole in the sequence and fetches the rest from its cursor: every
    message once, nothing missing. (Until a next message comes, a quiet room's client does
    not know what it missed; docs/realtime-protocol.md says so.)"""
    one, two = servers(redis.url, CHANNEL_LAYER_CAPACITY="5")

    async def scenario():
        sleeper = tab(site, "stalled", 0, one.port)
        speaker = tab(site, "stalled", 1, two.port)
        bodies = [f"пока сервер спит {i}" for i in range(18)]
        try:
            await sleeper.start()
            await speaker.start()
            os.kill(one.process.pid, signal.SIGSTOP)
            try:
                await speaker.send_all(bodies, timeout=15)  # all stored and acknowledged
                await speaker.wait_for_count(len(bodies), timeout=10)
            finally:
                os.kill(one.process.pid, signal.SIGCONT)
            bodies.append("проснулся?")
            await speaker.send_all(bodies[-1:], timeout=10)
            await sleeper.wait_for_count(len(bodies), timeout=20)
            await asyncio.sleep(0.3)
        finally:
            await close(sleeper, speaker)
        assert sleeper.gap_fills >= 1, "nothing was dropped: the test did not overflow"
        assert one.process.poll() is None
        for client in (sleeper, speaker):
            assert_whole(client, bodies)
        print(f"after a stalled worker: {stats(sleeper, speaker)}")

    run(scenario())


def test_the_health_check_stays_green_while_members_are_connected(site, redis, servers):
    """The load balancer asks /healthz all the time; a connected socket once made its
    channel-layer probe time out, so a busy process looked dead."""
    (one,) = servers(redis.url, count=1)

    async def scenario():
        a = tab(site, "crossing", 0, one.port)
        try:
            await a.start()
            for _ in range(3):
                assert await asyncio.to_thread(status, one.port, "/healthz") == 200
        finally:
            await close(a)

    run(scenario())
