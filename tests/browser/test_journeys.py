"""What members do in a real browser, start to finish.

The assertions lean on URLs, element ids and names, CSS classes and <html lang>, and on
demo data (names are data, not interface strings). Interface text is compared only after
switching to English, so that rewording a Russian translation never breaks a journey.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import (
    COORDINATOR_EMAIL,
    MENTOR_EMAIL,
    MENTOR_NAME,
    NEWCOMER_EMAIL,
    NEWCOMER_NAME,
    account_menu,
    log_in,
    log_out,
    path_is,
)

pytestmark = pytest.mark.browser

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s<>\"']+)")


def choose_language(page: Page, code: str) -> None:
    """Pick a language in the header as a member would.

    With static/js/site.js the choice applies as soon as it is picked and the Switch button
    is only kept (visually hidden) for visitors without JavaScript; without it, Switch submits.
    """
    page.wait_for_load_state("load")  # site.js, a module script, has run by now
    switcher = page.locator("header form.language-switcher")
    button = switcher.locator("button[type=submit]")
    applies_at_once = "visually-hidden" in (button.get_attribute("class") or "").split()
    switcher.locator("#language-select").select_option(code)
    if not applies_at_once:
        button.click()


def open_own_profile(page: Page, live_app) -> None:
    account_menu(page).locator("summary").click()
    account_menu(page).locator("a[href^='/people/']").click()
    expect(page).to_have_url(re.compile(re.escape(live_app.url) + r"/people/[^/]+/$"))


def test_visitor_signs_up_verifies_email_and_lands_logged_in(page: Page, live_app):
    full_name = "Зарина Ильдаровна Галиева"
    address = f"zarina.{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/")
    page.locator("header a[href='/accounts/signup/']").click()
    expect(page).to_have_url(path_is(live_app, "/accounts/signup/"))

    page.locator("#id_full_name").fill(full_name)
    page.locator("#id_email").fill(address)
    page.locator("#id_position").fill("Специалист отдела кадров")
    department = page.locator("#id_department option", has_text="Отдел кадров")
    page.locator("#id_department").select_option(department.get_attribute("value"))
    page.locator("#id_password1").fill("Birch-Ledger-Sunny-42")
    page.locator("#id_password2").fill("Birch-Ledger-Sunny-42")
    page.locator("main form button[type=submit]").click()

    # Verification is mandatory: the visitor is told to check their mail, and is not in yet.
    expect(page).to_have_url(path_is(live_app, "/accounts/confirm-email/"))
    expect(account_menu(page)).to_have_count(0)

    body = live_app.wait_for_message_to(address, lambda text: bool(CONFIRM_LINK.search(text)))
    page.goto(CONFIRM_LINK.search(body).group(1))
    expect(page.locator("main")).to_contain_text(address)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(path_is(live_app, "/"))
    expect(account_menu(page)).to_be_visible()
    expect(page.locator("main h1")).to_contain_text("Зарина")

    open_own_profile(page, live_app)
    expect(page.locator("main h1")).to_have_text(full_name)
    expect(page.locator(".profile-header")).to_contain_text("Отдел кадров")
    expect(page.locator(".profile-header .badge-newcomer")).to_be_visible()


def test_demo_mentor_logs_in_and_sees_the_directory(page: Page, live_app):
    log_in(page, live_app, MENTOR_EMAIL)
    page.locator("nav.main-nav a[href='/people/']").click()
    expect(page).to_have_url(path_is(live_app, "/people/"))

    results = page.locator("#directory-results")
    expect(results.locator(".member-card").first).to_be_visible()
    # Unfiltered, the first page mixes roles (the coordinator and newcomers are there too).
    expect(results.locator(".member-card .badge:not(.badge-mentor)").first).to_be_visible()

    page.wait_for_load_state("load")  # htmx has wired the filters by now
    page.locator("#id_role").select_option("mentor")
    expect(page).to_have_url(re.compile(r"/people/\?(.*&)?role=mentor(&|$)"), timeout=15_000)
    expect(results.locator(".member-card .badge:not(.badge-mentor)")).to_have_count(0)
    expect(results.locator(".member-name", has_text=MENTOR_NAME)).to_be_visible()
    expect(results.locator(".member-card .badge-mentor").first).to_be_visible()

    # The filtered address works on its own, too (a shared link, a reload).
    page.reload()
    expect(page.locator("#id_role")).to_have_value("mentor")
    expect(results.locator(".member-card .badge:not(.badge-mentor)")).to_have_count(0)
    results.locator(".member-name", has_text=MENTOR_NAME).click()
    expect(page.locator("main h1")).to_have_text(MENTOR_NAME)


def test_wrong_password_shows_an_error_and_keeps_the_user_out(page: Page, live_app):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(MENTOR_EMAIL)
    page.locator("#id_password").fill("not-the-demo-password")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(path_is(live_app, "/accounts/login/"))
    expect(page.locator("main form .errorlist")).to_be_visible()
    expect(page.locator("#id_login")).to_have_value(MENTOR_EMAIL)
    expect(page.locator("#id_password")).to_have_value("")
    expect(account_menu(page)).to_have_count(0)

    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=(/|%2F)people(/|%2F)$"))
    expect(account_menu(page)).to_have_count(0)


def test_language_switch_turns_the_interface_english_and_back(page: Page, live_app):
    html = page.locator("html")
    log_in_link = page.locator("header a[href='/accounts/login/']")
    sign_up_link = page.locator("header a[href='/accounts/signup/']")

    page.goto("/")
    expect(html).to_have_attribute("lang", "ru")
    expect(page.locator("#language-select")).to_have_value("ru")
    russian_log_in = log_in_link.inner_text().strip()

    choose_language(page, "en")
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(path_is(live_app, "/"))
    expect(page.locator("#language-select")).to_have_value("en")
    expect(log_in_link).to_have_text("Log in")
    expect(sign_up_link).to_have_text("Sign up")
    assert russian_log_in != "Log in", "the Russian header shows the English «Log in»"

    # The choice sticks for the rest of the visit.
    page.goto("/accounts/login/")
    expect(html).to_have_attribute("lang", "en")

    choose_language(page, "ru")
    expect(html).to_have_attribute("lang", "ru")
    expect(page).to_have_url(path_is(live_app, "/accounts/login/"))
    expect(log_in_link).to_have_text(russian_log_in)


def test_newcomer_applies_and_coordinator_approves(page: Page, live_app):
    motivation = "Десять лет вела делопроизводство в районной администрации, знаю СЭД изнутри."
    comment = f"Добро пожаловать в наставники! ({uuid.uuid4().hex[:6]})"

    # The newcomer applies.
    log_in(page, live_app, NEWCOMER_EMAIL)
    page.locator("nav.main-nav a[href='/mentors/apply/']").click()
    expect(page).to_have_url(path_is(live_app, "/mentors/apply/"))
    page.locator("textarea[name=motivation]").fill(motivation)
    first_tag = page.locator("input[name=expertise]").first
    first_tag.check()
    tag_name = page.locator(f"label[for='{first_tag.get_attribute('id')}']").inner_text().strip()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(path_is(live_app, "/mentors/apply/"))
    status = page.locator("#application-status")
    expect(status.locator(".badge-pending")).to_be_visible()
    expect(page.locator("textarea[name=motivation]")).to_have_count(0)
    log_out(page, live_app)

    # The coordinator approves.
    log_in(page, live_app, COORDINATOR_EMAIL)
    page.locator("nav.main-nav a[href='/mentors/applications/']").click()
    expect(page).to_have_url(path_is(live_app, "/mentors/applications/"))
    row = page.locator("main table tbody tr", has_text=NEWCOMER_NAME)
    expect(row).to_contain_text(tag_name)
    row.get_by_role("link", name=NEWCOMER_NAME).click()
    expect(page).to_have_url(re.compile(re.escape(live_app.url) + r"/mentors/applications/\d+/$"))
    expect(page.locator("main .prose")).to_contain_text(motivation)
    page.locator("input[name=decision][value=approve]").check()
    page.locator("textarea[name=comment]").fill(comment)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(path_is(live_app, "/mentors/applications/"))
    expect(page.locator("main .message-success")).to_be_visible()
    expect(page.locator("main table", has_text=NEWCOMER_NAME)).to_have_count(0)
    log_out(page, live_app)

    # The former newcomer sees the decision and is a mentor now.
    body = live_app.wait_for_message_to(NEWCOMER_EMAIL, lambda text: comment in text)
    assert "/mentors/apply/" in body
    log_in(page, live_app, NEWCOMER_EMAIL)
    expect(page.locator("nav.main-nav a[href='/mentors/apply/']")).to_have_count(0)
    page.goto("/mentors/apply/")
    expect(status.locator(".badge-approved")).to_be_visible()
    expect(status.locator("blockquote")).to_contain_text(comment)
    open_own_profile(page, live_app)
    expect(page.locator("main h1")).to_have_text(NEWCOMER_NAME)
    expect(page.locator(".profile-header .badge-mentor")).to_be_visible()
