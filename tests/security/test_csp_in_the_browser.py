"""What the policy does in a real browser: a script slipped into a page does not run, and
the journeys' detector sees the attempt (so a violation anywhere fails a journey)."""

from __future__ import annotations

import pytest

from tests.browser.actions import MENTOR_EMAIL, log_in
from tests.browser.conftest import REPORT_CSP_VIOLATIONS

pytestmark = pytest.mark.browser

COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
                          (event) => window.__violations.push(event.violatedDirective));
"""


@pytest.fixture
def watched_page(browser, live_app):
    context = browser.new_context(base_url=live_app.url, locale="ru-RU")
    context.add_init_script(COLLECT)
    page = context.new_page()
    yield page
    context.close()


def test_an_injected_inline_script_and_style_are_refused_and_reported(watched_page, live_app):
    log_in(watched_page, live_app, MENTOR_EMAIL)
    watched_page.goto("/forum/")
    watched_page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.append(script);
        const style = document.createElement("style");
        style.textContent = "body { display: none }";
        document.head.append(style);
        const image = document.createElement("img");
        image.src = "https://evil.example/pixel.png";
        document.body.append(image);
    }""")
    watched_page.wait_for_function("window.__violations.length >= 3")
    assert watched_page.evaluate("window.__ran") is None
    assert set(watched_page.evaluate("window.__violations")) >= {
        "script-src-elem",
        "style-src-elem",
        "img-src",
    }
    assert watched_page.locator("body").is_visible()


def test_the_pages_own_scripts_run_under_the_policy(watched_page, live_app):
    log_in(watched_page, live_app, MENTOR_EMAIL)
    for path in ["/", "/forum/", "/chat/channels/", "/kb/", "/mentoring/", "/people/"]:
        watched_page.goto(path)
        # realtime.js marks the body once its socket says hello: scripts ran, the socket
        # was allowed.
        watched_page.wait_for_selector("body[data-realtime=connected]")
    assert watched_page.evaluate("window.__violations") == []


def test_the_journeys_detector_turns_a_violation_into_a_console_error(browser, live_app):
    context = browser.new_context(base_url=live_app.url)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/accounts/login/")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "1";
        document.body.append(script);
    }""")
    page.wait_for_timeout(300)
    context.close()
    assert any(text.startswith("CSP violation: script-src") for text in errors), errors
