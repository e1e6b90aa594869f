"""Demo mentoring (registered with seed_demo): a plan template, Алия mentoring Тимур with
the first step done, and a proposal waiting for its mentor."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from forum.models import Thread
from knowledge.models import Article
from mentoring import services
from mentoring.models import Mentorship, PlanTemplate, PlanTemplateStep

FIRST_MONTH = [
    ("Встреча с наставником и экскурсия по зданию", 1, "Адаптационный маршрут", None),
    ("Доступы: СЭД, почта, электронная подпись", 3, None, "электронной подписи"),
    ("Первая служебная записка", 10, None, "служебную записку"),
    ("Разбор первой задачи с наставником", 14, None, None),
    ("Итоговая беседа: что получилось, что нет", 30, None, None),
]


def _template() -> PlanTemplate:
    template = PlanTemplate.objects.create(name="План адаптации: первый месяц")
    PlanTemplateStep.objects.bulk_create(
        [
            PlanTemplateStep(
                template=template,
                order=n,
                title=title,
                due_after_days=days,
                article=Article.objects.filter(title__startswith=article).first()
                if article
                else None,
                thread=Thread.objects.filter(title__contains=thread).first() if thread else None,
            )
            for n, (title, days, article, thread) in enumerate(FIRST_MONTH)
        ]
    )
    return template


def load(write) -> None:
    if Mentorship.objects.exists():
        return
    users = {u.email: u for u in get_user_model().objects.filter(is_active=True)}
    coordinator = users["coordinator@example.com"]
    _template()
    proposal = services.mentorship_propose(
        coordinator=coordinator,
        mentor=users["mentor@example.com"],
        newcomer=users["newcomer@example.com"],
        message="Тимур в вашем отделе с этого месяца.",
    )
    pair = services.mentorship_accept(mentor=users["mentor@example.com"], pair=proposal)
    if first_step := pair.steps.first():
        services.step_set_done(user=users["newcomer@example.com"], step=first_step, done=True)
    waiting = [u for u in users.values() if u.is_newcomer and u.email != "newcomer@example.com"]
    if waiting and "r.garipov@example.com" in users:
        services.mentorship_propose(
            coordinator=coordinator, mentor=users["r.garipov@example.com"], newcomer=waiting[0]
        )
    write(f"Mentoring: {Mentorship.objects.count()} pairs.")
