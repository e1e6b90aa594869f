"""Every XSS vector of the corpus, through every surface of members' text, opened by
another member in Chromium: no dialog, no script, no handler, no CSP violation.

Surfaces: thread titles (in lists, pages and the tab title), opening posts and replies,
@mentions of members named after vectors, chat messages, article titles and text, profile
bios and the directory, search queries (reflected) and snippets, and notifications.
"""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.actions import log_in
from tests.browser.conftest import COMMAND_TIMEOUT, REPO_ROOT, _server_env
from tests.security.xss_seed import READER

pytestmark = pytest.mark.browser

TRAP = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
  window[name] = (...args) => { window.__xss.push(`${name}(${args.join(",")})`); };
}
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""

# What ran or could run: trapped calls, CSP refusals, and markup that should never exist.
PROBE = """() => {
  const handlers = [...document.querySelectorAll("*")].flatMap((element) =>
    [...element.attributes].filter((a) => a.name.toLowerCase().startsWith("on"))
      .map((a) => `${element.tagName}[${a.name}]`));
  const urls = [...document.querySelectorAll("[href],[src],[action],[formaction],[xlink\\\\:href]")]
    .flatMap((element) => ["href", "src", "action", "formaction", "xlink:href"]
      .map((name) => element.getAttribute(name)).filter(Boolean))
    .filter((url) => /^(javascript|vbscript|data):/i
      .test(url.replace(/[\\s\\u0000-\\u001f]/g, "")));
  const inline = [...document.scripts].filter((script) => !script.src).length;
  // The pages' own forms are fine; inside members' text there must be none.
  const embedded = document.querySelectorAll(
    "iframe,object,embed,base,.prose form,.prose input,.prose button,.prose style").length;
  return {ran: window.__xss, violations: window.__violations, handlers, urls, inline, embedded};
}"""


@pytest.fixture(scope="module")
def seeded(live_app) -> dict:
    port = urlsplit(live_app.url).port
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "import json; from tests.security.xss_seed import seed; print(json.dumps(seed()))",
        ],
        cwd=REPO_ROOT,
        env=_server_env(live_app.root, port),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT * 3,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def reader(browser, live_app):
    context = browser.new_context(base_url=live_app.url, locale="ru-RU")
    context.add_init_script(TRAP)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    log_in(page, live_app, READER)
    yield page
    context.close()


def _pages(seeded: dict) -> list[str]:
    listed = [f"{seeded['category']}?page={n}" for n in range(1, 12)]
    people = [f"/people/?page={n}" for n in range(1, 11)]
    notifications = [f"/notifications/?page={n}" for n in range(1, 9)]
    searches = [f"/search/?q={quote(query)}" for query in seeded["queries"]]
    searches += ["/search/?q=alert", "/search/?q=script", "/search/?q=javascript"]
    return (
        seeded["threads"]
        + listed
        + seeded["rooms"]
        + seeded["articles"]
        + seeded["profiles"]
        + people
        + notifications
        + searches
        + ["/", "/kb/"]
    )


def test_no_vector_runs_on_any_page(seeded, reader: Page):
    problems = []
    for url in _pages(seeded):
        reader.goto(url)
        found = reader.evaluate(PROBE)
        bad = {key: value for key, value in found.items() if value}
        if bad or reader.dialogs:
            problems.append((url, bad, list(reader.dialogs)))
            reader.dialogs.clear()
    assert not problems, json.dumps(problems[:5], ensure_ascii=False, indent=1)


def test_the_vectors_really_are_on_the_pages(seeded, reader: Page):
    """The suite would pass on empty pages; these prove the text got there, inert."""
    reader.goto(seeded["threads"][-1])
    assert reader.locator("article.post").count() > len(seeded["queries"])
    text = reader.locator("main").inner_text()
    assert "alert(1)" in text  # shown as text, where it cannot run
    reader.goto("/notifications/")
    assert reader.locator("main li").count() >= 20
    reader.goto(seeded["rooms"][0])
    assert reader.locator("#chat-messages li").count() >= 40
