"""Browser journeys: a real daphne server with demo data, driven by the system Chromium.

Black-box on purpose: nothing here touches the test database. The server runs in a
subprocess on its own SQLite file in a temporary directory, seeded by `seed_demo`, and
writes its emails to files there, which is where the tests read verification links from.
ChannelsLiveServerTestCase is not used: it is broken on Django 5.2.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CHROMIUM = "/usr/bin/chromium"
SERVER_START_TIMEOUT = 30.0
COMMAND_TIMEOUT = 120
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Django's file email backend separates the messages of one connection with this line.
_MESSAGE_SEPARATOR = re.compile(rb"^-{79}\r?$", re.MULTILINE)


# --- The server ----------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    root: Path
    mail_dir: Path
    log: Path

    def manage(self, *args: str) -> str:
        """Run a manage.py command on this server's database (to set up what a journey
        needs but would take long to click through); returns its output."""
        return _manage(_server_env(self.root, int(self.url.rsplit(":", 1)[1])), *args)

    def messages_to(self, address: str) -> list[email.message.EmailMessage]:
        """Every email written so far to `address`, oldest first."""
        found = []
        if not self.mail_dir.is_dir():
            return found
        for path in sorted(self.mail_dir.iterdir(), key=lambda p: (p.stat().st_mtime_ns, p.name)):
            # Bytes, not text: the bodies are 8-bit UTF-8, which only the bytes parser decodes.
            for chunk in _MESSAGE_SEPARATOR.split(path.read_bytes()):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(
                    chunk.lstrip(b"\r\n"), policy=email.policy.default
                )
                recipients = " ".join(message.get_all("To", []) + message.get_all("Cc", []))
                if address.lower() in recipients.lower():
                    found.append(message)
        return found

    def wait_for_message_to(
        self, address: str, matching: Callable[[str], bool], timeout: float = 10.0
    ) -> str:
        """The plain-text body of the newest email to `address` whose body `matching` accepts."""
        deadline = time.monotonic() + timeout
        while True:
            for message in reversed(self.messages_to(address)):
                body = message.get_body(preferencelist=("plain",))
                text = body.get_content() if body is not None else ""
                if matching(text):
                    return text
            if time.monotonic() > deadline:
                pytest.fail(f"No matching email to {address} in {self.mail_dir} after {timeout} s")
            time.sleep(0.1)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(root: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    # The browser server always runs on the embedded defaults, whatever the shell points at.
    for name in (
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "SITE_URL",
        "CSRF_TRUSTED_ORIGINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "TRUSTED_PROXY_COUNT",
        "REALTIME_RELAY_URL",
    ):
        env.pop(name, None)
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{root / 'db.sqlite3'}",
        EMAIL_URL=f"file://{root / 'mail'}",
        ACCOUNT_EMAIL_VERIFICATION="mandatory",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        # The worker's live events go to this server's in-memory layer, as under make run.
        REALTIME_RELAY_URL=f"http://127.0.0.1:{port}",
        MEDIA_ROOT=str(root / "media"),
        STATIC_ROOT=str(root / "static"),
        DJANGO_SETTINGS_MODULE="community.settings",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    """Run manage.py with `env`; its output, or the test fails with it."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


def chromium_executable() -> str | None:
    """The Chromium the journeys drive (CHROMIUM_PATH or the system one), if it is there."""
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = chromium_executable()
    if path is None:
        pytest.skip(
            f"Chromium not found at {os.environ.get('CHROMIUM_PATH') or DEFAULT_CHROMIUM}; "
            "browser journeys skipped"
        )
    return path


@contextlib.contextmanager
def serve(root: Path, port: int, env: dict[str, str]) -> Iterator[LiveServer]:
    """daphne on `port` over the database and mail directory in `root`, and a background
    worker beside it (it sends the emails), as `make run` starts them, until the block ends.
    The periodic jobs stay off: a digest or a reminder would be noise in the journeys.

    Each pytest-xdist worker runs servers of its own, on its own free ports and files.
    """
    url = f"http://127.0.0.1:{port}"
    log = root / "server.log"
    with (root / "worker.log").open("wb") as worker_log:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-schedule"],
            cwd=REPO_ROOT,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "community.asgi:application",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                state = (
                    f"exited with {process.returncode}"
                    if process.poll() is not None
                    else f"not healthy after {SERVER_START_TIMEOUT:.0f} s"
                )
                pytest.fail(
                    f"daphne {state}; its output:\n{log.read_text(errors='replace')}", pytrace=False
                )
            time.sleep(0.1)
        yield LiveServer(url=url, root=root, mail_dir=root / "mail", log=log)
    finally:
        for running in (process, worker):
            running.terminate()
            try:
                running.wait(timeout=10)
            except subprocess.TimeoutExpired:
                running.kill()
                running.wait(timeout=10)


@pytest.fixture(scope="session")
def live_app(chromium_path, tmp_path_factory) -> Iterator[LiveServer]:
    """A daphne server with a freshly seeded demo community; yields where it listens."""
    root = tmp_path_factory.mktemp("browser-server")
    (root / "mail").mkdir()
    port = _free_port()
    env = _server_env(root, port)
    _manage(env, "migrate", "--noinput")
    _manage(env, "seed_demo")
    _manage(env, "run_worker", "--batch", "--no-schedule")  # what seeding left to the workers
    with serve(root, port, env) as server:
        yield server


# --- The browser ---------------------------------------------------------------------


# Package scope: Playwright's sync API keeps its event loop registered as the running loop
# while it is open, so it must be closed before the async tests of later packages run.
@pytest.fixture(scope="package")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Chromium logs this for every 4xx/5xx response, pages included. A page the app
# deliberately answers with a 4xx (a form with errors is a 400, an unknown profile a 404)
# is not a script failure: the journey asserts on that page itself.
_FAILED_LOAD = re.compile(
    r"^Failed to load resource: the server responded with a status of 4\d\d\b"
)


@dataclass
class PageProblems:
    """Uncaught exceptions and console errors that the pages reported during one test."""

    exceptions: list[str] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)
    client_error_documents: set[str] = field(default_factory=set)

    def record_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(((message.location or {}).get("url", ""), message.text))

    def record_exception(self, error) -> None:
        self.exceptions.append(f"uncaught page error: {error}")

    def record_response(self, response) -> None:
        if response.request.resource_type == "document" and 400 <= response.status < 500:
            self.client_error_documents.add(response.url)

    def report(self) -> list[str]:
        """Everything worth failing for; subresource failures (CSS, JS, htmx calls) count."""
        console = [
            f"console error at {url or '?'}: {text}"
            for url, text in self.console_errors
            if not (_FAILED_LOAD.match(text) and url in self.client_error_documents)
        ]
        return self.exceptions + console


_PROBLEMS_KEY = pytest.StashKey[PageProblems]()
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def page(browser, live_app, request):
    """A fresh context (no cookies) per test, in Russian as our members' browsers are."""
    context = browser.new_context(
        base_url=live_app.url,
        locale="ru-RU",
        timezone_id="Europe/Moscow",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    # A blocked script, style or connection is a console error like any other failure.
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    problems = PageProblems()
    request.node.stash[_PROBLEMS_KEY] = problems
    page = context.new_page()
    page.on("console", problems.record_console)
    page.on("pageerror", problems.record_exception)
    page.on("response", problems.record_response)
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a journey whose pages logged console errors or threw, even if it passed."""
    result = yield
    problems = item.stash.get(_PROBLEMS_KEY, None)
    reported = problems.report() if problems is not None else []
    if reported:
        pytest.fail("The pages reported errors:\n  " + "\n  ".join(reported), pytrace=False)
    return result
