"""Becoming a mentor: apply, review, decide, and what each person may see."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from profiles import services
from profiles.models import MentorApplication, User
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db

MOTIVATION = "Десять лет веду **делопроизводство** и хочу помогать новичкам."


def apply(client, tags, **overrides):
    return client.post(
        "/mentors/apply/",
        {
            "motivation": MOTIVATION,
            "video_url": "https://video.example.org/intro",
            "expertise": [tags["docs"].pk],
            **overrides,
        },
    )


@pytest.fixture
def application(newcomer, expertise, coordinator) -> MentorApplication:
    return services.mentor_application_submit(
        applicant=newcomer, motivation=MOTIVATION, expertise=[expertise["docs"]]
    )


def test_newcomer_applies_and_sees_the_application_under_review(
    login, newcomer, expertise, coordinator
):
    client = login(newcomer)
    response = apply(client, expertise)
    assert response.status_code == 302
    application = MentorApplication.objects.get(applicant=newcomer)
    assert application.status == MentorApplication.Status.PENDING
    assert "<strong>делопроизводство</strong>" in application.motivation_html
    assert list(application.expertise.all()) == [expertise["docs"]]
    page = client.get("/mentors/apply/").content.decode()
    assert 'id="application-status"' in page
    assert "badge-pending" in page
    run_tasks()
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_a_pending_application_cannot_be_submitted_twice(login, newcomer, expertise, application):
    response = apply(login(newcomer), expertise)
    assert response.status_code == 400
    assert MentorApplication.objects.filter(applicant=newcomer).count() == 1


def test_service_refuses_a_second_pending_application(newcomer, expertise, application):
    with pytest.raises(ValidationError) as error:
        services.mentor_application_submit(
            applicant=newcomer, motivation="Ещё раз", expertise=[expertise["hr"]]
        )
    assert error.value.code == "duplicate"


def test_database_refuses_two_pending_applications_even_past_the_service(newcomer, application):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MentorApplication.objects.create(applicant=newcomer, motivation="гонка")


def test_mentors_cannot_apply_again(login, mentor, expertise):
    response = apply(login(mentor), expertise)
    assert response.status_code == 400
    assert not MentorApplication.objects.filter(applicant=mentor).exists()


def test_application_needs_expertise_and_a_safe_video_link(login, newcomer, expertise):
    response = apply(login(newcomer), expertise, expertise=[], video_url="javascript:alert(1)")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "expertise" in errors and "video_url" in errors
    assert not MentorApplication.objects.exists()


def test_coordinator_approves_and_the_newcomer_becomes_a_mentor(
    login, coordinator, newcomer, application, expertise
):
    client = login(coordinator)
    assert "Тимур Сабиров" in client.get("/mentors/applications/").content.decode()
    response = client.post(
        f"/mentors/applications/{application.pk}/",
        {"decision": "approve", "comment": "Добро пожаловать!"},
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    application.refresh_from_db()
    assert newcomer.role == User.Role.MENTOR
    assert expertise["docs"] in newcomer.expertise.all()
    assert (application.status, application.decided_by) == ("approved", coordinator)
    run_tasks()
    assert mail.outbox[-1].to == [newcomer.email]
    assert "Добро пожаловать!" in mail.outbox[-1].body
    outcome = login(newcomer).get("/mentors/apply/").content.decode()
    assert "badge-approved" in outcome and "Добро пожаловать!" in outcome


def test_rejection_needs_a_comment_and_keeps_the_role(login, coordinator, newcomer, application):
    client = login(coordinator)
    response = client.post(f"/mentors/applications/{application.pk}/", {"decision": "reject"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.is_pending
    client.post(
        f"/mentors/applications/{application.pk}/",
        {"decision": "reject", "comment": "Пока мало опыта, вернитесь через полгода."},
    )
    newcomer.refresh_from_db()
    application.refresh_from_db()
    assert application.status == "rejected"
    assert newcomer.role == User.Role.NEWCOMER


def test_a_decided_application_cannot_be_decided_again(coordinator, application):
    services.mentor_application_decide(
        application=application, coordinator=coordinator, approve=True
    )
    with pytest.raises(ValidationError):
        services.mentor_application_decide(
            application=application, coordinator=coordinator, approve=False, comment="передумали"
        )


def test_only_coordinators_decide(newcomer, mentor, application):
    with pytest.raises(PermissionDenied):
        services.mentor_application_decide(
            application=application, coordinator=mentor, approve=True
        )


def test_applicant_cannot_approve_their_own_application(login, newcomer, application):
    response = login(newcomer).post(
        f"/mentors/applications/{application.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.is_pending


def test_other_members_cannot_see_an_application(login, stranger, mentor, application):
    assert login(stranger).get(f"/mentors/applications/{application.pk}/").status_code == 404
    assert login(mentor).get(f"/mentors/applications/{application.pk}/").status_code == 404


def test_unknown_application_is_404(login, coordinator):
    assert login(coordinator).get("/mentors/applications/424242/").status_code == 404


def test_review_queue_is_for_coordinators_only(login, mentor, newcomer, client):
    assert login(mentor).get("/mentors/applications/").status_code == 403
    assert login(newcomer).get("/mentors/applications/").status_code == 403
    assert client.get("/mentors/applications/").status_code == 302


def test_applicant_withdraws_and_may_apply_again(login, newcomer, expertise, application):
    client = login(newcomer)
    response = client.post(f"/mentors/applications/{application.pk}/withdraw/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert apply(client, expertise).status_code == 302
    assert MentorApplication.objects.filter(applicant=newcomer).count() == 2


def test_others_cannot_withdraw_an_application(login, stranger, application):
    assert (
        login(stranger).post(f"/mentors/applications/{application.pk}/withdraw/").status_code == 404
    )
    application.refresh_from_db()
    assert application.is_pending


def test_motivation_markup_is_sanitized(login, coordinator, newcomer, expertise):
    apply(login(newcomer), expertise, motivation="<img src=x onerror=alert(1)> **да**")
    application = MentorApplication.objects.get(applicant=newcomer)
    page = login(coordinator).get(f"/mentors/applications/{application.pk}/").content.decode()
    assert "onerror" not in page
    assert "<strong>да</strong>" in page


def test_queue_uses_a_fixed_number_of_queries(
    login, coordinator, expertise, division, django_assert_num_queries
):
    from tests.conftest import make_member

    client = login(coordinator)

    def add_applicants(start: int, stop: int) -> None:
        for n in range(start, stop):
            member = make_member(
                f"a{n}@example.com", f"Заявитель {n}", User.Role.NEWCOMER, department=division
            )
            services.mentor_application_submit(
                applicant=member, motivation="хочу", expertise=[expertise["docs"]]
            )

    add_applicants(0, 2)
    client.get("/mentors/applications/")
    with django_assert_num_queries(6) as few:
        client.get("/mentors/applications/")
    add_applicants(2, 12)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/mentors/applications/")
