"""A watcher's badge lights up while they read another page: the reply's task (a worker
process) writes the notification, and its event reaches daphne's in-memory layer through
the relay (community/realtime/relay.py), as under `make run`."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import MENTOR_EMAIL, log_in, logged_in_page, start_thread

pytestmark = pytest.mark.browser

SECOND_MENTOR_EMAIL = "r.garipov@example.com"


def unread(page: Page) -> int:
    count = page.locator("#notification-badge .notification-count")
    return int(count.inner_text()) if count.count() else 0


def test_a_watcher_hears_of_a_reply_without_reloading(page: Page, browser, live_app):
    title = f"Где взять пропуск на парковку? {uuid.uuid4().hex[:6]}"
    # The author starts a thread.
    author_page = logged_in_page(browser, live_app, SECOND_MENTOR_EMAIL)
    thread_url = start_thread(
        author_page, title=title, body="Подскажите, куда обращаться за пропуском."
    )

    # A mentor watches it, then reads the forum's front page.
    log_in(page, live_app, MENTOR_EMAIL)
    page.goto(thread_url)
    page.locator("#thread-level").select_option("watching")
    page.locator("#thread-level").locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    expect(page.locator("#thread-level")).to_have_value("watching")
    page.goto("/forum/")
    before = unread(page)

    # The author answers in the thread: the reply addresses only the author themself, so
    # the watcher hears of it from the reply's task, in the worker.
    author_page.locator("#id_body").fill("Нашёл сам: в канцелярии, каб. 105.")
    author_page.locator("form.composer-form button[type=submit].button").first.click()
    expect(author_page.locator("article.post", has_text="каб. 105")).to_be_visible()

    # No reload: the badge follows.
    expect(page.locator("#notification-badge .notification-count")).to_have_text(
        re.compile(rf"^{before + 1}$"), timeout=15_000
    )
    author_page.context.close()
