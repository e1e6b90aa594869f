"""Community health: who takes part, what gets asked, and how fast it is answered."""

from __future__ import annotations

import datetime

from django.utils import timezone

from analytics import selectors
from analytics.periods import Period
from tests.analytics.conftest import HOUR, answered, asked


def _last_week() -> Period:
    today = timezone.localdate()
    return Period(today - datetime.timedelta(days=6), today)


def test_health_figures_match_the_community(community):
    health = selectors.health(_last_week())
    assert health.members == 4  # newcomer, both mentors, coordinator; not the one who left
    assert (health.active_members, health.active_mentors) == (3, 2)
    assert (health.threads, health.replies, health.chat_messages) == (5, 5, 1)
    assert (health.questions, health.questions_day_old) == (4, 4)
    assert health.answered_within_day == 1
    assert health.answered_within_day_share == 0.25
    assert health.unanswered == 2
    assert health.median_first_answer == 16 * HOUR  # the middle of 2 h and 30 h


def test_median_of_an_odd_count_is_the_middle_wait(community, mentor):
    answered(mentor, community["self_answered"], community["self_answered"].created_at + 4 * HOUR)
    assert selectors.health(_last_week()).median_first_answer == 4 * HOUR


def test_a_question_younger_than_a_day_is_not_yet_judged(community, newcomer, newcomers_corner):
    asked(newcomer, newcomers_corner, "Только что спросил", timezone.now() - HOUR)
    health = selectors.health(_last_week())
    assert (health.questions, health.questions_day_old) == (5, 4)
    assert health.unanswered == 3


def test_nothing_asked_gives_no_shares(db):
    health = selectors.health(_last_week())
    assert health.questions == 0
    assert health.answered_within_day_share is None
    assert health.median_first_answer is None


def test_period_bounds_leave_out_earlier_questions(community):
    week_before = Period(
        timezone.localdate() - datetime.timedelta(days=30),
        timezone.localdate() - datetime.timedelta(days=8),
    )
    assert selectors.health(week_before).questions == 0


def test_unanswered_questions_oldest_first(community):
    titles = [t.title for t in selectors.unanswered_questions(_last_week())]
    assert titles == ["Где столовая?", "Кто подписывает приказ?"]


def test_activity_counts_per_week_and_fills_quiet_weeks(community):
    today = timezone.localdate()
    bucket, weeks = selectors.activity_by_week(Period(today - datetime.timedelta(days=27), today))
    assert bucket == "week"
    assert all(w.start.weekday() == 0 for w in weeks)
    assert [w.start for w in weeks] == sorted(w.start for w in weeks)
    assert len(weeks) in (4, 5)
    assert sum(w.threads for w in weeks) == 5
    assert sum(w.replies for w in weeks) == 5
    assert sum(w.chat_messages for w in weeks) == 1
    assert any(w.threads == 0 and w.replies == 0 for w in weeks)


def test_a_long_period_is_counted_per_month(community):
    today = timezone.localdate()
    bucket, months = selectors.activity_by_week(Period(today - datetime.timedelta(days=400), today))
    assert bucket == "month"
    assert all(m.start.day == 1 for m in months)
    assert 13 <= len(months) <= 15
    assert sum(m.threads for m in months) == 5
