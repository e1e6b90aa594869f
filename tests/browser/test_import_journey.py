"""A coordinator imports the HR system's file in the browser: a worker checks it, the page
follows, then the checked file is imported from its page and the page shows the progress
and the report (the live server runs a worker beside daphne, as `make run` does)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import COORDINATOR_EMAIL, log_in

pytestmark = pytest.mark.browser

DEPARTMENT = "Отдел документационного обеспечения"
ROWS = 150  # more than one write batch (WRITE_BATCH = 100)


def hr_file(tmp_path) -> str:
    lines = ["email,full_name,department,position,service_start,service_end,role"]
    lines += [
        f"import.{n}@example.com,Сотрудник Импортов {n},{DEPARTMENT},Специалист,2026-09-01,,"
        for n in range(ROWS)
    ]
    path = tmp_path / "hr.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_coordinator_checks_then_imports_a_file_and_watches_it_go_in(
    page: Page, live_app, tmp_path
):
    log_in(page, live_app, COORDINATOR_EMAIL)
    page.goto("/people/import/")
    page.locator("#id_file").set_input_files(hr_file(tmp_path))
    expect(page.locator("#id_dry_run")).to_be_checked()  # a check first, by default
    page.locator("#import-form button[type=submit]").click()

    # The worker checks the file; the page follows without a reload.
    expect(page).to_have_url(re.compile(re.escape(live_app.url) + r"/people/import/\d+/$"))
    report = page.locator("#import-report")
    expect(report).to_contain_text("Проверено, ничего не записано", timeout=30_000)
    expect(report).to_contain_text(f"Новых участников: {ROWS}")

    # Imported from its page, without choosing the file again.
    page.locator("#import-checked button[type=submit]").click()
    expect(report).to_contain_text("Импортировано", timeout=60_000)
    expect(report).to_contain_text(f"Новых участников: {ROWS}")
    expect(report.locator("progress")).to_have_count(0)  # finished: no more polling

    page.goto("/people/?q=Импортов")
    expect(page.locator("main")).to_contain_text("Сотрудник Импортов 0")
