"""Every XSS vector of the corpus, through every surface of members' text, opened by
another member in Chromium: no dialog, no script, no handler, no CSP violation.

Surfaces: thread titles (in lists, pages and the tab title), opening posts and replies,
@mentions of members named after vectors, chat messages, article titles and text, profile
bios and the directory, search queries (reflected) and snippets, and notifications.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import log_in
from tests.browser.conftest import LiveServer, _free_port, _server_env, serve
from tests.security.xss_seed import READER
from tests.security.xss_world import CASES, all_pages, copy_database, pages_for

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
def seeded(xss_world) -> dict:
    return xss_world[1]


@pytest.fixture(scope="module")
def xss_app(xss_world, tmp_path_factory) -> Iterator[LiveServer]:
    """This worker's daphne over its own copy of the seeded world."""
    database, _seeded = xss_world
    root = tmp_path_factory.mktemp("xss-server")
    (root / "mail").mkdir()
    copy_database(database, root / "db.sqlite3")
    port = _free_port()
    with serve(root, port, _server_env(root, port)) as server:
        yield server


@pytest.fixture(scope="module")
def reader_session(browser, xss_app) -> dict:
    """The reader logs in through the form once per worker; every case starts from here."""
    context = browser.new_context(base_url=xss_app.url, locale="ru-RU")
    context.add_init_script(TRAP)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, xss_app, READER)
    state = context.storage_state()
    context.close()
    assert not dialogs, dialogs
    return state


@pytest.fixture
def reader(browser, xss_app, reader_session):
    context = browser.new_context(
        base_url=xss_app.url, locale="ru-RU", storage_state=reader_session
    )
    context.add_init_script(TRAP)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


@pytest.mark.parametrize("case", CASES)
def test_no_vector_runs_on_any_page(seeded, reader: Page, case: str):
    problems = []
    for url in pages_for(seeded, case):
        reader.goto(url)
        load_every_chunk(reader)
        found = reader.evaluate(PROBE)
        bad = {key: value for key, value in found.items() if value}
        if bad or reader.dialogs:
            problems.append((url, bad, list(reader.dialogs)))
            reader.dialogs.clear()
    assert not problems, json.dumps(problems[:5], ensure_ascii=False, indent=1)


def load_every_chunk(page: Page) -> None:
    """A long thread shows in chunks: press «Показать ещё» (htmx) until every post is in
    the page, so that each vector is rendered, and inserted the way a reader's would be."""
    more = page.locator("#replies-more a")
    while more.count():
        shown = page.locator("article.post").count()
        more.click()
        expect(page.locator("article.post")).not_to_have_count(shown)


def test_the_cases_open_every_page_once(seeded):
    """Cutting the pages into cases must leave none out: together they open every page."""
    cases = {case: pages_for(seeded, case) for case in CASES}
    assert all(cases.values()), [case for case, urls in cases.items() if not urls]
    assert [url for urls in cases.values() for url in urls] == all_pages(seeded)


def test_the_vectors_really_are_on_the_pages(seeded, reader: Page):
    """The suite would pass on empty pages; these prove the text got there, inert."""
    reader.goto(seeded["threads"][-1])
    load_every_chunk(reader)
    assert reader.locator("article.post").count() > len(seeded["queries"])
    text = reader.locator("main").inner_text()
    assert "alert(1)" in text  # shown as text, where it cannot run
    reader.goto("/notifications/")
    assert reader.locator("main li").count() >= 20
    reader.goto(seeded["rooms"][0])
    assert reader.locator("#chat-messages li").count() >= 40
