"""What members do in the browser, shared by the journeys."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

DEMO_PASSWORD = "nastavnik-demo"
MENTOR_EMAIL = "mentor@example.com"
MENTOR_NAME = "Алия Маратовна Хасанова"
NEWCOMER_EMAIL = "newcomer@example.com"
NEWCOMER_NAME = "Тимур Айратович Сабиров"
COORDINATOR_EMAIL = "coordinator@example.com"


def path_is(live_app, path: str) -> re.Pattern[str]:
    """A URL pattern for exactly this path on the server (any query string)."""
    return re.compile(re.escape(live_app.url + path) + r"(\?.*)?$")


def account_menu(page: Page):
    return page.locator("header details.account-menu")


def log_in(page: Page, live_app, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(path_is(live_app, "/"))
    expect(account_menu(page)).to_be_visible()


def log_out(page: Page, live_app) -> None:
    account_menu(page).locator("summary").click()
    account_menu(page).locator("form button[type=submit]").click()
    expect(account_menu(page)).to_have_count(0)
    expect(page.locator("header a[href='/accounts/login/']")).to_be_visible()


def logged_in_page(browser, live_app, email: str) -> Page:
    """A second member at once, in a browser context of their own (close its context)."""
    context = browser.new_context(
        base_url=live_app.url, locale="ru-RU", timezone_id="Europe/Moscow"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, live_app, email)
    return page


def start_thread(page: Page, *, title: str, body: str, question: bool = False) -> str:
    """The logged-in member starts a thread in «Вопросы новичков»; its address."""
    page.goto("/forum/c/voprosy-novichkov/")
    page.locator("main a[href^='/forum/new/']").click()
    if question:
        page.locator("#id_kind input[value=question]").check()
    page.locator("#id_title").fill(title)
    page.locator("#id_body").fill(body)
    page.locator("#thread-form button[type=submit].button").first.click()
    expect(page.locator("h1")).to_have_text(title)
    return page.url
