"""Retention by hiring quarter, checked against numbers worked out by hand.

Quarter 1 of 2023 (January–March), with a mentor:
  Айгуль   hired 10.01.2023, left 09.01.2024: the day before her anniversary → left
  Булат    hired 01.02.2023, left 01.02.2024: on his anniversary → stayed the year
  Гузель   hired 15.03.2023, still in service → stayed
  Дамир    hired 20.02.2023, left 01.06.2023, his pair ended early → mentored, left
Quarter 1 of 2023, without a mentor:
  Эмиль    hired 31.03.2023, left 30.06.2023 → left
  Зарина   hired 28.02.2023, still in service → stayed
  Ильдар   hired 05.01.2023, left 01.05.2023; his proposal was declined → not mentored, left
  Камила   hired 06.01.2023, left 2023-12-31; only proposed, never started → not mentored, left
  → mentored 2 of 4 left (50 %), others 3 of 4 left (75 %): a third fewer with a mentor.

Quarter 1 of 2024 (a leap year), with a mentor:
  Лейла    hired 29.02.2024, left 28.02.2025: before her anniversary → left
Quarter 1 of 2024, without a mentor:
  Марат    hired 29.02.2024, left 01.03.2025: after it → stayed
  Нина     hired 01.04.2024: second quarter, its own cohort → stayed
Outside the range: Олег, hired 31.12.2022 and left a week later, is counted nowhere.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics import selectors
from analytics.periods import Period, datestamp, quarter_end, quarters_before
from mentoring import services

D = datetime.date
RANGE = Period(D(2023, 1, 1), D(2024, 12, 31))


@pytest.fixture
def history(employee, start_pair, mentor, coordinator):
    mentored = [
        ("Айгуль", D(2023, 1, 10), D(2024, 1, 9)),
        ("Булат", D(2023, 2, 1), D(2024, 2, 1)),
        ("Гузель", D(2023, 3, 15), None),
        ("Дамир", D(2023, 2, 20), D(2023, 6, 1)),
        ("Лейла", D(2024, 2, 29), D(2025, 2, 28)),
    ]
    for name, hired, left in mentored:
        pair = start_pair(employee(name, hired, left))
        if name == "Дамир":
            services.mentorship_end(actor=mentor, pair=pair, reason="Уволился")
        else:
            services.mentorship_complete(actor=mentor, pair=pair)
    declined = services.mentorship_propose(
        coordinator=coordinator,
        mentor=mentor,
        newcomer=employee("Ильдар", D(2023, 1, 5), D(2023, 5, 1)),
    )
    services.mentorship_decline(mentor=mentor, pair=declined, reason="Нет времени")
    services.mentorship_propose(
        coordinator=coordinator,
        mentor=mentor,
        newcomer=employee("Камила", D(2023, 1, 6), D(2023, 12, 31)),
    )
    for name, hired, left in [
        ("Эмиль", D(2023, 3, 31), D(2023, 6, 30)),
        ("Зарина", D(2023, 2, 28), None),
        ("Марат", D(2024, 2, 29), D(2025, 3, 1)),
        ("Нина", D(2024, 4, 1), None),
        ("Олег", D(2022, 12, 31), D(2023, 1, 7)),
    ]:
        employee(name, hired, left)


def _figures(cohort: selectors.Cohort) -> tuple:
    return (
        cohort.quarter,
        cohort.mentored.hired,
        cohort.mentored.left,
        cohort.others.hired,
        cohort.others.left,
        cohort.year_over,
    )


def test_cohorts_match_the_hand_count(history):
    cohorts = selectors.retention(RANGE)
    assert [_figures(c) for c in cohorts] == [
        (D(2023, 1, 1), 4, 2, 4, 3, True),
        (D(2024, 1, 1), 1, 1, 1, 0, True),
        (D(2024, 4, 1), 0, 0, 1, 0, True),
    ]
    first = cohorts[0]
    assert first.mentored.left_share == 0.5
    assert first.others.left_share == 0.75
    assert first.change == pytest.approx(-1 / 3)


def test_totals_over_finished_cohorts(history):
    mentored, others = selectors.retention_totals(selectors.retention(RANGE))
    assert (mentored.hired, mentored.left, others.hired, others.left) == (5, 3, 6, 3)
    assert selectors.relative_change(mentored, others) == pytest.approx(0.6 / 0.5 - 1)


def test_a_cohort_still_in_its_first_year_is_marked_and_left_out_of_totals(employee, db):
    today = timezone.localdate()
    this_quarter = quarters_before(today, 0)
    employee("Новенький", this_quarter)
    cohorts = selectors.retention(Period(this_quarter, today))
    assert len(cohorts) == 1
    assert not cohorts[0].year_over
    assert cohorts[0].others.in_first_year == 1
    mentored, others = selectors.retention_totals(cohorts)
    assert mentored.hired == others.hired == 0


def test_a_cohort_is_over_a_year_after_its_last_hiring_day():
    assert datestamp(D(2024, 3, 31)) == 20240331
    assert quarter_end(D(2024, 2, 10)) == D(2024, 3, 31)
    assert quarter_end(D(2024, 11, 10)) == D(2024, 12, 31)
    assert quarters_before(D(2024, 2, 10), 1) == D(2023, 10, 1)
    assert quarters_before(D(2024, 2, 10), 5) == D(2022, 10, 1)


def test_the_page_shows_the_headline_and_the_cohort_table(login, coordinator, history):
    response = login(coordinator).get(
        reverse("analytics:dashboard"), {"hired_from": "2023-01-01", "hired_to": "2024-12-31"}
    )
    assert response.status_code == 200
    context = response.context
    assert context["retention_mentored"].left == 3
    assert context["retention_others"].left == 3
    assert [row[1:3] for row in context["retention"].rows] == [(4, 2), (1, 1), (0, 0)]
    page = response.content.decode()
    assert 'id="retention-headline"' in page
    assert "60,0\u00a0%" in page and "50,0\u00a0%" in page


def test_retention_csv_is_the_hand_count(login, coordinator, history):
    response = login(coordinator).get(
        reverse("analytics:export", args=["retention"]),
        {"hired_from": "2023-01-01", "hired_to": "2024-12-31"},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0].startswith("\ufeff")
    assert [row[1:7] for row in rows[1:]] == [
        ["4", "2", "50.0", "4", "3", "75.0"],
        ["1", "1", "100.0", "1", "0", "0.0"],
        ["0", "0", "", "1", "0", "0.0"],
    ]
    assert rows[1][7] == "-33.3"
