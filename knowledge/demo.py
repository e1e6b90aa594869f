"""Demo knowledge base (registered with seed_demo): collections, practices, a draft."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from forum.models import Thread
from knowledge import services
from knowledge.models import Article, Collection
from knowledge.services import Content
from profiles.models import ExpertiseTag

COLLECTIONS = [
    ("Адаптация новичков", "adaptatsiya", "Как встречать и вести новичка в первые месяцы."),
    ("Документы и СЭД", "dokumenty", "Служебные записки, согласования, шаблоны."),
]

FIRST_WEEK = {
    "goal": "Новичок за первую неделю знает, к кому идти с вопросами, и закрывает первую "
    "небольшую задачу сам.",
    "audience": "Новые сотрудники отделов мэрии в первый месяц работы и их наставники.",
    "steps": "1. День первый: встреча у входа, экскурсия по этажу, знакомство с отделом.\n"
    "2. День второй: доступы в СЭД и почту, первый разбор входящих.\n"
    "3. Дни 3–4: небольшая задача вместе с наставником.\n"
    "4. Пятница: 30 минут разговора — что понятно, что нет.",
    "resources": "Чек-лист первой недели, 30 минут наставника в день, переговорная.",
    "results": "Доля новичков, закрывших первую задачу к концу недели; оценка встречи по "
    "пятибалльной шкале; уходы в первый год в сравнении с прошлым годом.",
}


def load(write) -> None:
    if Article.objects.exists():
        return
    users = {u.email: u for u in get_user_model().objects.filter(is_active=True)}
    mentor, coordinator = users["mentor@example.com"], users["coordinator@example.com"]
    collections = {
        slug: Collection.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": about, "position": n}
        )[0]
        for n, (name, slug, about) in enumerate(COLLECTIONS)
    }
    tags = {tag.slug: tag for tag in ExpertiseTag.objects.all()}

    first_week = services.article_create(
        author=mentor,
        kind=Article.Kind.PRACTICE,
        content=Content(
            title="Адаптационный маршрут первой недели",
            summary="Пять дней, после которых новичок не теряется.",
            sections=FIRST_WEEK,
            collection=collections["adaptatsiya"],
        ),
    )
    services.article_publish(actor=mentor, article=first_week)
    services.article_verify(verifier=coordinator, article=first_week)

    solved = Thread.objects.filter(accepted_answer__isnull=False).order_by("pk").first()
    if solved is not None:
        memo = services.article_from_thread(actor=mentor, thread=solved, kind=Article.Kind.ARTICLE)
        services.article_revise(
            editor=mentor,
            article=memo,
            base_revision=memo.revision,
            note="Подборка и теги",
            content=Content(
                title=memo.title,
                body=memo.body,
                summary="Шаблон, согласование и сроки подачи.",
                collection=collections["dokumenty"],
                tags=[t for s, t in tags.items() if s == "dokumentooborot"],
            ),
        )
        services.article_publish(actor=mentor, article=memo)

    services.article_create(
        author=mentor,
        kind=Article.Kind.PRACTICE,
        content=Content(
            title="Наставник на час",
            sections={"goal": "Разовые консультации для тех, у кого нет постоянного наставника."},
        ),
    )
    write(f"Knowledge base: {Article.objects.count()} articles.")
