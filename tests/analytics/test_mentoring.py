"""The mentoring figures: pairs, load against capacity, plans, feedback."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from analytics import selectors
from analytics.periods import Period
from mentoring import services
from profiles.models import User


def _this_month() -> Period:
    today = timezone.localdate()
    return Period(today - datetime.timedelta(days=29), today)


def test_mentoring_figures_match_the_programme(programme):
    figures = selectors.mentoring(_this_month())
    assert (figures.active_pairs, figures.proposed_pairs) == (3, 1)
    assert (figures.started, figures.completed, figures.ended_early) == (5, 1, 1)
    assert (figures.mentors, figures.mentors_full, figures.free_places) == (2, 1, 19)
    assert (figures.steps_total, figures.steps_done, figures.steps_overdue) == (9, 1, 1)
    assert figures.plan_completion == pytest.approx(1 / 9)
    assert (figures.feedback_count, figures.feedback_average) == (2, 3.0)
    assert figures.helpful_share == 0.5
    assert figures.ratings == {1: 0, 2: 1, 3: 0, 4: 1, 5: 0}


def test_a_mentor_who_stopped_accepting_offers_no_free_places(programme, mentor):
    User.objects.filter(pk=mentor.pk).update(accepting_mentees=False)
    assert selectors.mentoring(_this_month()).free_places == 0


def test_transitions_before_the_period_are_not_counted(programme):
    long_ago = Period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    figures = selectors.mentoring(long_ago)
    assert (figures.started, figures.completed, figures.feedback_count) == (0, 0, 0)
    assert figures.active_pairs == 3  # a count of now, whatever the period


def test_mentor_load_busiest_first(programme, mentor, mentor2):
    load = [(m.pk, m.active_pairs, m.mentor_capacity) for m in selectors.mentor_load()]
    assert load == [(mentor2.pk, 2, 2), (mentor.pk, 1, 20)]


def test_plans_with_overdue_steps_come_first(programme):
    plans = list(selectors.plans())
    assert plans[0].pk == programme.pk
    assert (plans[0].steps_done, plans[0].steps_total, plans[0].steps_overdue) == (1, 3, 1)
    assert len(plans) == 3


def test_ticking_a_step_moves_plan_completion(programme, newcomer):
    before = selectors.mentoring(_this_month()).steps_done
    step = programme.steps.filter(done_at__isnull=True).first()
    services.step_set_done(user=newcomer, step=step, done=True)
    assert selectors.mentoring(_this_month()).steps_done == before + 1
