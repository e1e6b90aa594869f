"""Accessibility in Russian: axe-core (vendored in tests/browser/vendor, MPL-2.0) on every
main page with no serious or critical violation; every page usable at 320 px without
sideways scrolling; and the main journey done with the keyboard alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import COORDINATOR_EMAIL, DEMO_PASSWORD, NEWCOMER_EMAIL, log_in

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
PUBLIC = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
MEMBER = [
    "/",
    "/forum/",
    "/forum/new/",
    "/chat/channels/",
    "/kb/",
    "/mentoring/",
    "/search/?q=записка",
    "/people/",
    "/notifications/",
    "/accounts/profile/",
    "/mentors/apply/",
]
COORDINATOR = [
    "/dashboard/",
    "/mentoring/propose/",
    "/people/import/",
    "/forum/moderation/",
    "/mentors/applications/",
    "/kb/review/",
]


def _first_link(page: Page, prefix: str) -> str:
    return page.locator(f"main a[href^='{prefix}']").first.get_attribute("href")


def _pages_with_content(page: Page) -> list[str]:
    """A thread, a room, an article and a profile, found the way a member finds them."""
    page.goto("/forum/")
    thread = _first_link(page, "/forum/t/")
    page.goto("/chat/channels/")
    room = _first_link(page, "/chat/r/")
    page.goto("/kb/")
    article = _first_link(page, "/kb/a/")
    page.goto("/people/")
    profile = _first_link(page, "/people/")
    return [thread, room, article, profile]


def _serious_violations(page: Page) -> list[dict]:
    page.evaluate(AXE)  # through the debugger protocol: the page's CSP is not bypassed
    found = page.evaluate("""async () => (await axe.run(document, {
        resultTypes: ["violations"],
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                        "best-practice"]}})).violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3)
                      .map((n) => n.target.join(" "))}))""")
    return found


def _audit(page: Page, paths: list[str]) -> dict[str, list]:
    problems = {}
    for path in paths:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        if found := _serious_violations(page):
            problems[path] = found
    return problems


def test_public_pages_have_no_serious_violations(page: Page):
    assert _audit(page, PUBLIC) == {}


def test_member_pages_have_no_serious_violations(page: Page, live_app):
    log_in(page, live_app, NEWCOMER_EMAIL)
    paths = MEMBER + _pages_with_content(page)
    problems = _audit(page, paths)
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


def test_coordinator_pages_have_no_serious_violations(page: Page, live_app):
    log_in(page, live_app, COORDINATOR_EMAIL)
    problems = _audit(page, COORDINATOR)
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


def test_every_page_fits_a_320_pixel_screen(page: Page, live_app):
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, live_app, COORDINATOR_EMAIL)
    paths = PUBLIC[1:] + MEMBER + COORDINATOR + _pages_with_content(page)
    too_wide = {}
    for path in paths:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    assert too_wide == {}


def test_logging_in_and_replying_work_by_keyboard_alone(page: Page, live_app):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")  # the skip link comes first and takes you to the content
    expect(page.locator("a.skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    _tab_to(page, "#id_login")
    page.keyboard.type(NEWCOMER_EMAIL)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("header details.account-menu")).to_be_visible()

    page.goto("/forum/")
    _tab_to(page, "main a[href^='/forum/t/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/forum/t/\d+/"))
    _tab_to(page, ".composer-form textarea")
    page.keyboard.type("Спасибо, разобрался с клавиатуры.")
    _tab_to(page, ".composer-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("article.post", has_text="разобрался с клавиатуры")).to_be_visible()


def _tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until `selector` has the focus, as someone without a mouse would."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{selector} is not reachable with Tab")
