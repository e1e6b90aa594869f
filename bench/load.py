"""Load run: two daphne processes sharing PostgreSQL and Redis; chat, forum and search mixed.

300 websocket clients (tests/chat/live.py's ChatClient: it reconnects, resubscribes from its
cursor and resends what was not acknowledged) follow their rooms on both processes and post
at an aggregate rate; 30 members reply in forum threads over HTTP as a browser does (the
thread page, then its reply form with the CSRF and submission tokens); members search in
Russian. After a warm-up the load runs for --seconds, then drains. The report gives, per
operation, count, p50/p95/p99 and errors by kind; lost and duplicated chat deliveries (both
must be 0, else the exit code is 1), checked again against the database; and each server's
RSS after the warm-up, along the run and at the end, with Redis's memory.

    .venv/bin/python bench/load.py                     # 180 s of load, ~4 min in all
    .venv/bin/python bench/load.py --seconds 30        # a quick run
    .venv/bin/python bench/load.py --chat-rate 30 --reply-rate 3 --search-rate 10

The database is a scratch one made next to DATABASE_URL (by default
postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards; Redis is a private
redis-server on a free port unless --redis-url names one (its keys are not cleaned up). The
servers run the production profile (DEBUG off, collected static files, emails to files)
except for TLS, which a proxy would end. The seed runs in subprocesses: bench/chat.py's
SEED_SCRIPT for the chat members, rooms and sessions, and this file's for the posters, the
forum threads and bench/search.py's generated documents in the search index.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import http.client
import http.cookies
import importlib.util
import json
import os
import random
import re
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/search.py imports _setup
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.chat import live

BENCH = Path(__file__).resolve().parent


def _bench_module(name: str):
    """bench/<name>.py as a module: 'chat' and 'search' would be other modules by name."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench_chat = _bench_module("chat")  # SEED_SCRIPT, CONNECT_CONCURRENCY, _percentile
corpus = _bench_module("search")  # QUERIES, sentence(), text(), build()

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
CHAT_PREFIX = "Нагрузка"
REPLY_PREFIX = "Ответ нагрузки"
TOKEN = re.compile(rf"{CHAT_PREFIX} ([0-9a-f]{{16}})")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_INPUT = re.compile(r'name="submission_token" value="([^"]*)"')
ACCESS_LOG = re.compile(r'^\S+ - - \[[^]]+\] "')
HTTP_TIMEOUT = 30
DRAIN_LIMIT = 300
GROUPS_SETTLE = 3.0  # s for the servers to see the clients' goodbyes
LAYER_PREFIX = "nastavnik"  # CHANNEL_LAYERS' prefix in community/settings.py
POSTS_PER_MINUTE = 10  # forum.services.POSTS_PER_MINUTE
CHAT_PER_10_SECONDS = 20  # chat.services.MESSAGES_PER_WINDOW
# How long a hole in a room's seqs may stay open before the client resubscribes: 1000 ms in
# static/js/chat.js, 0.5 s in the test model, which this run follows the browser in.
live.GAP_WAIT = 1.0

# Runs in a subprocess on the scratch database, before bench/chat.py's seed: bench/search.py's
# generated documents go into the index first (they bring their own ids, so the id sequence
# is moved past them), then the posters, a category, and threads with replies made through
# the services (rate limits patched out, as bench/forum.py does), which index them too.
# Prints {"posters": [session keys], "threads": [{"url", "opening"}], "documents": n}.
FORUM_SEED = r"""
import json, random, sys
from unittest import mock
import django
django.setup()
from django.db import connection
from community.models import SearchDocument
from forum import services as forum
from forum.models import Category, Thread
from profiles import services as people
from profiles.models import User
sys.path.insert(0, "bench")
import search as corpus

posters, threads, replies, scale = (int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]),
                                    float(sys.argv[4]))
rng = random.Random(17)
if scale > 0:
    corpus.build(scale, rng)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('community_searchdocument', 'id'), "
                       "(SELECT max(id) FROM community_searchdocument))")

from tests.chat.sessions import session_for

members = [people.user_create(email=f"poster{i}@example.com", full_name=f"Автор {i}",
                              password=None, role=User.Role.MENTOR) for i in range(posters)]
category = Category.objects.create(name="Нагрузка", slug="nagruzka")
made = []
with mock.patch("forum.services.rate_limit_hit", lambda **kwargs: None):
    for t in range(threads):
        thread = forum.thread_create(
            author=members[t % posters], category=category, kind=Thread.Kind.DISCUSSION,
            title=corpus.sentence(rng, 6).rstrip(".").capitalize(), body=corpus.text(rng, 3))
        for r in range(replies):
            forum.post_reply(author=members[(t + r + 1) % posters], thread=thread, parent=None,
                             body=corpus.text(rng, 2))
        made.append({"url": thread.get_absolute_url(),
                     "opening": thread.posts.get(number=1).pk})
print(json.dumps({"posters": [session_for(m) for m in members], "threads": made,
                  "documents": SearchDocument.objects.count()}))
"""


# --- Chat: the browser model, with arrivals timed ---------------------------------------


@dataclass
class Sent:
    room: int
    at: float
    acked_at: float | None = None
    message_id: int | None = None
    refused: str = ""
    ids: set[int] = field(default_factory=set)  # more than one: the message was posted twice
    holders: set[str] = field(default_factory=set)
    complete_at: float | None = None


@dataclass
class Tally:
    """What the chat clients saw, in the event loop's thread."""

    room_sizes: Counter = field(default_factory=Counter)
    sent: dict[str, Sent] = field(default_factory=dict)
    repeated: int = 0  # a held message again, neither copy in a replay: a duplicate
    replayed: int = 0  # a held message again, one copy in a (re)subscription's replay
    unexpected: int = 0  # a message this run never sent
    retries: Counter = field(default_factory=Counter)  # error frames the client retried


@dataclass
class LoadClient(live.ChatClient):
    """live.ChatClient, telling the tally when each message first arrives.

    Like static/js/chat.js and unlike the test model, it never asks to fill a hole while a
    subscription is still replaying: under overload the model's overlapping resubscriptions
    multiply the replays (and the server's work) many times over.
    """

    tally: Tally | None = None
    _subscribing: int = 0  # subscribe frames on this socket still without `subscribed`
    _subscribing_on: object = None
    _in_replay: set[int] = field(default_factory=set)  # ids that came while replaying

    async def _subscribe(self) -> None:
        if self._subscribing_on is not self._ws:  # a new socket: the old one's are gone
            self._subscribing, self._subscribing_on = 0, self._ws
        self._subscribing += 1
        await super()._subscribe()

    async def _handle(self, frame: dict) -> None:
        if frame.get("type") == "subscribed":
            self._subscribing = max(0, self._subscribing - 1)
        elif frame.get("type") == "error" and frame.get("id") in self._outbox:
            self.tally.retries[frame.get("code")] += 1
        await super()._handle(frame)

    def _check_gap(self, cursor: int) -> None:
        if not self._subscribing:
            super()._check_gap(cursor)

    def _hold(self, event: dict) -> None:
        if event.get("type") == "message":
            self._arrived(event, fresh=event["id"] not in self.held)
        super()._hold(event)

    def _arrived(self, event: dict, *, fresh: bool) -> None:
        tally = self.tally
        match = TOKEN.search(event.get("html", ""))
        sent = tally.sent.get(match.group(1)) if match else None
        if sent is None:
            tally.unexpected += 1
            return
        sent.ids.add(event["id"])
        if self._subscribing:
            self._in_replay.add(event["id"])
        if not fresh:
            # Seen before: harmless if either copy may have come in a replay (a replay
            # overlapping the live event, or a late live event after a replay filled its
            # hole); two copies that both came outside any replay were broadcast twice.
            if event["id"] in self._in_replay:
                tally.replayed += 1
            else:
                tally.repeated += 1
            return
        sent.holders.add(self.name)
        if sent.complete_at is None and len(sent.holders) >= tally.room_sizes[sent.room]:
            sent.complete_at = time.monotonic()


# --- HTTP: blocking requests in a thread pool -------------------------------------------


@dataclass
class Browser:
    """One member's cookies."""

    cookies: dict[str, str]

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def remember(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})


@dataclass
class Samples:
    """Timings and errors from the worker threads (list.append is atomic)."""

    timings: list[tuple[str, float, float]] = field(default_factory=list)  # op, scheduled, ms
    errors: list[tuple[str, float, str]] = field(default_factory=list)  # op, scheduled, kind
    lags: list[float] = field(default_factory=list)  # s from schedule to a worker's start
    replies: list[str] = field(default_factory=list)  # tokens of replies answered with 302
    found: list[bool] = field(default_factory=list)  # per search page: any hit marked?


def _request(
    port: int,
    method: str,
    path: str,
    browser: Browser,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    """One request on its own connection, as a member's browser sends it."""
    connection = http.client.HTTPConnection(live.LOCAL, port, timeout=HTTP_TIMEOUT)
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={"Cookie": browser.header(), "Accept-Language": "ru", **(headers or {})},
        )
        response = connection.getresponse()
        data = response.read()
        browser.remember(response.headers.get_all("Set-Cookie") or [])
        return response.status, data
    finally:
        connection.close()


class Http:
    def __init__(self, samples: Samples) -> None:
        self.samples = samples

    def timed(
        self,
        op: str,
        scheduled: float,
        port: int,
        method: str,
        path: str,
        browser: Browser,
        *,
        expect: int = 200,
        **kwargs,
    ) -> tuple[int | None, bytes]:
        started = time.monotonic()
        try:
            status, data = _request(port, method, path, browser, **kwargs)
        except (OSError, http.client.HTTPException) as error:
            self.samples.errors.append((op, scheduled, type(error).__name__))
            return None, b""
        if status == expect:
            self.samples.timings.append((op, scheduled, (time.monotonic() - started) * 1000))
        else:
            self.samples.errors.append((op, scheduled, f"HTTP {status}"))
        return status, data


# --- The run ----------------------------------------------------------------------------


@dataclass
class Sample:
    label: str
    at: float  # seconds since the end of the warm-up
    rss_kib: list[int]
    cpu: list[float]  # CPU seconds: each server, Redis (if ours, else 0), this, the machine
    redis_bytes: int


def _machine_busy_seconds() -> float:
    """CPU time of every process on the machine, all cores: /proc/stat's first line."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User and system time of a process so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Load:
    def __init__(
        self,
        args,
        servers: list[live.AppServer],
        seats: list[dict],
        forum: dict,
        redis_url: str,
        redis_pid: int | None,
    ) -> None:
        self.args, self.servers, self.seats, self.forum = args, servers, seats, forum
        self.redis_url, self.redis_pid = redis_url, redis_pid
        self.ports = [server.port for server in servers]
        self.tally = Tally()
        self.samples = Samples()
        self.http = Http(self.samples)
        self.memory: list[Sample] = []
        self.posters = [Browser({"sessionid": key}) for key in forum["posters"]]
        self.searchers = [Browser({"sessionid": seat["session"]}) for seat in seats]
        self.rng = random.Random(5)
        self.inflight: set[asyncio.Future] = set()
        self.chat_lag = 0.0
        self.clients: list[LoadClient] = []
        self.drops: Counter = Counter()
        self.drained = ""
        self.left_in_groups: dict[str, int] = {}
        self.measured: tuple[float, float] = (0.0, 0.0)
        self.pool = ThreadPoolExecutor(max_workers=args.http_workers, thread_name_prefix="http")

    # --- Memory

    def sample(self, label: str, at: float) -> Sample:
        import redis

        alive = [server for server in self.servers if server.process.poll() is None]
        rss = [server.rss_kib() if server in alive else 0 for server in self.servers]
        cpu = [
            _cpu_seconds(server.process.pid) if server in alive else 0.0 for server in self.servers
        ]
        cpu += [
            _cpu_seconds(self.redis_pid) if self.redis_pid else 0.0,
            time.process_time(),
            _machine_busy_seconds(),
        ]
        try:
            used = int(redis.Redis.from_url(self.redis_url).info("memory")["used_memory"])
        except (redis.RedisError, OSError):
            used = -1
        sample = Sample(label, at, rss, cpu, used)
        self.memory.append(sample)
        return sample

    def progress(self, sample: Sample) -> None:
        sent = self.tally.sent.values()
        errors = len(self.samples.errors) + sum(bool(s.refused) for s in sent)
        print(
            f"  {sample.label:<12} {sample.at:6.0f} s  RSS "
            f"{' / '.join(f'{kib / 1024:.0f}' for kib in sample.rss_kib)} MiB  "
            f"Redis {sample.redis_bytes / 2**20:.1f} MiB  chat {len(sent)} sent "
            f"{sum(s.acked_at is not None for s in sent)} acked  replies "
            f"{len(self.samples.replies)}  searches "
            f"{sum(op == 'search' for op, _, _ in self.samples.timings)}  errors {errors}",
            flush=True,
        )

    async def monitor(self, start: float, end: float) -> None:
        loop = asyncio.get_running_loop()
        seconds = end - start
        points = sorted(
            {
                0.0,
                seconds / 2,
                seconds,
                *(float(t) for t in range(0, int(seconds), self.args.sample_every)),
            }
        )
        for point in points:
            await asyncio.sleep(max(0.0, start + point - loop.time()))
            label = (
                "start"
                if point == 0
                else "middle"
                if point == seconds / 2
                else "end of load"
                if point == seconds
                else ""
            )
            self.progress(self.sample(label, point))

    # --- Chat

    async def connect(self) -> None:
        gate = asyncio.Semaphore(bench_chat.CONNECT_CONCURRENCY)
        for i, seat in enumerate(self.seats):
            ports = self.ports[i % len(self.ports) :] + self.ports[: i % len(self.ports)]
            self.clients.append(
                LoadClient(
                    name=f"c{i}",
                    ports=ports,
                    session_key=seat["session"],
                    room_id=seat["room"],
                    tally=self.tally,
                )
            )
            self.tally.room_sizes[seat["room"]] += 1

        async def start(client: LoadClient) -> None:
            async with gate:
                await client.start(timeout=60)

        await asyncio.gather(*(start(client) for client in self.clients))

    async def drive_chat(self, start: float, end: float) -> None:
        loop = asyncio.get_running_loop()
        n = 0
        while self.args.chat_rate > 0 and (at := start + n / self.args.chat_rate) < end:
            delay = at - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self.chat_lag = max(self.chat_lag, loop.time() - at)
            client = self.clients[n % len(self.clients)]
            token = uuid.uuid4().hex[:16]
            sent = Sent(room=client.room_id, at=loop.time())
            self.tally.sent[token] = sent
            future = await client.send(f"{CHAT_PREFIX} {token}: {corpus.sentence(self.rng, 8)}")
            future.add_done_callback(functools.partial(self._acked, sent))
            n += 1

    @staticmethod
    def _acked(sent: Sent, future: asyncio.Future) -> None:
        if future.cancelled():
            return
        if future.exception() is not None:
            sent.refused = str(future.exception())[:200]
            return
        sent.acked_at = time.monotonic()
        sent.message_id = future.result()["message_id"]

    # --- HTTP

    async def drive_http(self, rate: float, job, start: float, end: float) -> None:
        loop = asyncio.get_running_loop()
        pool = self.pool
        n = 0
        while rate > 0 and (at := start + n / rate) < end:
            delay = at - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            future = loop.run_in_executor(pool, self._job, job, n, at)
            self.inflight.add(future)
            future.add_done_callback(self.inflight.discard)
            n += 1

    def _job(self, job, n: int, scheduled: float) -> None:
        self.samples.lags.append(time.monotonic() - scheduled)
        try:
            job(n, scheduled)
        except Exception as error:  # the bench's own bug must show, not kill the thread
            self.samples.errors.append(("bench", scheduled, f"{type(error).__name__}: {error}"))

    def reply(self, n: int, scheduled: float) -> None:
        """What a member does: open the thread, fill in its reply form, send it."""
        browser = self.posters[n % len(self.posters)]
        thread = self.forum["threads"][n * 7 % len(self.forum["threads"])]
        port = self.ports[n % len(self.ports)]
        status, page = self.http.timed("forum page", scheduled, port, "GET", thread["url"], browser)
        if status != 200:
            return
        text = page.decode()
        csrf, submission = CSRF_INPUT.search(text), SUBMISSION_INPUT.search(text)
        if not (csrf and submission):
            self.samples.errors.append(("forum page", scheduled, "no reply form"))
            return
        token = uuid.uuid4().hex[:16]
        body = urlencode(
            {
                "csrfmiddlewaretoken": csrf.group(1),
                "submission_token": submission.group(1),
                "body": f"{REPLY_PREFIX} {token}. {corpus.text(self.rng, 2)}",
            }
        )
        origin = f"http://{live.LOCAL}:{port}"
        status, _ = self.http.timed(
            "forum reply",
            scheduled,
            port,
            "POST",
            f"/forum/p/{thread['opening']}/reply/",
            browser,
            expect=302,
            body=body.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": f"{origin}{thread['url']}",
            },
        )
        if status == 302:
            self.samples.replies.append(token)

    def search(self, n: int, scheduled: float) -> None:
        query = corpus.QUERIES[n % len(corpus.QUERIES)]
        status, page = self.http.timed(
            "search",
            scheduled,
            self.ports[n % len(self.ports)],
            "GET",
            f"/search/?{urlencode({'q': query})}",
            self.searchers[n * 13 % len(self.searchers)],
        )
        if status == 200:
            self.samples.found.append(b"<mark>" in page)

    async def drain(self) -> None:
        """Wait for the last acks and deliveries while they keep coming, up to DRAIN_LIMIT.

        An overloaded run catches up slowly: what is still missing after --drain seconds
        without any progress is lost, not late.
        """
        loop = asyncio.get_running_loop()
        began = last_progress = loop.time()
        state = None
        while True:
            sent = self.tally.sent.values()
            missing = sum(not s.complete_at for s in sent) + sum(
                not (s.acked_at or s.refused) for s in sent
            )
            if not missing:
                self.drained = f"complete after {loop.time() - began:.1f} s"
                return
            now_state = (missing, sum(len(s.holders) for s in sent))
            if now_state != state:
                state, last_progress = now_state, loop.time()
            if loop.time() - last_progress > self.args.drain:
                self.drained = (
                    f"gave up after {loop.time() - began:.0f} s, the last "
                    f"{self.args.drain:g} s without progress"
                )
                return
            if loop.time() - began > DRAIN_LIMIT:
                self.drained = f"gave up after {DRAIN_LIMIT} s, still progressing"
                return
            await asyncio.sleep(0.25)

    # --- Everything

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        args = self.args
        self.progress(self.sample("idle", 0))
        connecting = loop.time()
        await self.connect()
        print(
            f"  {len(self.clients)} clients subscribed in {loop.time() - connecting:.1f} s",
            flush=True,
        )
        self.progress(self.sample("connected", 0))
        begin = loop.time() + 0.5
        start, end = begin + args.warmup, begin + args.warmup + args.seconds
        self.measured = (start, end)
        try:
            await asyncio.gather(
                self.drive_chat(begin, end),
                self.drive_http(args.reply_rate, self.reply, begin, end),
                self.drive_http(args.search_rate, self.search, begin, end),
                self.monitor(start, end),
            )
            if self.inflight:
                await asyncio.wait(list(self.inflight))
            await self.drain()
            self.progress(self.sample("drained", loop.time() - start))
        finally:
            # Closing adds a drop to every client: what happened before is the run's.
            self.drops = Counter(d.split(": ", 1)[-1][:60] for c in self.clients for d in c.drops)
            for client in self.clients:
                await client.close()
            self.pool.shutdown(wait=True, cancel_futures=True)
        await asyncio.sleep(GROUPS_SETTLE)
        self.left_in_groups = self.channels_in_groups()

    def channels_in_groups(self) -> dict[str, int]:
        """Channels still in the layer's groups, by kind of group: each socket's consumer
        leaves its groups when the socket closes, so with every client gone, none."""
        import redis

        left: Counter = Counter()
        connection = redis.Redis.from_url(self.redis_url)
        for key in connection.scan_iter(match=f"{LAYER_PREFIX}:group:*", count=1000):
            group = key.decode().removeprefix(f"{LAYER_PREFIX}:group:")
            left[group.rsplit(".", 1)[0]] += connection.zcard(key)
        return dict(left)


# --- The site -----------------------------------------------------------------------------


def prepare(args, workdir: Path, database_url: str, redis_url: str) -> tuple[dict, list, dict]:
    """Production settings, a migrated and seeded database; the env, the seats, the forum."""
    env = live.server_env(database_url=database_url, redis_url=redis_url)
    env.update(
        DEBUG="0",
        SECRET_KEY=f"bench-{uuid.uuid4().hex}{uuid.uuid4().hex}",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS=live.LOCAL,
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        # Not locmem: a server keeps every locmem email in memory for ever.
        EMAIL_URL=f"file://{workdir / 'mail'}",
    )
    started = time.monotonic()
    live.run_python(env, "manage.py", "migrate", "--noinput")
    live.run_python(env, "manage.py", "collectstatic", "--noinput", "--verbosity", "0")
    forum = json.loads(
        live.run_python(
            env,
            "-c",
            FORUM_SEED,
            str(args.posters),
            str(args.threads),
            str(args.thread_replies),
            str(args.index_scale),
        )
        .strip()
        .splitlines()[-1]
    )
    seats = json.loads(
        live.run_python(env, "-c", bench_chat.SEED_SCRIPT, str(args.clients), str(args.rooms))
        .strip()
        .splitlines()[-1]
    )
    print(
        f"seeded in {time.monotonic() - started:.0f} s: {len(seats)} chat members in "
        f"{args.rooms} rooms, {len(forum['posters'])} posters, {len(forum['threads'])} threads "
        f"of {args.thread_replies + 1} posts, {forum['documents']} documents in the search "
        f"index",
        flush=True,
    )
    return env, seats, forum


def check_database(database_url: str, load: Load) -> dict:
    """What the database holds of this run's chat messages and forum replies."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=10) as connection:
        bodies = [
            row[0]
            for row in connection.execute(
                "SELECT body FROM chat_message WHERE body LIKE %s", [f"{CHAT_PREFIX} %"]
            )
        ]
        replies = [
            row[0]
            for row in connection.execute(
                "SELECT body FROM forum_post WHERE body LIKE %s", [f"{REPLY_PREFIX} %"]
            )
        ]
    stored = Counter(match.group(1) for body in bodies if (match := TOKEN.match(body)))
    answered = set(load.samples.replies)
    reply_tokens = Counter(body.split()[2].rstrip(".") for body in replies)
    return {
        "chat_stored": len(stored),
        "chat_twice": sum(count - 1 for count in stored.values()),
        "chat_acked_missing": sum(
            1 for token, sent in load.tally.sent.items() if sent.acked_at and token not in stored
        ),
        "replies_stored": len(reply_tokens),
        "replies_twice": sum(count - 1 for count in reply_tokens.values()),
        "replies_answered_missing": len(answered - set(reply_tokens)),
    }


# --- The report -----------------------------------------------------------------------------


def chat_outcome(load: Load) -> dict:
    by_room: dict[int, list[LoadClient]] = {}
    for client in load.clients:
        by_room.setdefault(client.room_id, []).append(client)
    lost = never_stored = posted_twice = 0
    for sent in load.tally.sent.values():
        ids = sent.ids | ({sent.message_id} if sent.message_id else set())
        if not ids:
            never_stored += 1
        posted_twice += max(0, len(ids) - 1)
        lost += sum(1 for client in by_room[sent.room] if not ids & client.held.keys())
    clients = load.clients
    return {
        "sent": len(load.tally.sent),
        "acked": sum(s.acked_at is not None for s in load.tally.sent.values()),
        "refused": Counter(
            s.refused.split(":")[-1].strip()[:80] for s in load.tally.sent.values() if s.refused
        ),
        "lost": lost,
        "never_stored": never_stored,
        "posted_twice": posted_twice,
        "repeated": load.tally.repeated,
        "unexpected": load.tally.unexpected,
        "replayed": load.tally.replayed,
        "reconnections": sum(max(0, c.connections - 1) for c in clients),
        "gap_fills": sum(c.gap_fills for c in clients),
        "client_errors": Counter(e.get("code") for c in clients for e in c.errors),
        "drops": load.drops,
    }


def _row(name: str, values: list[float], errors: int) -> str:
    pct = bench_chat._percentile
    values = sorted(values)
    return (
        f"  {name:<24} {len(values):>6}  {pct(values, 50):8.1f}  {pct(values, 95):8.1f}  "
        f"{pct(values, 99):8.1f}  {max(values, default=float('nan')):8.1f}  {errors:>6}"
    )


def report(load: Load, chat: dict, stored: dict, logs: dict[str, Counter]) -> bool:
    start, end = load.measured

    def inside(at: float) -> bool:
        return start <= at < end

    sent = [s for s in load.tally.sent.values() if inside(s.at)]
    errors = Counter((op, kind) for op, at, kind in load.samples.errors)
    error_count = Counter(op for op, _ in errors.elements())
    print(
        f"\nMeasured {load.args.seconds:g} s after {load.args.warmup:g} s of warm-up "
        f"(latencies in ms; errors over the whole run):"
    )
    print(
        f"  {'operation':<24} {'count':>6}  {'p50':>8}  {'p95':>8}  {'p99':>8}  {'max':>8}"
        f"  {'errors':>6}"
    )
    print(
        _row(
            "chat delivered to all",
            [(s.complete_at - s.at) * 1000 for s in sent if s.complete_at],
            sum(not s.complete_at for s in sent),
        )
    )
    print(
        _row(
            "chat ack",
            [(s.acked_at - s.at) * 1000 for s in sent if s.acked_at],
            sum(chat["refused"].values()) + sum(chat["client_errors"].values()),
        )
    )
    for op in ("forum page", "forum reply", "search"):
        print(
            _row(
                f"{op} ({'POST' if op == 'forum reply' else 'GET'})",
                [ms for name, at, ms in load.samples.timings if name == op and inside(at)],
                error_count[op],
            )
        )
    if error_count["bench"]:
        print(f"  bench's own failures: {error_count['bench']}")
    if errors:
        print(
            "  errors by kind: "
            + "; ".join(f"{op}: {kind} ×{count}" for (op, kind), count in errors.most_common())
        )
    for label, counter in (
        ("chat sends refused for good", chat["refused"]),
        ("chat error frames kept by clients", chat["client_errors"]),
        ("chat error frames for sends", load.tally.retries),
        ("socket drops", chat["drops"]),
    ):
        if counter:
            print(f"  {label}: " + "; ".join(f"{k} ×{v}" for k, v in counter.most_common(6)))
    lags = sorted(load.samples.lags)
    print(
        f"  the generator's own lag: HTTP start p99 "
        f"{bench_chat._percentile(lags, 99) * 1000:.0f} ms, max "
        f"{max(lags, default=0) * 1000:.0f} ms; chat send max {load.chat_lag * 1000:.0f} ms"
    )

    print(f"\nDrain: {load.drained}")
    print(
        f"Chat over the whole run: {chat['sent']} sent, {chat['acked']} acknowledged, "
        f"{stored['chat_stored']} in the database ({stored['chat_acked_missing']} acknowledged "
        f"but missing there, {stored['chat_twice']} stored twice)"
    )
    print(
        f"  lost deliveries {chat['lost']} (messages never stored {chat['never_stored']}); "
        f"duplicated: messages posted twice {chat['posted_twice']}, delivered twice "
        f"outside any replay {chat['repeated']}, messages this run never sent "
        f"{chat['unexpected']}"
    )
    print(
        f"  recovered by the client: {chat['reconnections']} reconnections, "
        f"{chat['gap_fills']} resubscriptions for a hole in the seqs, {chat['replayed']} "
        f"messages seen again around a replay"
    )
    left = sum(load.left_in_groups.values())
    kinds = ", ".join(f"{kind} groups: {n}" for kind, n in load.left_in_groups.items())
    print(
        f"  channels still in the layer's groups {GROUPS_SETTLE:g} s after every client "
        f"closed: {left}" + (f" ({kinds})" if left else "")
    )
    found = load.samples.found
    print(f"Search: {sum(found)} of {len(found)} result pages had hits")
    print(
        f"Forum: {len(load.samples.replies)} replies answered 302, {stored['replies_stored']} "
        f"in the database ({stored['replies_answered_missing']} answered but missing, "
        f"{stored['replies_twice']} stored twice)"
    )

    print("\nMemory (RSS MiB per server; Redis used_memory MiB):")
    points = {s.label: s for s in load.memory if s.label}
    for label in ("idle", "connected", "start", "middle", "end of load", "drained"):
        if label in points:
            sample = points[label]
            print(
                f"  {label:<12} {'  '.join(f'{kib / 1024:7.1f}' for kib in sample.rss_kib)}"
                f"   Redis {sample.redis_bytes / 2**20:6.1f}"
            )
    if {"start", "middle", "drained"} <= points.keys():
        first, middle, last = points["start"], points["middle"], points["drained"]
        for i, server in enumerate(load.servers):
            early = (middle.rss_kib[i] - first.rss_kib[i]) / 1024
            late = (last.rss_kib[i] - middle.rss_kib[i]) / 1024
            print(f"  {server.name}: start→middle {early:+.1f} MiB, middle→end {late:+.1f} MiB")
    if {"start", "end of load"} <= points.keys():
        first, last = points["start"], points["end of load"]
        busy = [
            (b - a) / max(last.at - first.at, 1e-9) * 100
            for a, b in zip(first.cpu, last.cpu, strict=True)
        ]
        names = [server.name for server in load.servers] + [
            "Redis",
            "this generator",
            f"the machine (all {os.cpu_count()} cores)",
        ]
        print(
            "  CPU while measured (% of one core): "
            + ", ".join(
                f"{name} {value:.0f} %"
                for name, value in zip(names, busy, strict=True)
                if name != "Redis" or load.redis_pid
            )
        )
    for name, problems in logs.items():
        if problems:
            print(
                f"  {name} log: "
                + "; ".join(f"{line} ×{count}" for line, count in problems.most_common(5))
            )
    duplicated = chat["posted_twice"] + chat["repeated"] + chat["unexpected"]
    failed = bool(chat["lost"] or duplicated or stored["chat_twice"])
    print(f"\n{'FAILED' if failed else 'OK'}: lost {chat['lost']}, duplicated {duplicated}")
    return not failed


def log_problems(server: live.AppServer) -> Counter:
    """Warnings and errors: every line but daphne's access log and a traceback's body."""
    lines = [
        line
        for line in server.output().splitlines()
        if line.strip()
        and not ACCESS_LOG.match(line)
        and not line.startswith((" ", "\t", "Traceback"))
    ]
    return Counter(line[:140] for line in lines)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=180, help="measured load")
    parser.add_argument("--warmup", type=float, default=10, help="load before measuring")
    parser.add_argument(
        "--drain",
        type=float,
        default=15,
        help="after the load, wait for the last messages until this long "
        "passes without any arriving",
    )
    parser.add_argument("--chat-rate", type=float, default=20, help="messages/s, in all")
    parser.add_argument("--reply-rate", type=float, default=2, help="forum replies/s, in all")
    parser.add_argument("--search-rate", type=float, default=5, help="searches/s, in all")
    parser.add_argument("--clients", type=int, default=300, help="websocket clients")
    parser.add_argument("--rooms", type=int, default=30)
    parser.add_argument("--posters", type=int, default=30, help="members replying in the forum")
    parser.add_argument("--threads", type=int, default=30)
    parser.add_argument("--thread-replies", type=int, default=10, help="seeded replies each")
    parser.add_argument(
        "--index-scale",
        type=float,
        default=0.05,
        help="bench/search.py's documents in the index, as its --scale",
    )
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--sample-every", type=int, default=30, help="memory, in seconds")
    parser.add_argument("--http-workers", type=int, default=32)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="the PostgreSQL server to make a scratch database on",
    )
    parser.add_argument(
        "--redis-url", default="", help="a Redis to share (default: a private redis-server)"
    )
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (logs, mail)")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("needs PostgreSQL: --database-url or DATABASE_URL postgres://…")
    if args.reply_rate * 60 / args.posters > POSTS_PER_MINUTE:
        print(
            f"warning: {args.reply_rate * 60 / args.posters:.1f} replies per poster per "
            f"minute is over the forum's limit of {POSTS_PER_MINUTE}: expect HTTP 429"
        )
    if args.chat_rate * 10 / args.clients > CHAT_PER_10_SECONDS:
        print("warning: over the chat's rate limit per member: expect rate_limited")
    # SIGTERM unwinds like Ctrl-C: servers stopped, database dropped, files removed.
    signal.signal(signal.SIGTERM, _interrupt)
    print(
        f"{args.processes} daphne processes, PostgreSQL, Redis; {args.clients} websocket "
        f"clients in {args.rooms} rooms at {args.chat_rate:g} msg/s, {args.posters} posters "
        f"at {args.reply_rate:g} replies/s, {args.search_rate:g} searches/s; "
        f"{args.warmup:g} s warm-up, {args.seconds:g} s measured",
        flush=True,
    )
    with contextlib.ExitStack() as stack:
        if args.keep:
            workdir = Path(args.keep)
            workdir.mkdir(parents=True, exist_ok=True)
        else:
            workdir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="nastavnik-bench-load-"))
            )
        (workdir / "mail").mkdir(exist_ok=True)
        redis_url, redis_pid = args.redis_url, None
        if not redis_url:
            redis = live.RedisServer(port=live.free_port(), log=workdir / "redis.log")
            stack.callback(redis.stop)
            redis.start()
            redis_url, redis_pid = redis.url, redis.process.pid
        database_url = stack.enter_context(live.scratch_database(args.database_url))
        env, seats, forum = prepare(args, workdir, database_url, redis_url)
        servers = [
            live.AppServer(f"daphne-{i}", env, workdir / f"daphne-{i}.log")
            for i in range(args.processes)
        ]
        for server in servers:
            stack.callback(server.stop)
        live.start_servers(servers)
        load = Load(args, servers, seats, forum, redis_url, redis_pid)
        asyncio.run(load.run())
        dead = [s.name for s in servers if s.process.poll() is not None]
        if dead:
            print(f"servers that exited during the run: {', '.join(dead)}")
        stored = check_database(database_url, load)
        ok = report(
            load,
            chat_outcome(load),
            stored,
            {server.name: log_problems(server) for server in servers},
        )
        return 0 if ok and not dead else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # everything is cleaned up by now
        print("interrupted: servers stopped, scratch database dropped", file=sys.stderr)
        sys.exit(130)
