"""Chat under load: N websocket clients in M rooms posting at an aggregate rate R for T s.

For each server it reports the end-to-end latency (from `send` until every member of the
room holds the message) at p50/p95/p99, deliveries per second, errors, lost and duplicated
deliveries (both must be 0) and server memory per connection. The same load also goes to
a minimal raw `websockets` broadcast server, the physical-limit baseline, and each server
is given as a ratio to it.

    .venv/bin/python bench/chat.py                         # daphne, uvicorn, raw; in-memory layer
    .venv/bin/python bench/chat.py --rate 200 --servers uvicorn,raw
    REDIS_URL=redis://127.0.0.1:6379/1 DATABASE_URL=postgres://postgres@127.0.0.1/postgres \\
        .venv/bin/python bench/chat.py --processes 2       # two processes sharing Redis
    .venv/bin/python bench/chat.py --servers daphne --profile   # cProfile the server

Our servers run community.asgi with everything on: sessions, the origin check, membership
checks on every frame, markdown, the rate limit (far above this load: 20 messages per 10 s
per member), persistence in a transaction, and a broadcast on commit. The database is a
scratch SQLite file (the embedded default) unless DATABASE_URL names a PostgreSQL server,
in which case a scratch database is made there and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.chat import live

# What the load needs and nothing else: members in rooms, one logged-in session each.
SEED_SCRIPT = r"""
import json, sys
import django
django.setup()
from tests.chat.sessions import session_for
from chat import services as chat
from chat.models import Membership
from profiles import services as people
from profiles.models import User

clients, rooms = int(sys.argv[1]), int(sys.argv[2])
members = [people.user_create(email=f"bench{i}@example.com", full_name=f"Участник {i}",
                              password=None, role=User.Role.MENTOR) for i in range(clients)]
channels = [chat.channel_create(creator=members[r], name=f"Комната {r}") for r in range(rooms)]
Membership.objects.bulk_create(
    [Membership(room=channels[i % rooms], user=m) for i, m in enumerate(members) if i >= rooms])
sessions = [session_for(member) for member in members]
print(json.dumps([{"session": s, "room": channels[i % rooms].pk}
                  for i, s in enumerate(sessions)]))
"""

DRAIN_SECONDS = 5.0
PROJECT_PACKAGES = ("chat/", "community/", "forum/", "profiles/")
CONNECT_CONCURRENCY = 20


# --- The baseline: a broadcast server with nothing but websockets ----------------------


async def serve_raw(port: int) -> None:
    """Speak the same frames as /ws/: subscribe, send -> message to the room, then ack."""
    from websockets.asyncio.server import broadcast, serve

    rooms: dict[int, set] = defaultdict(set)
    sequence: dict[int, int] = defaultdict(int)
    next_id = iter(range(1, 10**12))

    async def connection(ws) -> None:
        await ws.send(json.dumps({"type": "hello", "protocol": 1}))
        followed: list[int] = []
        try:
            async for raw in ws:
                frame = json.loads(raw)
                if frame["type"] == "subscribe":
                    for entry in frame["rooms"]:
                        rooms[entry["room_id"]].add(ws)
                        followed.append(entry["room_id"])
                    await ws.send(
                        json.dumps(
                            {
                                "type": "subscribed",
                                "rooms": [
                                    {"room_id": r, "cursor": 0, "more": False} for r in followed
                                ],
                            }
                        )
                    )
                elif frame["type"] == "send":
                    room = frame["room_id"]
                    sequence[room] += 1
                    message_id = next(next_id)
                    broadcast(
                        rooms[room],
                        json.dumps(
                            {
                                "type": "message",
                                "room_id": room,
                                "id": message_id,
                                "seq": sequence[room],
                                "client_id": frame["client_id"],
                                "html": f"<p>{frame['body']}</p>",
                            }
                        ),
                    )
                    await ws.send(
                        json.dumps(
                            {
                                "type": "ack",
                                "client_id": frame["client_id"],
                                "message_id": message_id,
                            }
                        )
                    )
        finally:
            for room in followed:
                rooms[room].discard(ws)

    async with serve(connection, live.LOCAL, port, max_queue=None):
        await asyncio.get_running_loop().create_future()


@dataclass
class RawServer:
    """The baseline in its own process, so it gets a core like the others."""

    log: Path
    name: str = "raw"
    program: str = "raw websockets"
    port: int = field(default_factory=live.free_port)
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, __file__, "--serve-raw", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_healthy(self) -> None:
        live.wait_until(
            lambda: self.process.poll() is not None or _accepts(self.port),
            timeout=10,
            what="the raw server",
        )

    rss_kib = live.AppServer.rss_kib
    stop = live.AppServer.stop


def _accepts(port: int) -> bool:
    import socket

    with contextlib.suppress(OSError), socket.create_connection((live.LOCAL, port), 0.5):
        return True
    return False


# --- The load ------------------------------------------------------------------------


@dataclass
class Sent:
    room: int
    at: float
    acked: bool = False
    arrivals: int = 0
    complete_at: float | None = None


@dataclass
class Results:
    sent: dict[str, Sent] = field(default_factory=dict)
    room_sizes: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    deliveries: int = 0
    duplicates: int = 0
    unexpected: int = 0
    errors: list[dict] = field(default_factory=list)
    last_arrival: float = 0.0


class Client:
    def __init__(self, port: int, session: str, room: int, results: Results) -> None:
        self.port, self.session, self.room, self.results = port, session, room, results
        self.seen: set[int] = set()
        self.ws = None
        self.reader: asyncio.Task | None = None

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(
            f"ws://{live.LOCAL}:{self.port}/ws/",
            origin=f"http://{live.LOCAL}:{self.port}",
            additional_headers={"Cookie": f"sessionid={self.session}"},
            open_timeout=30,
            proxy=None,
            max_queue=None,
        )
        hello = json.loads(await self.ws.recv())
        assert hello["type"] == "hello", hello
        await self.ws.send(
            json.dumps({"type": "subscribe", "rooms": [{"room_id": self.room, "cursor": 0}]})
        )
        # An earlier server's run left history behind: its replay is not this run's load.
        while (subscribed := json.loads(await self.ws.recv()))["type"] != "subscribed":
            pass
        assert subscribed["rooms"], subscribed
        self.results.room_sizes[self.room] += 1
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        results = self.results
        async for raw in self.ws:
            now = time.perf_counter()
            frame = json.loads(raw)
            kind = frame["type"]
            if kind == "message":
                sent = results.sent.get(frame["client_id"])
                if sent is None:
                    results.unexpected += 1
                elif frame["id"] in self.seen:
                    results.duplicates += 1
                else:
                    self.seen.add(frame["id"])
                    results.deliveries += 1
                    results.last_arrival = now
                    sent.arrivals += 1
                    if sent.arrivals == results.room_sizes[sent.room]:
                        sent.complete_at = now
            elif kind == "ack":
                results.sent[frame["client_id"]].acked = True
            elif kind == "error":
                results.errors.append(frame)

    async def send(self) -> None:
        client_id = uuid.uuid4().hex
        self.results.sent[client_id] = Sent(room=self.room, at=time.perf_counter())
        await self.ws.send(
            json.dumps(
                {
                    "type": "send",
                    "room_id": self.room,
                    "body": f"Сообщение {client_id[:8]}",
                    "client_id": client_id,
                    "id": client_id,
                }
            )
        )

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
        with contextlib.suppress(Exception):
            await self.ws.close()


async def drive(
    ports: list[int],
    seats: list[dict],
    *,
    rate: float,
    seconds: float,
    servers,
    on_load=lambda: None,
) -> dict:
    results = Results()
    clients = [
        Client(ports[i % len(ports)], seat["session"], seat["room"], results)
        for i, seat in enumerate(seats)
    ]
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def connect(client: Client) -> None:
        async with gate:
            await client.connect()

    rss_before = sum(server.rss_kib() for server in servers)
    await asyncio.gather(*(connect(c) for c in clients))
    await asyncio.sleep(1)  # let the servers settle before measuring memory
    rss_connected = sum(server.rss_kib() for server in servers)
    on_load()

    loop = asyncio.get_running_loop()
    start, started_at = loop.time(), time.perf_counter()
    count = int(rate * seconds)
    for n in range(count):
        # Absolute schedule: a slow send does not slow the rate down, it queues behind.
        delay = start + n / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        await clients[n % len(clients)].send()
    deadline = loop.time() + DRAIN_SECONDS
    while loop.time() < deadline and not all(s.complete_at for s in results.sent.values()):
        await asyncio.sleep(0.05)
    rss_end = sum(server.rss_kib() for server in servers)
    for client in clients:
        await client.close()

    latencies = sorted(
        (s.complete_at - s.at) * 1000 for s in results.sent.values() if s.complete_at
    )
    expected = sum(results.room_sizes[s.room] for s in results.sent.values())
    return {
        "sent": count,
        "acked": sum(s.acked for s in results.sent.values()),
        "complete": len(latencies),
        "p50": _percentile(latencies, 50),
        "p95": _percentile(latencies, 95),
        "p99": _percentile(latencies, 99),
        "delivered_per_s": results.deliveries / max(results.last_arrival - started_at, 1e-9),
        "lost": expected - results.deliveries,
        "duplicated": results.duplicates + results.unexpected,
        "errors": len(results.errors),
        "error_codes": sorted({e.get("code") for e in results.errors}),
        "kib_per_connection": (rss_connected - rss_before) / len(clients),
        "rss_mib": (rss_before / 1024, rss_end / 1024),
    }


def _percentile(values: list[float], pct: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


# --- Our servers ---------------------------------------------------------------------


@contextlib.contextmanager
def our_site(args, workdir: Path):
    """A migrated, seeded scratch database; yields the server env and the seats."""
    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme in {"postgres", "postgresql"}:
        database = live.scratch_database(database_url)
    else:
        database = contextlib.nullcontext(f"sqlite:///{workdir / 'bench.sqlite3'}")
    with database as url:
        env = live.server_env(
            database_url=url,
            redis_url=os.environ.get("REDIS_URL", "") if args.processes > 1 or args.redis else "",
        )
        # The production profile, as deployed, except for TLS, which a proxy would end.
        env.update(
            DEBUG="0",
            SECRET_KEY=f"bench-{uuid.uuid4().hex}{uuid.uuid4().hex}",
            SECURE_SSL_REDIRECT="0",
            ALLOWED_HOSTS=live.LOCAL,
        )
        live.run_python(env, "manage.py", "migrate", "--noinput")
        seats = json.loads(
            live.run_python(env, "-c", SEED_SCRIPT, str(args.clients), str(args.rooms))
            .strip()
            .splitlines()[-1]
        )
        yield env, seats


def run_one(program: str, args, workdir: Path, env: dict, seats: list[dict]) -> dict:
    if program == "raw":
        servers = [RawServer(log=workdir / "raw.log")]
        seats = [{"session": "", "room": seat["room"]} for seat in seats]
    else:
        servers = [
            live.AppServer(f"{program}-{i}", env, workdir / f"{program}-{i}.log", program=program)
            for i in range(args.processes)
        ]
    live.start_servers(servers)
    profile = workdir / f"{program}.stacks"
    samplers: list[subprocess.Popen] = []

    def sample() -> None:  # the load only, not the connecting and subscribing
        if args.profile and program != "raw":
            samplers.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).with_name("py-spy")),
                        "record",
                        "--pid",
                        str(servers[0].process.pid),
                        "--format",
                        "raw",
                        "--rate",
                        "250",
                        "--nonblocking",
                        "-o",
                        str(profile),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    try:
        result = asyncio.run(
            drive(
                [s.port for s in servers],
                seats,
                rate=args.rate,
                seconds=args.seconds,
                servers=servers,
                on_load=sample,
            )
        )
    finally:
        for sampler in samplers:
            sampler.send_signal(signal.SIGINT)  # py-spy writes its samples on SIGINT
            sampler.wait(timeout=30)
        for server in servers:
            server.stop()
    if samplers:
        print_profile(program, profile)
    return result


def print_profile(program: str, stacks: Path, top: int = 30) -> None:
    """Where the samples of every thread went: own time, and time spent inside ours."""
    own: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    total = 0
    for line in stacks.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")[1:]  # the first is the thread
        samples = int(count)
        total += samples
        if frames:
            own[_short(frames[-1])] += samples
        for frame in {_short(f) for f in frames if _ours(f)}:
            inside[frame] += samples
    print(f"\n--- {program}: {total} samples of all threads, by own time ---")
    for frame, samples in own.most_common(top):
        print(f"{100 * samples / total:5.1f}%  {frame}")
    print(f"--- {program}: inclusive time in the project's own functions ---")
    for frame, samples in inside.most_common(top):
        print(f"{100 * samples / total:5.1f}%  {frame}")


def _ours(frame: str) -> bool:
    """A frame in the project's code (py-spy names files relative to sys.path)."""
    return frame.partition(" (")[2].startswith(PROJECT_PACKAGES)


def _short(frame: str) -> str:
    """'function (path/to/site-packages/pkg/mod.py:12)' -> 'function (pkg/mod.py)'."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "lib/python3.11/", f"{live.REPO_ROOT}/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})"


def report(name: str, result: dict, baseline: dict | None) -> None:
    ratio = ""
    if baseline is not None and baseline["p99"] > 0 and result is not baseline:
        ratio = (
            f"  ×{result['p50'] / baseline['p50']:.1f} p50, "
            f"×{result['p99'] / baseline['p99']:.1f} p99 of raw"
        )
    print(
        f"{name:<16} p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
        f"p99 {result['p99']:7.1f} ms  delivered {result['delivered_per_s']:6.0f}/s  "
        f"acked {result['acked']}/{result['sent']}  lost {result['lost']}  "
        f"dup {result['duplicated']}  errors {result['errors']} {result['error_codes'] or ''}"
        f"  {result['kib_per_connection']:.0f} KiB/conn  RSS {result['rss_mib'][0]:.0f}"
        f"→{result['rss_mib'][1]:.0f} MiB{ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rooms", type=int, default=10)
    parser.add_argument("--rate", type=float, default=100, help="messages per second, in all")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--servers", default="daphne,uvicorn,raw")
    parser.add_argument(
        "--processes", type=int, default=1, help="server processes; more than one needs REDIS_URL"
    )
    parser.add_argument(
        "--redis", action="store_true", help="use REDIS_URL for the layer even with one process"
    )
    parser.add_argument(
        "--profile", action="store_true", help="sample our first server with py-spy"
    )
    parser.add_argument(
        "--keep", metavar="DIR", help="work in DIR and keep it: server logs, database, samples"
    )
    parser.add_argument("--serve-raw", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_raw:
        asyncio.run(serve_raw(args.serve_raw))
        return
    if (args.processes > 1 or args.redis) and not os.environ.get("REDIS_URL"):
        parser.error("more than one process shares a Redis: set REDIS_URL")
    programs = args.servers.split(",")
    layer = "Redis" if args.processes > 1 or args.redis else "in-memory"
    print(
        f"{args.clients} clients in {args.rooms} rooms, {args.rate:g} msg/s for "
        f"{args.seconds:g} s; {args.processes} process(es), {layer} layer, "
        f"{'PostgreSQL' if 'postgres' in os.environ.get('DATABASE_URL', '') else 'SQLite'}"
    )
    with (
        contextlib.nullcontext(args.keep)
        if args.keep
        else tempfile.TemporaryDirectory(prefix="nastavnik-bench-chat-")
    ) as tmp:
        workdir = Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results: dict[str, dict] = {}
        with our_site(args, workdir) as (env, seats):
            # The baseline first, so every other line can carry its ratio.
            for program in sorted(programs, key=lambda p: p != "raw"):
                results[program] = run_one(program, args, workdir, env, seats)
                report(program, results[program], results.get("raw"))


if __name__ == "__main__":
    main()
