"""Believable Russian threads for the demo community (registered with seed_demo)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from forum import services
from forum.models import Access, Category, Post, Subscription, Thread
from profiles.models import ExpertiseTag

CATEGORIES = [
    (
        "Вопросы новичков",
        "voprosy-novichkov",
        "#0b6e4f",
        Access.MEMBERS,
        Access.MEMBERS,
        "Спросите о чём угодно: документы, сроки, системы, кто за что отвечает. "
        "Здесь нет глупых вопросов.",
    ),
    (
        "Опыт наставников",
        "opyt-nastavnikov",
        "#4b4fb0",
        Access.MENTORS,
        Access.MENTORS,
        "Закрытый раздел для наставников и координаторов: трудные случаи, сомнения, находки.",
    ),
    (
        "Практики наставничества",
        "praktiki",
        "#b0431d",
        Access.MEMBERS,
        Access.MENTORS,
        "Проверенные приёмы: как проводить первую встречу, план адаптации, обратная связь.",
    ),
    (
        "Управление делами",
        "upravlenie-delami",
        "#5f6b12",
        Access.MEMBERS,
        Access.MEMBERS,
        "Кадры, муниципальная служба, документооборот аппарата.",
    ),
    (
        "Объявления",
        "obyavleniya",
        "#9a2f55",
        Access.MEMBERS,
        Access.COORDINATORS,
        "Новости программы наставничества от координаторов.",
    ),
]

# (category slug, kind, author email, title, body, tags, [replies]) where a reply is
# (author email, body, index of the reply it answers or None for the thread, accepted?)
Reply = tuple[str, str, int | None, bool]
THREADS: list[tuple[str, str, str, str, str, list[str], list[Reply]]] = [
    (
        "voprosy-novichkov",
        "question",
        "newcomer@example.com",
        "Как оформить служебную записку о командировке?",
        "Меня отправляют на семинар в Министерство. Коллеги говорят, что нужна служебная "
        "записка, но в СЭД я не нашёл шаблона. Кто согласует и в какие сроки?",
        ["dokumentooborot", "perepiska"],
        [
            (
                "mentor@example.com",
                "Шаблон лежит в СЭД: "
                "**Документы → Создать → Служебная записка → Командирование**.\n\n"
                "1. Адресат — начальник управления.\n2. Согласующие — ваш начальник отдела и отдел "
                "кадров.\n3. Подавайте не позже чем за 5 рабочих дней.",
                None,
                True,
            ),
            (
                "e.morozova@example.com",
                "Добавлю: после согласования отдел кадров сам готовит приказ, вам останется только "
                "ознакомиться с ним в СЭД.",
                0,
                False,
            ),
            ("newcomer@example.com", "Спасибо! Получилось с первого раза.", 0, False),
        ],
    ),
    (
        "voprosy-novichkov",
        "question",
        "a.ivanova@example.com",
        "Где посмотреть лимиты бюджетных обязательств отдела?",
        "Готовлю первую заявку на закупку канцтоваров. Где увидеть, сколько осталось "
        "лимитов по нашей статье?",
        ["byudzhet", "zakupki"],
        [
            (
                "r.garipov@example.com",
                "В программном комплексе «Бюджет» есть отчёт «Остатки ЛБО по КБК». Доступ выдаёт "
                "финансовое управление по заявке начальника отдела.",
                None,
                True,
            )
        ],
    ),
    (
        "voprosy-novichkov",
        "question",
        "p.smirnov@example.com",
        "Как получить доступ к электронной подписи?",
        "Для работы в СЭД нужна ЭП. С чего начать?",
        ["tsifrovye-servisy"],
        [],
    ),
    (
        "praktiki",
        "discussion",
        "mentor@example.com",
        "Первая встреча с новичком: мой чек-лист",
        "Делюсь тем, что работает у меня:\n\n- познакомить с коллегами отдела лично, а не "
        "письмом;\n- показать, где лежат регламенты и шаблоны;\n- договориться о коротких "
        "встречах раз в неделю;\n- спросить, что тревожит больше всего.\n\nЧто добавили бы вы?",
        ["proekty"],
        [
            (
                "o.belova@example.com",
                "Я ещё прошу новичка в конце первой недели написать три вопроса, которые остались "
                "без ответа. Очень помогает понять, что мы упустили.",
                None,
                False,
            ),
            (
                "d.valiev@example.com",
                "Отличная идея. А вы разбираете эти вопросы вместе или отвечаете письменно?",
                0,
                False,
            ),
            (
                "o.belova@example.com",
                "Вместе, на следующей встрече — так легче уточнять.",
                1,
                False,
            ),
            (
                "i.nurmukhametov@example.com",
                "Добавлю про доступы: лучше заранее подать заявки на учётные записи, иначе первая "
                "неделя уходит на ожидание.",
                None,
                False,
            ),
        ],
    ),
    (
        "opyt-nastavnikov",
        "discussion",
        "r.garipov@example.com",
        "Новичок стесняется задавать вопросы — как быть?",
        "Мой подопечный почти ничего не спрашивает, а потом выясняется, что он неделю "
        "разбирался сам. Как вы выстраиваете доверие?",
        [],
        [
            (
                "mentor@example.com",
                "Помогает признаться в собственных ошибках первых месяцев. Я рассказываю, как сама "
                "перепутала адресатов в СЭД. После этого вопросов становится больше.",
                None,
                False,
            ),
            (
                "n.sokolova@example.com",
                "И хвалить за каждый заданный вопрос, особенно вначале.",
                0,
                False,
            ),
        ],
    ),
    (
        "obyavleniya",
        "discussion",
        "coordinator@example.com",
        "Стартует весенний поток программы наставничества",
        "Коллеги, с 1 марта открываем новый поток. Наставников, готовых взять подопечных, "
        "просим отметить это в профиле. Заявки на роль наставника принимаются на сайте.",
        [],
        [],
    ),
    (
        "upravlenie-delami",
        "question",
        "k.minnullina@example.com",
        "Сколько дней отпуска положено в первый год службы?",
        "Я на муниципальной службе с октября. Когда можно пойти в отпуск и сколько дней?",
        ["kadry"],
        [
            (
                "e.morozova@example.com",
                "Право на отпуск за первый год появляется через шесть месяцев непрерывной службы. "
                "Основной отпуск — 30 календарных дней, плюс дополнительный за выслугу лет.",
                None,
                True,
            )
        ],
    ),
]


def load(write) -> None:
    """Create the categories and, on an empty forum, the demo threads."""
    for position, (name, slug, color, read, start, description) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "color": color,
                "read_access": read,
                "start_access": start,
                "description": description,
                "position": position,
            },
        )
    users = {user.email: user for user in get_user_model().objects.all()}
    if not Thread.objects.exists():
        _threads(users)
    # Mentors hear of every new newcomer question, as they would choose to in the demo.
    questions = Category.objects.get(slug="voprosy-novichkov")
    for user in users.values():
        if user.is_mentor:
            services.subscription_set(
                user=user, category=questions, level=Subscription.Level.WATCHING
            )
    write(f"Forum: {Category.objects.count()} categories, {Thread.objects.count()} threads.")


def _threads(users: dict) -> None:
    tags = {tag.slug: tag for tag in ExpertiseTag.objects.all()}
    for slug, kind, author, title, body, tag_slugs, replies in THREADS:
        thread = services.thread_create(
            author=users[author],
            category=Category.objects.get(slug=slug),
            kind=kind,
            title=title,
            body=body,
            tags=[tags[t] for t in tag_slugs if t in tags],
        )
        posts: list[Post] = []
        for reply_author, reply_body, parent_index, accepted in replies:
            parent = posts[parent_index] if parent_index is not None else None
            post = services.post_reply(
                author=users[reply_author], thread=thread, parent=parent, body=reply_body
            )
            posts.append(post)
            if accepted:
                services.answer_accept(actor=users[author], post=post)
