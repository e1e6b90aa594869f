"""Two mentors chat live: messages both ways, typing, replies, and unread counts."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import MENTOR_EMAIL, log_in

pytestmark = pytest.mark.browser

SECOND_MENTOR_EMAIL = "r.garipov@example.com"


def open_room(page: Page, name: str) -> None:
    page.goto("/chat/")
    page.locator("#room-list a", has_text=name).click()
    expect(page.locator("#room-title")).to_contain_text(name)
    expect(page.locator("body[data-realtime=connected]")).to_have_count(1)


def say(page: Page, text: str) -> None:
    page.locator("#id_body").fill(text)
    page.locator("#id_body").press("Enter")


def test_two_mentors_see_each_other_live_with_typing_and_unread_counts(
    page: Page, live_app, browser
):
    log_in(page, live_app, MENTOR_EMAIL)
    open_room(page, "Общий")
    other = browser.new_context(base_url=live_app.url, locale="ru-RU").new_page()
    log_in(other, live_app, SECOND_MENTOR_EMAIL)
    open_room(other, "Общий")

    hello = f"Привет из второго окна {uuid.uuid4().hex[:4]}"
    other.locator("#id_body").press_sequentially("Привет", delay=20)
    expect(page.locator("#typing")).to_contain_text("Рустем")
    other.locator("#id_body").fill(hello)
    other.locator("#id_body").press("Enter")
    expect(page.locator("#chat-messages li", has_text=hello)).to_have_count(1)
    # The sender's own copy stops being "pending" once the server acknowledged it.
    expect(other.locator("#chat-messages li.is-pending")).to_have_count(0)

    answer = f"Вижу, отвечаю {uuid.uuid4().hex[:4]}"
    say(page, answer)
    expect(other.locator("#chat-messages li", has_text=answer)).to_have_count(1)

    # A reply quotes its parent, live on the other side too.
    answered = other.locator("#chat-messages li", has_text=answer)
    answered.hover()  # the reply link shows on hover (and on keyboard focus)
    answered.locator(".chat-reply").click()
    expect(other.locator("#chat-replying")).to_contain_text(answer)
    reply = f"Отвечаю на ответ {uuid.uuid4().hex[:4]}"
    say(other, reply)
    expect(other.locator("#chat-replying")).to_be_hidden()
    quoted = page.locator("#chat-messages li", has_text=reply).locator(".chat-quote")
    expect(quoted).to_contain_text(answer)
    expect(quoted).to_be_visible()

    # A message in a room the first mentor is not looking at counts as unread there.
    other.locator("#room-list a", has_text="Наставники").click()
    expect(other.locator("body[data-realtime=connected]")).to_have_count(1)
    before = page.locator("#room-list a", has_text="Наставники").locator(".unread-count")
    count = int(before.inner_text() or 0)
    say(other, "Новости для наставников")
    expect(before).to_have_text(str(count + 1))
    other.context.close()


def test_history_and_sending_work_without_javascript(browser, live_app):
    context = browser.new_context(base_url=live_app.url, locale="ru-RU", java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_app, MENTOR_EMAIL)
    page.goto("/chat/")
    page.locator("#room-list a", has_text="Кадровые вопросы").click()
    expect(page.locator("#chat-messages li[data-message-id]").first).to_be_visible()
    text = f"Без скриптов {uuid.uuid4().hex[:4]}"
    page.locator("#id_body").fill(text)
    page.locator("#chat-composer button[type=submit]").click()
    expect(page.locator("#chat-messages li[data-message-id]", has_text=text)).to_have_count(1)
    context.close()
