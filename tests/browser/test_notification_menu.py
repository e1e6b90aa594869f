"""The bell opens a dropdown of the latest notifications, by mouse and by keyboard, and
its unread count sits beside the bell rather than over it, on a phone too.

One journey, one login: the browser journeys share a server, and its login rate limit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import MENTOR_EMAIL, log_in, path_is
from tests.browser.test_accessibility import _serious_violations

pytestmark = pytest.mark.browser


def covered_share(icon: dict, badge: dict) -> float:
    """How much of the icon's box the badge's box covers, from 0 to 1."""
    width = min(icon["x"] + icon["width"], badge["x"] + badge["width"]) - max(icon["x"], badge["x"])
    height = min(icon["y"] + icon["height"], badge["y"] + badge["height"]) - max(
        icon["y"], badge["y"]
    )
    return max(width, 0) * max(height, 0) / (icon["width"] * icon["height"])


def test_the_bell_opens_the_latest_notifications_and_leads_to_them_all(page: Page, live_app):
    # The demo mentor has notifications: replies to her posts, a proposal to mentor.
    log_in(page, live_app, MENTOR_EMAIL)
    page.goto("/forum/")  # past the «logged in» message, which is not the bell's to audit
    bell = page.locator("#notification-badge")
    panel = page.locator("#notification-panel")
    expect(bell).to_have_attribute("aria-expanded", "false")
    expect(panel).to_be_hidden()

    # A click opens the dropdown in place, not the whole page.
    bell.click()
    expect(panel).to_be_visible()
    expect(bell).to_have_attribute("aria-expanded", "true")
    notifications = panel.locator("li.notification")
    expect(notifications.first).to_be_visible()
    assert 1 <= notifications.count() <= 10
    expect(page).to_have_url(path_is(live_app, "/forum/"))
    assert _serious_violations(page) == []

    # Escape closes it and gives the focus back to the bell.
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(bell).to_have_attribute("aria-expanded", "false")
    expect(bell).to_be_focused()

    # By keyboard: Enter opens it, Tab walks into it.
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(panel).to_be_focused()
    page.keyboard.press("Tab")
    expect(panel.locator(":focus")).to_have_count(1)

    # A click elsewhere closes it.
    page.locator("main h1").click(position={"x": 5, "y": 5})
    expect(panel).to_be_hidden()

    # «Все уведомления» leads to the full page.
    bell.click()
    panel.get_by_role("link", name="Все уведомления").click()
    expect(page).to_have_url(path_is(live_app, "/notifications/"))
    expect(page.locator("main h1")).to_have_text("Уведомления")
    expect(page.locator("main li.notification").first).to_be_visible()

    # The settings page's switches pass the same audit.
    page.goto("/notifications/settings/")
    expect(page.locator("input[role=switch]").first).to_be_checked()
    assert _serious_violations(page) == []

    # On a phone the count leaves the bell visible, and the open panel fits the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/forum/")
    count = bell.locator(".notification-count")
    expect(count).to_be_visible()
    icon, badge = bell.locator("svg").bounding_box(), count.bounding_box()
    assert icon and badge
    assert covered_share(icon, badge) < 0.1  # at most the empty corner beside the dome
    assert badge["x"] > icon["x"] + icon["width"] / 2 and badge["y"] < icon["y"]
    assert badge["x"] + badge["width"] <= 390
    bell.click()
    expect(notifications.first).to_be_visible()
    box = panel.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    expect(panel.get_by_role("link", name="Все уведомления")).to_be_in_viewport()
