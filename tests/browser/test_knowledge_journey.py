"""From discussion to knowledge in a real browser: a mentor turns a solved thread into a
practice and publishes it, a coordinator verifies it, a newcomer finds it by another form
of a word."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import (
    COORDINATOR_EMAIL,
    MENTOR_EMAIL,
    NEWCOMER_EMAIL,
    log_in,
    log_out,
)

pytestmark = pytest.mark.browser

SOLVED = "Где посмотреть лимиты бюджетных обязательств отдела?"


def test_a_solved_thread_becomes_a_verified_practice_that_newcomers_find(page: Page, live_app):
    # 1. The mentor finds the solved thread and sends it to the knowledge base.
    log_in(page, live_app, MENTOR_EMAIL)
    page.goto("/search/?q=лимиты")
    page.locator("#results-forumthread a", has_text=SOLVED).click()
    expect(page.locator("h1")).to_contain_text(SOLVED)
    page.locator("#thread-knowledge select[name=kind]").select_option("practice")
    page.locator("#thread-knowledge button[type=submit]").click()

    # 2. A draft practice, prefilled from the thread: the mentor writes up the sections.
    expect(page.locator("#article-form")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(SOLVED)
    expect(page.locator("#id_section_steps")).not_to_have_value("")
    page.locator("#id_title").fill("Лимиты бюджетных обязательств: где смотреть")
    page.locator("#id_section_goal").fill("Новичок сам проверяет остаток лимитов до заявки.")
    page.locator("#id_section_results").fill("Заявки без возвратов из финансового управления.")
    page.locator("#id_note").fill("Разделы практики")
    page.locator("#article-form button[type=submit]").click()
    expect(page.locator("#article-status")).to_be_visible()  # still a draft
    expect(page.locator("#article .prose h2").first).to_have_text("Цель")
    page.locator(".article-actions form[action$='/publish/'] button").click()
    expect(page.locator("#article-status")).to_have_count(0)
    expect(page.locator("#sources")).to_contain_text(SOLVED)
    article_url = page.url
    log_out(page, live_app)

    # 3. The coordinator verifies it.
    log_in(page, live_app, COORDINATOR_EMAIL)
    page.goto(article_url)
    page.locator("#verify-form input[name=review_interval_days]").fill("90")
    page.locator("#verify-form button[type=submit]").click()
    expect(page.locator("#verification")).to_contain_text("Проверено")
    log_out(page, live_app)

    # 4. The newcomer searches with another form of the word and finds it, verified.
    log_in(page, live_app, NEWCOMER_EMAIL)
    page.goto("/search/")
    page.locator("#id_q").fill("лимитов")
    page.locator("form[role=search] button[type=submit]").click()
    hit = page.locator(
        "#results-knowledgearticle a", has_text="Лимиты бюджетных обязательств: где смотреть"
    )
    expect(hit).to_be_visible()
    expect(page.locator("#results-knowledgearticle mark").first).to_be_visible()
    hit.click()
    expect(page.locator("#verification")).to_contain_text("Проверено")
