"""The forum's journey in a real browser: a newcomer asks, mentors answer, one is accepted."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import MENTOR_EMAIL, NEWCOMER_EMAIL, log_in, log_out, path_is

pytestmark = pytest.mark.browser

SECOND_MENTOR_EMAIL = "r.garipov@example.com"
# A newcomer no journey promotes: test_journeys.py makes newcomer@example.com a mentor, and
# the journeys share one server per xdist worker, in whatever order worksteal runs them.
UNPROMOTED_NEWCOMER_EMAIL = "p.smirnov@example.com"
MENTOR_ONLY_THREAD = "Новичок стесняется задавать вопросы — как быть?"


def test_newcomer_asks_mentors_answer_and_the_accepted_answer_comes_first(page: Page, live_app):
    title = f"Как согласовать отпуск в первый месяц? {uuid.uuid4().hex[:6]}"

    # 1. The newcomer asks in «Вопросы новичков».
    log_in(page, live_app, NEWCOMER_EMAIL)
    page.goto("/forum/c/voprosy-novichkov/")
    page.locator("main a[href^='/forum/new/']").click()
    page.locator("#id_kind input[value=question]").check()
    page.locator("#id_title").fill(title)
    page.locator("#id_body").fill("Хочу взять два дня за свой счёт. К кому идти?")
    page.locator("#thread-form button[type=submit].button").first.click()
    expect(page.locator("h1")).to_have_text(title)
    thread_url = page.url
    # The mentor-only category is not offered, and its thread stays out of reach.
    page.goto("/forum/")
    expect(page.locator("main")).not_to_contain_text(MENTOR_ONLY_THREAD)
    log_out(page, live_app)

    # 2. The mentor is notified, follows the notification and answers.
    log_in(page, live_app, MENTOR_EMAIL)
    expect(page.locator("#notification-badge .notification-count")).to_be_visible()
    page.goto("/notifications/")
    page.locator("main a", has_text=title).first.click()
    expect(page).to_have_url(re.compile(re.escape(thread_url.split("#")[0])))
    page.locator("#id_body").fill("Напишите заявление в СЭД, шаблон «Отпуск без сохранения».")
    page.locator("form.composer-form button[type=submit].button").first.click()
    first_answer = page.locator("article.post", has_text="Отпуск без сохранения")
    expect(first_answer).to_be_visible()
    log_out(page, live_app)

    # 3. A second mentor replies to that reply, which nests it.
    log_in(page, live_app, SECOND_MENTOR_EMAIL)
    page.goto(thread_url)
    page.locator("article.post", has_text="Отпуск без сохранения").locator(
        "a[href$='/reply/']"
    ).click()
    page.locator("#id_body").fill("И предупредите начальника отдела заранее.")
    page.locator("form.composer-form button[type=submit].button").first.click()
    nested = page.locator("article.post.indent-1", has_text="предупредите начальника")
    expect(nested).to_be_visible()
    log_out(page, live_app)

    # 4. The newcomer accepts the first answer.
    log_in(page, live_app, NEWCOMER_EMAIL)
    page.goto(thread_url)
    page.locator("article.post", has_text="Отпуск без сохранения").locator(
        "form[action$='/accept/'] button"
    ).click()

    # 5. The accepted answer is shown first, above the discussion.
    accepted = page.locator("section.accepted-answer")
    expect(accepted).to_contain_text("Отпуск без сохранения")
    assert accepted.bounding_box()["y"] < page.locator("#replies").bounding_box()["y"]
    expect(page.locator("article.post.post-accepted")).to_contain_text("Отпуск без сохранения")


def test_a_mentor_only_thread_is_a_404_for_a_newcomer(page: Page, live_app):
    log_in(page, live_app, MENTOR_EMAIL)
    page.goto("/forum/c/opyt-nastavnikov/")
    page.locator("a.thread-title", has_text=MENTOR_ONLY_THREAD).click()
    secret_url = page.url
    log_out(page, live_app)

    log_in(page, live_app, UNPROMOTED_NEWCOMER_EMAIL)
    response = page.goto(secret_url)
    assert response.status == 404
    expect(page.locator("main")).not_to_contain_text(MENTOR_ONLY_THREAD)
    assert page.goto("/forum/c/opyt-nastavnikov/").status == 404
    expect(page).to_have_url(path_is(live_app, "/forum/c/opyt-nastavnikov/"))


def test_a_new_reply_appears_without_a_reload(page: Page, live_app, browser):
    log_in(page, live_app, NEWCOMER_EMAIL)
    page.goto("/forum/c/voprosy-novichkov/")
    page.locator("a.thread-title", has_text="Как получить доступ к электронной подписи?").click()
    expect(page.locator("body[data-realtime=connected]")).to_have_count(1)
    expect(page.locator("#live-status")).not_to_be_empty()
    thread_url = page.url

    other = browser.new_context(base_url=live_app.url, locale="ru-RU").new_page()
    log_in(other, live_app, MENTOR_EMAIL)
    other.goto(thread_url)
    other.locator("#id_body").fill("Заявку на подпись подают через отдел цифровых сервисов.")
    other.locator("form.composer-form button[type=submit].button").first.click()
    other.context.close()

    live_reply = page.locator("#replies article.post", has_text="отдел цифровых сервисов")
    expect(live_reply).to_be_visible()
