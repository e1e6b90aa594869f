"""A pair from proposal to progress: the coordinator proposes, the mentor accepts, both meet
in the pair's room, the newcomer ticks a step, and the coordinators' dashboard shows it."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import COORDINATOR_EMAIL, log_in, logged_in_page

pytestmark = pytest.mark.browser

MENTOR_EMAIL = "e.morozova@example.com"
MENTOR_NAME = "Елена Викторовна Морозова"
NEWCOMER_EMAIL = "k.minnullina@example.com"
NEWCOMER_NAME = "Камила Ильсуровна Миннуллина"
NEWCOMER_NAME_GENITIVE = "Камилы Ильсуровны Миннуллиной"


def _plans_row(page: Page):
    return page.locator("table.table-plans tr", has_text=NEWCOMER_NAME)


def test_a_pair_goes_from_proposal_to_a_ticked_step_on_the_dashboard(page: Page, live_app, browser):
    log_in(page, live_app, COORDINATOR_EMAIL)
    page.goto("/mentoring/propose/")
    # The mentor's option shows their load, «Имя (0/2)»: pick it by the name.
    mentor_option = page.locator("#id_mentor option", has_text=MENTOR_NAME)
    page.locator("#id_mentor").select_option(value=mentor_option.get_attribute("value"))
    page.locator("#id_newcomer").select_option(label=NEWCOMER_NAME)
    page.locator("#id_message").fill("Камила пришла в отдел кадров, помогите ей освоиться.")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/mentoring/\d+/$"))
    pair_path = page.url.removeprefix(live_app.url)

    mentor = logged_in_page(browser, live_app, MENTOR_EMAIL)
    mentor.goto("/notifications/")
    # «…просит вас стать наставником для Камилы Ильсуровны Миннуллиной»: the genitive.
    mentor.locator("main a", has_text=NEWCOMER_NAME_GENITIVE).first.click()
    expect(mentor).to_have_url(re.compile(re.escape(pair_path) + "$"))
    mentor.locator("#accept-pair").click()
    expect(mentor.locator("#plan-progress")).to_contain_text("0 из")
    expect(mentor.locator("#pair-room")).to_be_visible()

    newcomer = logged_in_page(browser, live_app, NEWCOMER_EMAIL)
    newcomer.goto(pair_path)
    expect(newcomer.locator("#plan-progress")).to_contain_text("0 из")
    steps = newcomer.locator(".plan-step")
    expect(steps.first).to_be_visible()
    total = steps.count()

    # Both open the pair's room and talk there, live.
    mentor.locator("#pair-room").click()
    newcomer.locator("#pair-room").click()
    for side in (mentor, newcomer):
        expect(side.locator("body[data-realtime=connected]")).to_have_count(1)
    hello = f"Камила, добро пожаловать! {uuid.uuid4().hex[:4]}"
    mentor.locator("#id_body").fill(hello)
    mentor.locator("#id_body").press("Enter")
    expect(newcomer.locator("#chat-messages li", has_text=hello)).to_have_count(1)
    thanks = f"Спасибо, Елена Викторовна! {uuid.uuid4().hex[:4]}"
    newcomer.locator("#id_body").fill(thanks)
    newcomer.locator("#id_body").press("Enter")
    expect(mentor.locator("#chat-messages li", has_text=thanks)).to_have_count(1)

    # The newcomer ticks the first step; the mentor sees the progress.
    newcomer.goto(pair_path)
    newcomer.locator(".plan-step").first.locator("button[aria-pressed=false]").click()
    expect(newcomer.locator(".plan-step").first).to_have_class(re.compile(r"\bis-done\b"))
    expect(newcomer.locator("#plan-progress")).to_contain_text(f"1 из {total}")
    mentor.goto(pair_path)
    expect(mentor.locator("#plan-progress")).to_contain_text(f"1 из {total}")

    # The coordinator's dashboard counts the pair and its ticked step.
    page.goto("/dashboard/")
    row = _plans_row(page)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("1")
    expect(row.locator("td").nth(2)).to_have_text(str(total))
    expect(page.locator("#plan-completion")).to_contain_text(re.compile(r"\d+ из \d+"))

    for other in (mentor, newcomer):
        other.context.close()


def test_a_mentor_is_refused_the_dashboard(page: Page, live_app):
    log_in(page, live_app, MENTOR_EMAIL)
    response = page.goto("/dashboard/")
    assert response is not None and response.status == 403
    expect(page.locator("header nav a[href='/dashboard/']")).to_have_count(0)
