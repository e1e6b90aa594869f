"""What the fault scenarios share: clients for a seeded conversation, and the one check
that matters after every fault (each message held exactly once, with no gap)."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from pathlib import Path

from tests.chat import live

TEST_TIMEOUT = 60.0


def tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def run(scenario) -> None:
    asyncio.run(asyncio.wait_for(scenario, TEST_TIMEOUT))


def tab(site: dict, name: str, who: int, *ports: int, suffix: str = "") -> live.ChatClient:
    conversation = site[name]
    return live.ChatClient(
        name=f"{'AB'[who]}{suffix}",
        ports=list(ports),
        session_key=conversation["sessions"][who],
        room_id=conversation["room"],
    )


def assert_whole(client: live.ChatClient, sent: list[str]) -> None:
    """The client holds every message exactly once, with no gap in the room's sequence."""
    messages = client.messages()
    seqs = [m["seq"] for m in messages]
    assert seqs == list(range(1, len(sent) + 1)), f"{client.name}: gaps or extras in {seqs}"
    assert sorted(client.bodies()) == sorted(sent), f"{client.name}: wrong messages"
    assert len({m["client_id"] for m in messages}) == len(sent), f"{client.name}: a duplicate"


async def close(*clients: live.ChatClient) -> None:
    for client in clients:
        await client.close()


def stats(*clients: live.ChatClient) -> str:
    return "; ".join(
        f"{c.name}: {c.connections} connections, {c.gap_fills} gap fills" for c in clients
    )


def status(port: int, path: str) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"http://{live.LOCAL}:{port}{path}", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        print(f"{path}: {error.code} {error.read()[:300]!r}")  # which check failed
        return error.code
