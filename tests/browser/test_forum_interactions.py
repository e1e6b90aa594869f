"""The thread page's interactions with a real mouse and a second member live."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.actions import MENTOR_EMAIL, log_in, logged_in_page, start_thread

pytestmark = pytest.mark.browser

SECOND_MENTOR_EMAIL = "r.garipov@example.com"


def visiting_cards_thread(page: Page, body: str) -> str:
    return start_thread(page, title=f"Как заказать визитки? {uuid.uuid4().hex[:6]}", body=body)


def reply(page: Page, text: str) -> None:
    page.locator("#id_body").fill(text)
    page.locator("form.composer-form button[type=submit].button").first.click()
    expect(page.locator("article.post", has_text=text)).to_be_visible()


def test_quoting_a_selection_with_the_mouse(page: Page, live_app):
    log_in(page, live_app, MENTOR_EMAIL)
    visiting_cards_thread(page, "Визитки заказывает отдел протокола по служебной записке.")
    # forum.js is a module, loaded after the page: it has run once the live status shows.
    expect(page.locator("#live-status")).not_to_be_empty()
    # Select the opening post's text with the mouse (a triple click selects its paragraph),
    # then click «Цитировать» with the mouse too.
    page.locator("article.post-opening .post-body p").click(click_count=3)
    quote = page.locator("#quote-button")
    expect(quote).to_be_visible()
    quote.click()
    composer = page.locator("form.composer-form textarea[name=body]")
    expect(composer).to_have_value(
        "> Визитки заказывает отдел протокола по служебной записке.\n"
        "> — Алия Маратовна Хасанова\n\n"
    )
    expect(composer).to_be_focused()
    expect(quote).to_have_count(0)


def test_a_live_reply_updates_the_reply_count(page: Page, browser: Browser, live_app):
    log_in(page, live_app, MENTOR_EMAIL)
    thread_url = visiting_cards_thread(page, "Есть ли шаблон визитки?")
    heading = page.locator("#replies-heading")
    expect(heading).to_have_text("0 ответов")

    other_page = logged_in_page(browser, live_app, SECOND_MENTOR_EMAIL)
    other_page.goto(thread_url)
    reply(other_page, "Шаблон в СЭД, раздел «Протокол».")
    expect(page.locator("article.post", has_text="раздел «Протокол»")).to_be_visible()
    expect(heading).to_have_text("1 ответ")
    reply(other_page, "И ещё один в папке отдела.")
    expect(heading).to_have_text("2 ответа")
    other_page.context.close()


def test_similar_questions_show_under_the_title_while_typing(page: Page, live_app):
    log_in(page, live_app, MENTOR_EMAIL)
    marker = uuid.uuid4().hex[:6]
    start_thread(
        page,
        title=f"Кто подписывает обходной лист? {marker}",
        body="Увольняюсь по переводу, с чего начать?",
        question=True,
    )
    page.goto("/forum/new/")
    title = page.locator("#id_title")
    title.click()
    title.press_sequentially(f"обходной лист {marker}", delay=20)
    box = page.locator("#similar-questions .similar")
    expect(box).to_be_visible()
    expect(box).to_be_in_viewport()
    expect(box.locator("li", has_text="Открытый вопрос")).to_contain_text(marker)
    expect(title).to_be_focused()
