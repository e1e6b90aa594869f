from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from profiles.models import Department, MentorApplication, User

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_builds_a_believable_community():
    seed()
    assert User.objects.filter(role="mentor").count() == 10
    demo_people = User.objects.exclude(email__startswith="history.")
    assert demo_people.filter(role="newcomer").count() == 20
    assert User.objects.filter(role="coordinator").count() == 1
    city_hall = Department.objects.get(parent=None)
    assert city_hall.kind == "city_hall"
    assert Department.objects.filter(parent=city_hall).count() >= 5
    assert Department.objects.filter(parent__parent=city_hall).count() >= 10
    assert MentorApplication.objects.filter(status="pending").count() == 2
    assert all(user.department_id for user in User.objects.all())


def test_seed_demo_brings_three_years_of_hires_for_the_retention_figures():
    from analytics import selectors
    from analytics.forms import DashboardFilter

    seed()
    form = DashboardFilter.from_query({})
    assert form.is_valid()
    cohorts = selectors.retention(form.periods()[1])
    assert len(cohorts) >= 12
    finished = [cohort for cohort in cohorts if cohort.year_over]
    assert finished and all(c.mentored.hired and c.others.hired for c in finished)
    mentored, others = selectors.retention_totals(cohorts)
    assert 0 < mentored.left < mentored.hired and 0 < others.left < others.hired
    assert not User.objects.filter(
        email__startswith="history.", service_end__isnull=False, is_active=True
    ).exists()


def test_seed_demo_is_idempotent():
    seed()
    before = (User.objects.count(), Department.objects.count(), MentorApplication.objects.count())
    output = seed()
    after = (User.objects.count(), Department.objects.count(), MentorApplication.objects.count())
    assert before == after
    assert "0 new members" in output


def test_if_empty_leaves_an_existing_community_alone(mentor):
    assert "not loaded" in seed("--if-empty")
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "email", ["coordinator@example.com", "mentor@example.com", "newcomer@example.com"]
)
def test_demo_logins_work_with_the_demo_password(email):
    seed()
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": "nastavnik-demo"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)
