"""The page and its exports, read the way a coordinator reads them."""

from __future__ import annotations

import csv
import datetime
import io

from django.urls import reverse
from django.utils import timezone

from mentoring import services
from profiles.models import User
from tests.analytics.conftest import answered, asked, numbered_newcomer
from tests.conftest import make_member

DASHBOARD = reverse("analytics:dashboard")


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="nastavnik-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _export(client, slug: str, **query) -> list[list[str]]:
    return _csv(client.get(reverse("analytics:export", args=[slug]), query))


def test_page_shows_the_figures_and_draws_the_charts(login, coordinator, programme, community):
    response = login(coordinator).get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["figures"].steps_done == 1
    assert response.context["health"].questions == 4
    assert page.count('<svg class="chart"') == 5  # three activity, ratings, retention
    assert 'fill="url(#retention-hatch)"' in page
    assert 'id="plan-completion"' in page
    for slug in (
        "activity",
        "unanswered",
        "mentor-load",
        "plans",
        "feedback",
        "retention",
        "summary",
    ):
        assert reverse("analytics:export", args=[slug]) + "?start=" in page


def test_exports_keep_the_chosen_range(login, coordinator, db):
    page = login(coordinator).get(DASHBOARD, {"start": "2026-01-01", "end": "2026-03-31"})
    assert "start=2026-01-01&amp;end=2026-03-31" in page.content.decode()


def test_mentor_load_csv_has_every_mentor(login, coordinator, programme, mentor, mentor2):
    rows = _export(login(coordinator), "mentor-load")
    assert rows[0][0] == "Наставник"
    assert [row[:5] for row in rows[1:]] == [
        [mentor2.full_name, mentor2.department.name, "2", "2", "да"],
        [mentor.full_name, mentor.department.name, "1", "20", "да"],
    ]


def test_feedback_csv_has_ratings_and_comments(login, coordinator, programme):
    rows = _export(login(coordinator), "feedback")
    assert sorted((row[2], row[3], row[4]) for row in rows[1:]) == [
        ("2", "нет", "Мало встречались"),
        ("4", "да", ""),
    ]


def test_summary_csv_has_plain_numbers(login, coordinator, community):
    rows = dict(_export(login(coordinator), "summary")[1:])
    assert rows["Заданные вопросы"] == "4"
    assert rows["Ответ в течение 24 часов"] == "25.0"
    assert rows["Медианное время до первого ответа, часов"] == "16.0"


def test_activity_csv_has_a_row_per_week(login, coordinator, community):
    today = timezone.localdate()
    rows = _export(
        login(coordinator),
        "activity",
        start=f"{today - datetime.timedelta(days=13):%Y-%m-%d}",
        end=f"{today:%Y-%m-%d}",
    )
    assert len(rows) - 1 in (2, 3)
    assert sum(int(row[1]) for row in rows[1:]) == 5
    datetime.date.fromisoformat(rows[1][0])


def test_names_that_look_like_formulas_are_defused(login, coordinator, mentor):
    User.objects.filter(pk=mentor.pk).update(full_name='=HYPERLINK("http://evil","x")')
    rows = _export(login(coordinator), "mentor-load")
    assert rows[1][0] == '\'=HYPERLINK("http://evil","x")'


def test_markup_in_names_is_escaped_on_the_page(login, coordinator, programme, mentor):
    User.objects.filter(pk=mentor.pk).update(full_name="<script>alert(1)</script>")
    page = login(coordinator).get(DASHBOARD).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_long_tables_show_a_page_and_point_to_the_csv(login, coordinator, mentor, start_pair):
    User.objects.filter(pk=mentor.pk).update(mentor_capacity=20)
    for number in range(20):
        start_pair(numbered_newcomer(100 + number))
    response = login(coordinator).get(DASHBOARD)
    plans = response.context["plans"]
    assert (len(plans.rows), plans.total) == (15, 20)
    assert "Первые 15 из 20" in response.content.decode()
    assert len(_export(login(coordinator), "plans")) == 21


def _grow(coordinator, mentor, newcomers_corner) -> None:
    """More of everything the dashboard counts."""
    for number in range(6):
        at = timezone.now() - datetime.timedelta(days=2, hours=number)
        question = asked(
            make_member(
                f"grow{number}@example.com",
                f"Вырос {number}",
                User.Role.NEWCOMER,
                service_start=datetime.date(2024, 1 + number, 3),
            ),
            newcomers_corner,
            f"Вопрос {number}",
            at,
        )
        answered(mentor, question, at + datetime.timedelta(hours=number + 1))
        pair = services.mentorship_propose(
            coordinator=coordinator, mentor=mentor, newcomer=question.author
        )
        services.mentorship_accept(mentor=mentor, pair=pair)


def test_dashboard_takes_a_fixed_number_of_queries(
    login, coordinator, mentor, community, programme, newcomers_corner, django_assert_num_queries
):
    client = login(coordinator)
    with django_assert_num_queries(QUERIES):
        client.get(DASHBOARD)
    _grow(coordinator, mentor, newcomers_corner)
    with django_assert_num_queries(QUERIES):
        response = client.get(DASHBOARD)
    assert response.context["figures"].active_pairs == 9
    assert response.context["health"].questions == 10


# Session, member and the header's notification badge (3), then the dashboard's own: health
# 6 (members, three counts, questions, median), activity 3, mentoring 5, the four long
# tables 8 (a page of rows and a count each), retention 1.
QUERIES = 26
