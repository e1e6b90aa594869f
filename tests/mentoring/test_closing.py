"""Meetings during the pair, and the feedback and report at the end of its period."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentoring import services
from mentoring.models import Feedback, Meeting, Mentorship


@pytest.fixture
def pair(coordinator, mentor, newcomer) -> Mentorship:
    return services.mentorship_accept(
        mentor=mentor,
        pair=services.mentorship_propose(coordinator=coordinator, mentor=mentor, newcomer=newcomer),
    )


def test_the_mentor_logs_meetings_within_the_period(pair, mentor, newcomer):
    today = timezone.localdate()
    services.meeting_log(mentor=mentor, pair=pair, held_on=today, notes="Разобрали СЭД")
    with pytest.raises(PermissionDenied):
        services.meeting_log(mentor=newcomer, pair=pair, held_on=today, notes="")
    for bad in (today + datetime.timedelta(days=1), pair.starts_on - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.meeting_log(mentor=mentor, pair=pair, held_on=bad, notes="")
    assert Meeting.objects.count() == 1


def test_feedback_and_report_wait_for_the_end_and_come_once(pair, mentor, newcomer, coordinator):
    with pytest.raises(PermissionDenied):
        services.feedback_give(newcomer=newcomer, pair=pair, rating=5, helpful=True)
    pair = services.mentorship_complete(actor=mentor, pair=pair)
    with pytest.raises(ValidationError):
        services.feedback_give(newcomer=newcomer, pair=pair, rating=6, helpful=True)
    services.feedback_give(newcomer=newcomer, pair=pair, rating=4, helpful=True, comment="Спасибо!")
    with pytest.raises(ValidationError):
        services.feedback_give(newcomer=newcomer, pair=pair, rating=5, helpful=True)
    with pytest.raises(PermissionDenied):
        services.feedback_give(newcomer=mentor, pair=pair, rating=5, helpful=True)
    services.report_write(mentor=mentor, pair=pair, text="Тимур освоился за месяц.")
    assert Feedback.objects.get().rating == 4


def test_a_period_that_ran_out_opens_the_forms_too(pair, newcomer):
    today = timezone.localdate()
    Mentorship.objects.filter(pk=pair.pk).update(
        starts_on=today - datetime.timedelta(days=91), ends_on=today
    )
    pair.refresh_from_db()
    services.feedback_give(newcomer=newcomer, pair=pair, rating=3, helpful=False)


def test_who_reads_the_feedback_and_the_report(login, pair, mentor, newcomer, coordinator):
    pair = services.mentorship_complete(actor=mentor, pair=pair)
    services.feedback_give(
        newcomer=newcomer, pair=pair, rating=2, helpful=False, comment="Редко отвечал"
    )
    services.report_write(mentor=mentor, pair=pair, text="Отчёт наставника")
    coordinator_page = login(coordinator).get(pair.get_absolute_url()).content.decode()
    assert "Редко отвечал" in coordinator_page and "Отчёт наставника" in coordinator_page
    mentor_page = login(mentor).get(pair.get_absolute_url()).content.decode()
    assert "Редко отвечал" not in mentor_page and "Отчёт наставника" in mentor_page
    newcomer_page = login(newcomer).get(pair.get_absolute_url()).content.decode()
    assert "Редко отвечал" in newcomer_page and "Отчёт наставника" not in newcomer_page


def test_the_forms_work_without_javascript(login, pair, mentor, newcomer, mentor2):
    client = login(mentor)
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/mentoring/{pair.pk}/meetings/", {"held_on": today, "notes": "Первая встреча"}
    )
    assert response.status_code == 302 and Meeting.objects.get().notes == "Первая встреча"
    assert (
        login(mentor2).post(f"/mentoring/{pair.pk}/meetings/", {"held_on": today}).status_code
        == 404
    )
    services.mentorship_complete(actor=mentor, pair=pair)
    page = login(newcomer).get(pair.get_absolute_url()).content.decode()
    assert 'id="feedback-form"' in page
    login(newcomer).post(f"/mentoring/{pair.pk}/feedback/", {"rating": "5", "helpful": "yes"})
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.helpful) == (5, True)
    again = login(newcomer).get(pair.get_absolute_url()).content.decode()
    assert 'id="feedback-form"' not in again
    client.post(f"/mentoring/{pair.pk}/feedback/", {"rating": "1", "helpful": "no"})
    assert Feedback.objects.count() == 1
