"""A background worker killed with SIGKILL in the middle of a batch of emails: after a
restart every email arrives, and none twice but (at most) the one whose acknowledgement
the kill cut off, which carries the same Message-ID both times so that mail systems can
tell the copy for what it is.

Real parts: a scratch SQLite database file (the embedded default), `manage.py run_worker`
subprocesses, and an aiosmtpd server in this process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.chat.live import REPO_ROOT, run_python, server_env, wait_until
from tests.mailer.smtp import SMTPServer

EMAILS = 300

QUEUE = f"""
from django.core import mail
from community.mailer.services import outbox_add
outbox_add(
    (f"kill-test:{{n}}", mail.EmailMessage(f"Письмо {{n}}", "Текст", None, [f"m{{n}}@example.com"]))
    for n in range({EMAILS})
)
"""


class SlowInbox(SMTPServer):
    """A mail server that takes a few milliseconds per message, so the batch lasts long
    enough to be cut in the middle."""

    def start(self) -> None:
        handle = self.inbox.handle_DATA

        async def slow_data(server, session, envelope):
            import asyncio

            await asyncio.sleep(0.004)
            return await handle(server, session, envelope)

        self.inbox.handle_DATA = slow_data  # type: ignore[method-assign]
        super().start()


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-schedule"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_at_most_the_one_in_flight(
    tmp_path,
):
    smtp = SlowInbox()
    smtp.start()
    env = server_env(
        database_url=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        redis_url="",
        BACKGROUND_HEARTBEAT_SECONDS="1",
        BACKGROUND_WORKER_STALE_SECONDS="3",
        BACKGROUND_HOUSEKEEPING_SECONDS="1",
    )
    env["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp.port}"
    run_python(env, "manage.py", "migrate", "--noinput")
    run_python(env, "manage.py", "shell", "-c", QUEUE)
    log = tmp_path / "workers.log"
    first = start_worker(env, log)
    second = None
    try:
        wait_until(
            lambda: len(smtp.inbox.messages) >= EMAILS // 4, timeout=60, what="a quarter sent"
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        at_kill = len(smtp.inbox.messages)
        assert at_kill < EMAILS, "the batch finished before the kill: nothing was tested"
        second = start_worker(env, log)
        wait_until(
            lambda: len({str(m["To"]) for m in smtp.inbox.messages}) >= EMAILS,
            timeout=90,
            what=f"all {EMAILS} emails after the restart",
        )
        time.sleep(1.5)  # a late second copy would arrive by now
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        smtp.stop()
    received = Counter(str(m["To"]) for m in smtp.inbox.messages)
    assert set(received) == {f"m{n}@example.com" for n in range(EMAILS)}, log.read_text()
    doubled = [address for address, count in received.items() if count > 1]
    print(f"killed after {at_kill} of {EMAILS}; doubled: {doubled}")
    assert len(doubled) <= 1, f"doubled: {doubled}"
    for address in doubled:
        ids = {m["Message-ID"] for m in smtp.inbox.messages if str(m["To"]) == address}
        assert len(ids) == 1
    state = run_python(
        env,
        "manage.py",
        "shell",
        "-c",
        "from community.mailer.models import OutgoingEmail as E; "
        "print('STATES', sorted(set(E.objects.values_list('state', flat=True))))",
    )
    assert "STATES ['sent']" in state
