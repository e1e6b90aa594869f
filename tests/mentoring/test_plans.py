"""Adaptation plans: the most specific template becomes the pair's plan; the pair ticks it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mentoring import selectors, services
from mentoring.models import PlanTemplate, PlanTemplateStep


def template(name: str, steps: list[tuple[str, int]], **where) -> PlanTemplate:
    made = PlanTemplate.objects.create(name=name, **where)
    PlanTemplateStep.objects.bulk_create(
        [
            PlanTemplateStep(template=made, order=n, title=title, due_after_days=days)
            for n, (title, days) in enumerate(steps)
        ]
    )
    return made


@pytest.fixture
def templates(division, administration):
    return {
        "everyone": template("Общий план", [("Экскурсия", 1)]),
        "administration": template(
            "План управления", [("Знакомство с управлением", 2)], department=administration
        ),
        "division": template(
            "План отдела", [("Доступ в СЭД", 1), ("Первая задача", 5)], department=division
        ),
        "lawyer": template("План юриста", [("Договоры", 3)], department=division, position="Юрист"),
    }


def start(coordinator, mentor, newcomer):
    proposal = services.mentorship_propose(
        coordinator=coordinator, mentor=mentor, newcomer=newcomer
    )
    return services.mentorship_accept(mentor=mentor, pair=proposal)


def test_the_newcomers_department_plan_is_copied_with_due_dates(
    templates, coordinator, mentor, newcomer
):
    pair = start(coordinator, mentor, newcomer)
    steps, progress = selectors.plan_for(pair)
    assert [s.title for s in steps] == ["Доступ в СЭД", "Первая задача"]
    assert steps[1].due_on == pair.starts_on + datetime.timedelta(days=5)
    assert (progress.done, progress.total, progress.overdue) == (0, 2, 0)


def test_a_position_template_beats_the_department_and_a_parent_department_beats_none(
    templates, coordinator, mentor, newcomer, other_division
):
    newcomer.position = "юрист"
    assert services.template_for(newcomer) == templates["lawyer"]
    newcomer.position = "Экономист"
    assert services.template_for(newcomer) == templates["division"]
    templates["division"].delete()
    templates["lawyer"].delete()
    assert services.template_for(newcomer) == templates["administration"]
    newcomer.department = other_division
    assert services.template_for(newcomer) == templates["everyone"]


def test_without_templates_a_pair_has_no_plan(coordinator, mentor, newcomer):
    pair = start(coordinator, mentor, newcomer)
    assert selectors.plan_for(pair)[1].total == 0


def test_both_sides_tick_steps_and_coordinators_only_watch(
    templates, coordinator, mentor, newcomer, mentor2
):
    pair = start(coordinator, mentor, newcomer)
    first, second = pair.steps.all()
    services.step_set_done(user=newcomer, step=first, done=True)
    services.step_set_done(user=mentor, step=second, done=True)
    services.step_set_done(user=mentor, step=second, done=False)
    assert selectors.plan_for(pair)[1].done == 1
    assert first.done_by == newcomer
    for outsider in (coordinator, mentor2):
        with pytest.raises(PermissionDenied):
            services.step_set_done(user=outsider, step=first, done=False)


def test_overdue_steps_are_marked(templates, coordinator, mentor, newcomer):
    pair = start(coordinator, mentor, newcomer)
    pair.steps.filter(title="Доступ в СЭД").update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    steps, progress = selectors.plan_for(pair)
    assert progress.overdue == 1 and steps[0].is_overdue and not steps[1].is_overdue


def test_the_pair_page_shows_the_plan_and_ticks_without_javascript(
    login, templates, coordinator, mentor, newcomer, mentor2
):
    pair = start(coordinator, mentor, newcomer)
    step = pair.steps.first()
    client = login(newcomer)
    page = client.get(pair.get_absolute_url()).content.decode()
    assert 'id="plan"' in page and "Доступ в СЭД" in page and "Выполнено 0 из 2" in page
    response = client.post(f"/mentoring/steps/{step.pk}/", {"done": "1"})
    assert response.status_code == 302 and response.url.endswith(f"#step-{step.pk}")
    assert "Выполнено 1 из 2" in client.get(pair.get_absolute_url()).content.decode()
    # Someone outside the pair learns nothing, not even that the step exists.
    assert login(mentor2).post(f"/mentoring/steps/{step.pk}/", {"done": "0"}).status_code == 404
    coordinator_page = login(coordinator).get(pair.get_absolute_url()).content.decode()
    assert "Выполнено 1 из 2" in coordinator_page
    assert f'action="/mentoring/steps/{step.pk}/"' not in coordinator_page
