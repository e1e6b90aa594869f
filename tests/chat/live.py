"""Real servers for the multi-process chat tests: scratch databases, Redis, daphne, clients.

Black-box, like tests/browser: nothing here touches the pytest test database. Each run
creates its own PostgreSQL database next to the one DATABASE_URL names, migrates and seeds
it in a subprocess, and drops it at the end. The servers are daphne subprocesses on free
ports; the client below is a small model of static/js/realtime.js plus the chat page: it
reconnects with backoff, re-subscribes from its cursor, and resends every message that was
not acknowledged, under the same client_id.

The cursor is the highest seq below which the client misses nothing. That is the highest
seq seen, except when a broadcast was lost between two that arrived (two processes
broadcast out of order and Redis fails in between): a client that resumed from the highest
seq seen would never get the lost one. Every seq a room hands out is broadcast exactly once,
so after a subscription's replay, live events must follow one another without holes; a
hole that does not fill within GAP_WAIT is fetched by subscribing again from the cursor.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
COMMAND_TIMEOUT = 120
SERVER_START_TIMEOUT = 30.0
REDIS_START_TIMEOUT = 10.0
LOCAL = "127.0.0.1"
# Environment that must not leak from the shell into the servers.
_FOREIGN_SETTINGS = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "SITE_URL",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "TRUSTED_PROXY_COUNT",
    "EMAIL_URL",
)


class LiveFailure(AssertionError):
    """A server or a helper command misbehaved; the message carries its output."""


def missing_services() -> str | None:
    """Why the live tests cannot run here, or None when they can."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not os.environ.get("REDIS_URL"):
        return "needs Redis and PostgreSQL: set REDIS_URL and a postgres:// DATABASE_URL"
    if urlsplit(database_url).scheme not in {"postgres", "postgresql"}:
        return "needs PostgreSQL: set DATABASE_URL to a postgres:// URL (REDIS_URL is set)"
    if shutil.which("redis-server") is None:
        return "needs the redis-server program, to run a Redis of its own"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCAL, 0))
        return sock.getsockname()[1]


def wait_until(
    condition: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.05
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise LiveFailure(f"Timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _stop(process: subprocess.Popen, *, timeout: float = 10) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


# --- The database --------------------------------------------------------------------


@contextlib.contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of `server_url`; yields its URL, then drops it."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"nastavnik_live_{uuid.uuid4().hex[:10]}"
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
            # FORCE: a killed server may still hold a connection for a moment.
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(*, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_SETTINGS}
    env.update(
        DEBUG="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        EMAIL_URL="locmem://",
        DJANGO_SETTINGS_MODULE="community.settings",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def run_python(env: dict[str, str], *args: str) -> str:
    """Run `python *args` in the repository with `env`; its stdout, or a failure."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise LiveFailure(
            f"python {' '.join(args)[:80]} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


# Runs in a subprocess against the scratch database: for each conversation, two members,
# a channel they both belong to, and a logged-in session for each (no login form, so no
# login rate limits). Prints {"name": {"room": id, "sessions": [key, key]}} as JSON.
SEED_SCRIPT = r"""
import json, sys
import django
django.setup()
from chat import services as chat
from profiles import services as people
from profiles.models import User

from tests.chat.sessions import session_for

seeded = {}
for name in sys.argv[1:]:
    members = [people.user_create(email=f"{name}-{who}@example.com", full_name=f"{who} {name}",
                                  password=None, role=User.Role.MENTOR)
               for who in ("Алия", "Рустем")]
    room = chat.channel_create(creator=members[0], name=f"Комната {name}")
    chat.room_join(user=members[1], room=room)
    seeded[name] = {"room": room.pk, "sessions": [session_for(m) for m in members]}
print(json.dumps(seeded))
"""


def seed(env: dict[str, str], conversations: list[str]) -> dict[str, dict]:
    output = run_python(env, "-c", SEED_SCRIPT, *conversations)
    return json.loads(output.strip().splitlines()[-1])


# --- Redis ---------------------------------------------------------------------------


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


@dataclass
class RedisServer:
    """A private redis-server on a free port, so that stopping it disturbs no other test."""

    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOCAL}:{self.port}/0"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(self.port),
                    "--bind",
                    LOCAL,
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.log.parent,
            )
        wait_until(
            lambda: self.process.poll() is not None or redis_answers(self.url),
            timeout=REDIS_START_TIMEOUT,
            what=f"redis-server on port {self.port}",
        )
        if self.process.poll() is not None:
            raise LiveFailure(f"redis-server exited:\n{self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


# --- App servers ---------------------------------------------------------------------


def _healthy(port: int) -> bool:
    # No proxies: a proxy from the environment must never see 127.0.0.1 requests.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"http://{LOCAL}:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


# How each ASGI server is told to serve community.asgi on a port. uvicorn gets its
# `websockets` implementation (its default, wsproto, is slower) and no lifespan events,
# which Django does not handle.
SERVER_COMMANDS = {
    "daphne": lambda port: [
        "-m",
        "daphne",
        "-b",
        LOCAL,
        "-p",
        str(port),
        "community.asgi:application",
    ],
    "uvicorn": lambda port: [
        "-m",
        "uvicorn",
        "--host",
        LOCAL,
        "--port",
        str(port),
        "--ws",
        "websockets",
        "--lifespan",
        "off",
        "--log-level",
        "warning",
        "--no-access-log",
        "community.asgi:application",
    ],
}


@dataclass
class AppServer:
    """One ASGI server process (daphne unless told otherwise) serving community.asgi."""

    name: str
    env: dict[str, str]
    log: Path
    program: str = "daphne"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, *SERVER_COMMANDS[self.program](self.port)],
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                state = (
                    f"exited with {self.process.returncode}"
                    if self.process.poll() is not None
                    else f"not healthy after {SERVER_START_TIMEOUT:.0f} s"
                )
                raise LiveFailure(
                    f"{self.program} {self.name} {state}; its output:\n{self.output()}"
                )
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no goodbye to sockets, no cleanup in Redis."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)

    def rss_kib(self) -> int:
        """Resident memory of the server process, from /proc."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(
            next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def start_servers(servers: list[AppServer]) -> None:
    """Start all, then wait for each: Django's start-up runs in parallel."""
    for server in servers:
        server.start()
    for server in servers:
        server.wait_healthy()


# --- The client ----------------------------------------------------------------------


RETRYABLE = {"rate_limited", "server_error"}
MAX_CONNECT_ATTEMPTS = 200
MAX_SEND_ATTEMPTS = 60
GAP_WAIT = 0.5


@dataclass
class ChatClient:
    """One browser tab following one room, as the chat page does it.

    `ports` are the servers behind the (imaginary) load balancer: a connection that cannot
    be made moves on to the next one. Messages are held by id, keeping the highest seq, as
    the protocol asks; `live` logs every message event in the order it arrived.
    """

    name: str
    ports: list[int]
    session_key: str
    room_id: int
    cursor: int = 0
    held: dict[int, dict] = field(default_factory=dict)
    live: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    connections: int = 0
    gap_fills: int = 0
    drops: list[str] = field(default_factory=list)
    _ahead: set[int] = field(default_factory=set)
    _outbox: dict[str, dict] = field(default_factory=dict)
    _attempts: dict[str, int] = field(default_factory=dict)
    _acks: dict[str, asyncio.Future] = field(default_factory=dict)
    _ws: object = None
    _port_index: int = 0
    _task: asyncio.Task | None = None
    _subscribed: asyncio.Event = field(default_factory=asyncio.Event)
    _closing: bool = False

    # --- Lifecycle

    async def start(self, *, timeout: float = 10) -> None:
        self._task = asyncio.create_task(self._run(), name=f"client {self.name}")
        await self.wait_subscribed(timeout=timeout)

    async def close(self) -> None:
        self._closing = True
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def wait_subscribed(self, *, timeout: float) -> None:
        try:
            await asyncio.wait_for(self._subscribed.wait(), timeout)
        except TimeoutError:
            raise LiveFailure(
                f"{self.name} was not subscribed within {timeout:.0f} s; drops: {self.drops[-5:]}"
            ) from None

    @property
    def port(self) -> int:
        return self.ports[self._port_index % len(self.ports)]

    async def _run(self) -> None:
        failures = 0
        for _attempt in range(MAX_CONNECT_ATTEMPTS):
            if self._closing:
                return
            established = False
            try:
                established = await self._connection()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # any failure: the socket is gone, reconnect
                self._dropped(f"{type(error).__name__}: {error}")
            finally:
                self._ws = None
                self._subscribed.clear()
            if self._closing:
                return
            failures = 0 if established else failures + 1
            if not established:
                self._port_index += 1  # this server does not take us: try the next one
            # Exponential backoff with jitter, as realtime.js does, capped low for tests.
            jitter = 0.5 + uuid.uuid4().int % 50 / 100
            await asyncio.sleep(min(1.0, 0.05 * 2**failures) * jitter)
        self.drops.append("gave up reconnecting")

    async def _connection(self) -> bool:
        """One socket's life; True if it got as far as a subscription."""
        from websockets.asyncio.client import connect

        subscribed = False
        async with connect(
            f"ws://{LOCAL}:{self.port}/ws/",
            origin=f"http://{LOCAL}:{self.port}",
            additional_headers={"Cookie": f"sessionid={self.session_key}"},
            open_timeout=5,
            close_timeout=1,
            proxy=None,
        ) as ws:
            try:
                hello = json.loads(await asyncio.wait_for(ws.recv(), 5))
            except TimeoutError:
                raise LiveFailure(f"no hello within 5 s (from :{ws.local_address[1]})") from None
            if hello.get("type") != "hello":
                raise LiveFailure(f"{self.name} expected hello, got {hello}")
            self._ws = ws
            self.connections += 1
            await self._subscribe()
            async for raw in ws:
                frame = json.loads(raw)
                if frame.get("type") == "subscribed" and not subscribed:
                    subscribed = True
                    # Whatever was never acknowledged goes again, under the same client_id.
                    for pending in list(self._outbox.values()):
                        await ws.send(json.dumps(pending))
                await self._handle(frame)
        self._dropped(f"closed {ws.close_code}")
        return subscribed

    def _dropped(self, why: str) -> None:
        self.drops.append(f"{time.monotonic():.2f} port {self.port}: {why}"[:200])

    async def _subscribe(self) -> None:
        await self._ws.send(
            json.dumps(
                {"type": "subscribe", "rooms": [{"room_id": self.room_id, "cursor": self.cursor}]}
            )
        )

    # --- Frames

    async def _handle(self, frame: dict) -> None:
        kind = frame.get("type")
        if kind in {"message", "message_edited", "message_deleted", "reaction"}:
            if frame["room_id"] == self.room_id:
                self._hold(frame)
        elif kind == "subscribed":
            for room in frame["rooms"]:
                if room["room_id"] == self.room_id:
                    self._advance(room["cursor"])  # the replay covered everything up to it
            if any(room.get("more") for room in frame["rooms"]):
                await self._subscribe()  # a long absence: the next batch
            else:
                self._subscribed.set()
        elif kind == "ack":
            self._outbox.pop(frame["client_id"], None)
            future = self._acks.pop(frame["client_id"], None)
            if future is not None and not future.done():
                future.set_result(frame)
        elif kind == "error":
            await self._refused(frame)

    def _hold(self, event: dict) -> None:
        """Keep the newest version of each message, and move the cursor over what is whole."""
        event = {**event, "via": "live" if self._subscribed.is_set() else "replay"}
        self.live.append(event)
        known = self.held.get(event["id"])
        if known is None or known["seq"] < event["seq"]:
            self.held[event["id"]] = event
        if not self._subscribed.is_set():
            return  # a replay skips the seqs of changes superseded since: no holes to mind
        if event["seq"] > self.cursor:
            self._ahead.add(event["seq"])
        self._advance(self.cursor)
        if self._ahead:
            asyncio.get_running_loop().call_later(GAP_WAIT, self._check_gap, self.cursor)

    def _advance(self, cursor: int) -> None:
        self.cursor = max(self.cursor, cursor)
        while self.cursor + 1 in self._ahead:
            self.cursor += 1
        self._ahead = {seq for seq in self._ahead if seq > self.cursor}

    def _check_gap(self, cursor: int) -> None:
        if self.cursor == cursor and self._ahead and self._ws is not None:
            self.gap_fills += 1
            task = asyncio.ensure_future(self._subscribe())
            task.add_done_callback(lambda t: t.cancelled() or t.exception())

    async def _refused(self, frame: dict) -> None:
        client_id = frame.get("id")
        if client_id not in self._outbox:
            self.errors.append(frame)
            return
        self._attempts[client_id] = self._attempts.get(client_id, 0) + 1
        if frame.get("code") not in RETRYABLE or self._attempts[client_id] > MAX_SEND_ATTEMPTS:
            self.errors.append(frame)
            self._outbox.pop(client_id)
            future = self._acks.pop(client_id, None)
            if future is not None and not future.done():
                future.set_exception(LiveFailure(f"{self.name}: send refused: {frame}"))
            return
        asyncio.get_running_loop().call_later(0.3, self._resend, client_id)

    def _resend(self, client_id: str) -> None:
        frame, ws = self._outbox.get(client_id), self._ws
        if frame is not None and ws is not None and self._subscribed.is_set():
            task = asyncio.ensure_future(ws.send(json.dumps(frame)))
            task.add_done_callback(lambda t: t.cancelled() or t.exception())

    # --- Sending

    async def send(self, body: str) -> asyncio.Future:
        """Queue a message; the future resolves with its ack, however many sockets it takes."""
        client_id = uuid.uuid4().hex
        frame = {
            "type": "send",
            "room_id": self.room_id,
            "body": body,
            "client_id": client_id,
            "id": client_id,
        }
        future = asyncio.get_running_loop().create_future()
        self._outbox[client_id], self._acks[client_id] = frame, future
        if self._ws is not None and self._subscribed.is_set():
            with contextlib.suppress(Exception):  # a dead socket: the reconnect resends it
                await self._ws.send(json.dumps(frame))
        return future

    async def send_all(self, bodies: list[str], *, timeout: float) -> list[dict]:
        futures = [await self.send(body) for body in bodies]
        try:
            return await asyncio.wait_for(asyncio.gather(*futures), timeout)
        except TimeoutError:
            raise LiveFailure(
                f"{self.name}: {len(self._outbox)} of {len(bodies)} sends "
                f"unacknowledged after {timeout:.0f} s; errors: "
                f"{self.errors[-3:]}; drops: {self.drops[-5:]}"
            ) from None

    # --- What the client holds

    def messages(self) -> list[dict]:
        """The room as the client shows it: one entry per message, in seq order."""
        return sorted(self.held.values(), key=lambda event: event["seq"])

    def bodies(self) -> list[str]:
        return [_text(event["html"]) for event in self.messages()]

    async def wait_for_count(self, count: int, *, timeout: float) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.held) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise LiveFailure(
                    f"{self.name} holds {len(self.held)} of {count} messages after "
                    f"{timeout:.0f} s (cursor {self.cursor}); drops: {self.drops[-5:]}"
                )
            await asyncio.sleep(0.02)


def _text(html: str) -> str:
    """The text of a one-paragraph message: markup.cook wraps it in <p>."""
    return html.removeprefix("<p>").removesuffix("</p>").strip()
