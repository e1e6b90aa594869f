"""Time the forum's busiest pages on a forum of community size, against one-query baselines.

Generates members, categories, threads and threaded posts with bulk_create, then prints
p50/p95 server time (Django test client, a logged-in mentor) and the SQL queries of each
request: a category's thread list, the forum index, a thread of 300 nested replies, and
posting a reply. Two baseline views go through the same client and middleware (and
login_required) but do their work in one query with a trivial template, to show what the
real pages cost on top of fetching their rows.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import types
import uuid
from collections import Counter
from unittest import mock

from _setup import django_on_scratch_database, explicit_timestamps

# Replies email every watcher of the thread (the default preference is "immediately"):
# keep those emails in memory rather than print them over the numbers.
os.environ["EMAIL_URL"] = "locmem://"
django_on_scratch_database()

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import Context, Template  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from community import markup  # noqa: E402
from forum.models import (  # noqa: E402
    Access,
    Category,
    Post,
    Reaction,
    ReadState,
    Subscription,
    Thread,
    tree_path,
)
from profiles.models import Department, ExpertiseTag, User  # noqa: E402
from profiles.naming import search_key, slug_base  # noqa: E402

BIG_THREAD_REPLIES = 300
BATCH = 5000

# name, slug, read access, start access, share of threads
CATEGORIES = [
    ("Вопросы новичков", "voprosy-novichkov", Access.MEMBERS, Access.MEMBERS, 35),
    ("Практики наставничества", "praktiki", Access.MEMBERS, Access.MENTORS, 20),
    ("Управление делами", "upravlenie-delami", Access.MEMBERS, Access.MEMBERS, 20),
    ("Цифровые сервисы", "tsifrovye-servisy", Access.MEMBERS, Access.MEMBERS, 10),
    ("Опыт наставников", "opyt-nastavnikov", Access.MENTORS, Access.MENTORS, 10),
    ("Координация программы", "koordinatsiia", Access.COORDINATORS, Access.COORDINATORS, 5),
]

FIRST_M = [
    "Ильдар",
    "Рустам",
    "Дмитрий",
    "Сергей",
    "Тимур",
    "Айдар",
    "Артём",
    "Руслан",
    "Марат",
    "Андрей",
    "Булат",
    "Олег",
]
FIRST_F = [
    "Алия",
    "Елена",
    "Ольга",
    "Гульназ",
    "Наталья",
    "Марина",
    "Ксения",
    "Лилия",
    "Динара",
    "Анна",
    "Эльвира",
    "Татьяна",
]
LAST = [
    "Хасанов",
    "Иванов",
    "Гарипов",
    "Смирнов",
    "Валиев",
    "Морозов",
    "Соколов",
    "Нуриев",
    "Белов",
    "Каримов",
    "Петров",
    "Зайцев",
    "Ахметов",
    "Миннуллин",
    "Сафин",
    "Кузнецов",
]

TOPICS = [
    "служебную записку",
    "командировку",
    "ежегодный отпуск",
    "доступ к СЭД",
    "электронную подпись",
    "закупку канцтоваров",
    "план адаптации",
    "отчёт по нацпроекту",
    "больничный лист",
    "повышение квалификации",
    "аттестацию",
    "муниципальное задание",
    "ответ на обращение граждан",
    "пропуск в здание",
    "премию по итогам квартала",
    "заявку на ремонт",
    "годовой план работы",
]
QUESTION_TITLES = [
    "Как оформить {}?",
    "Где найти шаблон на {}?",
    "Кто согласует {}?",
    "Какие сроки подачи на {}?",
    "Можно ли перенести {}?",
    "Подскажите, как подать {}",
]
DISCUSSION_TITLES = [
    "Опыт: как мы упростили {}",
    "Чек-лист на {}",
    "Обсуждаем новый порядок: {}",
    "Разбор ошибок: {}",
    "Идеи, как ускорить {}",
]

PARAGRAPHS = [
    "Спасибо, **очень помогло**!",
    "Согласен с коллегой выше. У нас в отделе так же: сначала согласование с начальником, "
    "потом отдел кадров.",
    "Шаблон лежит в СЭД: **Документы → Создать → Служебная записка**. Адресат — начальник "
    "управления, согласующие — ваш начальник отдела и отдел кадров. Подавайте не позже чем "
    "за пять рабочих дней, иначе приказ не успеют подписать.",
    "Добавлю по срокам:\n\n1. Черновик — один день.\n2. Согласование — до трёх дней.\n"
    "3. Регистрация — в день подписания.\n\nЕсли кто-то из согласующих в отпуске, СЭД "
    "позволяет назначить замещающего.",
    "> Помогает признаться в собственных ошибках первых месяцев.\n\nПодтверждаю: после "
    "такого разговора новички спрашивают намного смелее. Я ещё прошу в конце первой недели "
    "написать три вопроса, которые остались без ответа.",
    "Регламент здесь: https://city.example.org/reglament/2024 — раздел 4, пункт 12. "
    "Обратите внимание на *приложение Б*, там образец заполнения.",
    "| Шаг | Кто | Срок |\n|---|---|:-:|\n| Заявка | сотрудник | 1 день |\n"
    "| Согласование | начальник отдела | 3 дня |\n| Приказ | отдел кадров | 2 дня |\n\n"
    "Так выглядит типичный маршрут, но в финансовом управлении свои сроки — уточните у них.",
    "Коллеги, а как быть, если новичок работает удалённо два дня в неделю? Встречи раз в "
    "неделю по видеосвязи хватает, или лучше договариваться о коротких созвонах каждый день "
    "в первый месяц? Поделитесь, пожалуйста, опытом — у меня такой случай впервые.",
]
REPLY_BODY = (
    "Попробовал по вашей инструкции — **получилось**. Добавлю для остальных:\n\n"
    "1. Заявку подаём через СЭД.\n2. Копию отправляем в отдел кадров.\n\n"
    "Подробности в регламенте: https://city.example.org/reglament/2024"
)

BASELINE_THREAD = Template(
    '{% for p in posts %}<article id="post-{{ p.number }}"><b>{{ p.author.full_name }}</b> '
    "{{ p.created_at }}<div>{{ p.body_html|safe }}</div></article>{% endfor %}"
)
BASELINE_CATEGORY = Template(
    '{% for t in threads %}<li><a href="/forum/t/{{ t.pk }}/">{{ t.title }}</a> '
    "{{ t.author.full_name }} {{ t.reply_count }} {{ t.last_activity_at }}</li>{% endfor %}"
)


@login_required
def baseline_thread(request, pk: int) -> HttpResponse:
    posts = Post.objects.filter(thread_id=pk).select_related("author").order_by("path")
    return HttpResponse(BASELINE_THREAD.render(Context({"posts": posts})))


@login_required
def baseline_category(request, pk: int) -> HttpResponse:
    threads = (
        Thread.objects.filter(category_id=pk, is_hidden=False)
        .select_related("author")
        .order_by("-is_pinned", "-last_activity_at", "-pk")[:30]
    )
    return HttpResponse(BASELINE_CATEGORY.render(Context({"threads": threads})))


bench_urls = types.ModuleType("bench_forum_urls")
bench_urls.urlpatterns = [
    path("bench/thread/<int:pk>/", baseline_thread),
    path("bench/category/<int:pk>/", baseline_category),
    path("", include("community.urls")),
]
sys.modules[bench_urls.__name__] = bench_urls


# --- Data ----------------------------------------------------------------------------


def reply_tree(
    rng: random.Random, replies: int, *, max_depth: int, to_opening: float
) -> list[tuple[int | None, int]]:
    """(parent index, depth) for the opening post and each reply, in posting order."""
    nodes: list[tuple[int | None, int]] = [(None, 0)]
    answerable: list[int] = []
    for k in range(1, replies + 1):
        # Recent replies are the ones that get answered, so branches grow a few levels deep.
        parent = 0 if not answerable or rng.random() < to_opening else rng.choice(answerable[-30:])
        depth = nodes[parent][1] + 1
        nodes.append((parent, depth))
        if depth < max_depth:
            answerable.append(k)
    return nodes


def members(count: int) -> list[User]:
    city_hall = Department.objects.create(name="Мэрия", kind="city_hall")
    divisions = []
    for a in range(4):
        administration = Department.objects.create(
            name=f"Управление {a + 1}", kind="administration", parent=city_hall
        )
        divisions += [
            Department.objects.create(
                name=f"Отдел {a + 1}.{d + 1}", kind="division", parent=administration
            )
            for d in range(3)
        ]
    password = make_password(None)
    people = []
    for n in range(count):
        female = n % 2
        first = (FIRST_F if female else FIRST_M)[n // 2 % 12]
        last = LAST[n // 24 % len(LAST)] + ("а" if female else "")
        full_name = f"{first} {last}"
        email = f"member{n}@example.com"
        role = "coordinator" if n % 97 == 5 else "mentor" if n == 0 or n % 7 == 0 else "newcomer"
        people.append(
            User(
                email=email,
                full_name=full_name,
                search_name=search_key(full_name),
                slug=f"{slug_base(full_name, email)}-{n}",
                role=role,
                department=divisions[n % len(divisions)],
                password=password,
                position="Главный специалист",
            )
        )
    return User.objects.bulk_create(people)


def populate(thread_total: int, post_total: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    now = timezone.now()
    users = members(2000)
    viewer = users[0]
    tags = ExpertiseTag.objects.bulk_create(
        ExpertiseTag(name=f"Тема {n}", slug=f"tema-{n}") for n in range(20)
    )
    pools = {
        Access.MEMBERS: [u.pk for u in users],
        Access.MENTORS: [u.pk for u in users if u.role != "newcomer"],
        Access.COORDINATORS: [u.pk for u in users if u.role == "coordinator"],
    }
    categories = [
        Category.objects.create(
            name=name,
            slug=slug,
            read_access=read,
            start_access=start,
            position=i,
            description=f"Раздел «{name}».",
        )
        for i, (name, slug, read, start, _share) in enumerate(CATEGORIES)
    ]
    shares = [c[4] for c in CATEGORIES]
    cooked = [(body, str(markup.render(body))) for body in PARAGRAPHS]
    version = markup.MARKUP_VERSION

    # Replies per thread: the big thread gets its 300, the rest a skewed share each.
    spare = max(0, post_total - thread_total)
    big_replies = min(BIG_THREAD_REPLIES, spare)
    weights = [rng.expovariate(1) for _ in range(thread_total - 1)]
    counts = Counter(rng.choices(range(thread_total - 1), weights, k=spare - big_replies))
    replies = [big_replies] + [counts[i] for i in range(thread_total - 1)]

    post_id = (Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    thread_id = (Thread.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    thread_buffer: list[Thread] = []
    post_buffer: list[Post] = []
    tag_links, watchers = [], []
    reactions: list[Reaction] = []
    per_category = {c.pk: [0, 0, None] for c in categories}
    pinned = Counter()
    big = None

    def flush() -> None:
        Thread.objects.bulk_create(thread_buffer)
        Post.objects.bulk_create(post_buffer)
        thread_buffer.clear()
        post_buffer.clear()

    for t in range(thread_total):
        is_big = t == 0
        category = categories[0] if is_big else rng.choices(categories, shares)[0]
        pool = pools[category.read_access] or pools[Access.MEMBERS]
        if is_big:
            pool = rng.sample(pools[Access.MEMBERS], 80)  # a lively discussion among 80
            nodes = reply_tree(rng, replies[t], max_depth=4, to_opening=0.35)
            created = now - datetime.timedelta(days=30)
            gap = 2 * 3600
        else:
            nodes = reply_tree(rng, replies[t], max_depth=7, to_opening=0.6)
            created = now - datetime.timedelta(seconds=rng.uniform(86400, 730 * 86400))
            gap = 3 * 3600
        kind = Thread.Kind.QUESTION if is_big or rng.random() < 0.45 else Thread.Kind.DISCUSSION
        topic = rng.choice(TOPICS)
        title = (
            "Как организовать наставничество в отделе из сорока человек?"
            if is_big
            else rng.choice(
                QUESTION_TITLES if kind == Thread.Kind.QUESTION else DISCUSSION_TITLES
            ).format(topic)
        )
        author = rng.choice(pool)
        paths, authors, times, ids = [], [], [], []
        children = Counter(parent for parent, _depth in nodes if parent is not None)
        when = created
        for k, (parent, depth) in enumerate(nodes):
            number = k + 1
            if k:
                when = min(now, when + datetime.timedelta(seconds=rng.expovariate(1 / gap)))
                poster = author if rng.random() < 0.2 else rng.choice(pool)
            else:
                poster = author
            paths.append(tree_path(paths[parent] if parent is not None else "", number))
            authors.append(poster)
            times.append(when)
            ids.append(post_id)
            body, body_html = cooked[rng.randrange(len(cooked))]
            post = Post(
                id=post_id,
                thread_id=thread_id,
                number=number,
                parent_id=ids[parent] if parent is not None else None,
                depth=depth,
                path=paths[-1],
                author_id=poster,
                body=body,
                body_html=body_html,
                body_markup_version=version,
                created_at=when,
                reply_count=children[k],
            )
            if is_big and k and rng.random() < 0.35:
                reacting = {}
                for reactor in rng.sample(pool, 3)[: rng.randint(1, 3)]:
                    if reactor != poster:
                        kind_ = rng.choice(Reaction.Kind.values)
                        reacting[(reactor, kind_)] = Reaction(
                            post_id=post_id, user_id=reactor, kind=kind_
                        )
                if k % 9 == 0 and poster != viewer.pk:
                    reacting[(viewer.pk, "like")] = Reaction(
                        post_id=post_id, user_id=viewer.pk, kind="like"
                    )
                reactions += reacting.values()
                post.reaction_counts = dict(Counter(kind_ for _u, kind_ in reacting))
            post_buffer.append(post)
            post_id += 1
        accepted = None
        if kind == Thread.Kind.QUESTION and len(nodes) > 1 and (is_big or rng.random() < 0.5):
            accepted = rng.choice([ids[k] for k, (_p, depth) in enumerate(nodes) if depth == 1])
        thread = Thread(
            id=thread_id,
            category_id=category.pk,
            kind=kind,
            title=title,
            author_id=author,
            created_at=created,
            last_activity_at=times[-1],
            last_poster_id=authors[-1],
            reply_count=len(nodes) - 1,
            post_sequence=len(nodes),
            view_count=rng.randint(len(nodes), 40 * len(nodes)),
            is_pinned=pinned[category.pk] < 2 and not is_big,
            is_locked=rng.random() < 0.01,
            is_hidden=not is_big and rng.random() < 0.005,
            accepted_answer_id=accepted,
        )
        pinned[category.pk] += thread.is_pinned
        thread_buffer.append(thread)
        if is_big:
            big = thread
        tag_links += [
            Thread.tags.through(thread_id=thread_id, expertisetag_id=tag.pk)
            for tag in rng.sample(tags, rng.randint(0, 2))
        ]
        # Starting or replying watches the thread (services._watchers).
        watchers += [
            Subscription(user_id=u, thread_id=thread_id, level=Subscription.Level.WATCHING)
            for u in set(authors)
        ]
        totals = per_category[category.pk]
        totals[0] += 1
        totals[1] += len(nodes)
        totals[2] = max(totals[2] or times[-1], times[-1])
        thread_id += 1
        if len(post_buffer) >= BATCH:
            flush()
    flush()

    Thread.tags.through.objects.bulk_create(tag_links, batch_size=BATCH)
    Subscription.objects.bulk_create(watchers, batch_size=BATCH)
    Reaction.objects.bulk_create(reactions, batch_size=BATCH)
    for category in categories:
        threads, posts, last = per_category[category.pk]
        Category.objects.filter(pk=category.pk).update(
            thread_count=threads, post_count=posts, last_activity_at=last
        )
    # Where members stopped reading: the viewer follows a few hundred threads, others too.
    readable = list(
        Thread.objects.filter(category__read_access=Access.MEMBERS).values_list("pk", flat=True)
    )
    sequence = dict(Thread.objects.values_list("pk", "post_sequence"))
    read_pairs = {(viewer.pk, pk) for pk in rng.sample(readable, min(400, len(readable)))}
    while len(read_pairs) < min(30_000, len(users) * len(readable) // 2):
        read_pairs.add((rng.choice(pools[Access.MEMBERS]), rng.choice(readable)))
    ReadState.objects.bulk_create(
        (
            ReadState(user_id=u, thread_id=t, last_read_number=rng.randint(1, sequence[t]))
            for u, t in read_pairs
            if (u, t) != (viewer.pk, big.pk)
        ),
        batch_size=BATCH,
    )
    return {
        "viewer": viewer,
        "big": big,
        "category": categories[0],
        "users": len(users),
        "subscriptions": len(watchers),
        "replies": replies,
    }


# --- Timing --------------------------------------------------------------------------


def measure(call, *, rounds: int, warmup: int, expect: int) -> dict:
    for _ in range(warmup):
        call()
    timings, queries = [], []
    for _ in range(rounds):
        reset_queries()  # the query log keeps 9000 entries: a full log would count 0
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = call()
            timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != expect:
            raise SystemExit(
                f"{response.status_code} instead of {expect}: {response.content[:500]!r}"
            )
        queries.append(len(captured))
        mail.outbox = []
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[-1]
    return {"p50": statistics.median(timings), "p95": p95, "queries": queries, "response": response}


def line(label: str, result: dict, note: str = "") -> None:
    low, high = min(result["queries"]), max(result["queries"])
    queries = f"{low}" if low == high else f"{low}-{high}"
    print(
        f"{label:42} p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
        f"{queries:>7} queries{note}"
    )


def ratio(label: str, ours: dict, base: dict) -> None:
    print(
        f"{label:42} p50 x{ours['p50'] / base['p50']:6.1f}     "
        f"p95 x{ours['p95'] / base['p95']:6.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    if args.threads < 2 or args.posts < args.threads:
        parser.error("need at least 2 threads and one post (the opening) per thread")
    if Thread.objects.exists():
        raise SystemExit("The forum is not empty: point DATABASE_URL at an empty database.")

    start = time.perf_counter()
    with transaction.atomic(), explicit_timestamps(Thread, Post):
        data = populate(args.threads, args.posts)
    with connection.cursor() as cursor:  # explicit ids: move PostgreSQL's sequences on
        for sql in connection.ops.sequence_reset_sql(no_style(), [Thread, Post]):
            cursor.execute(sql)
    generated = time.perf_counter() - start
    big, category, viewer = data["big"], data["category"], data["viewer"]
    depths = Counter(Post.objects.filter(thread=big, depth__gt=0).values_list("depth", flat=True))
    print(
        f"generated {Thread.objects.count()} threads, {Post.objects.count()} posts, "
        f"{data['users']} members, {data['subscriptions']} watches in {generated:.1f} s "
        f"({connection.vendor})"
    )
    print(
        f"big thread: {big.reply_count} replies by depth "
        + ", ".join(f"{d}:{n}" for d, n in sorted(depths.items()))
        + f"; category «{category.slug}» has {category.threads.count()} threads"
    )

    client = Client()
    client.force_login(viewer)
    timing = {"rounds": args.rounds, "warmup": 3}
    with override_settings(ROOT_URLCONF=bench_urls.__name__):
        category_url = reverse("forum:category", kwargs={"slug": category.slug})
        thread_url = big.get_absolute_url()
        base_c = measure(
            lambda: client.get(f"/bench/category/{category.pk}/"), expect=200, **timing
        )
        ours_c = measure(lambda: client.get(category_url), expect=200, **timing)
        index = measure(lambda: client.get(reverse("forum:index")), expect=200, **timing)
        base_t = measure(lambda: client.get(f"/bench/thread/{big.pk}/"), expect=200, **timing)
        ours_t = measure(lambda: client.get(thread_url), expect=200, **timing)
        shown = ours_t["response"].content.count(b'<article class="post')
        shown_base = base_t["response"].content.count(b"<article ")

        line(f"category {category_url}", ours_c)
        line("  baseline: 30 threads, 1 query", base_c, "  (incl. session+user)")
        ratio("  category / baseline", ours_c, base_c)
        line("index /forum/", index)
        line(f"thread, {big.reply_count} replies ({shown} posts shown)", ours_t)
        line(f"  baseline: {shown_base} posts+authors, 1 query", base_t, "  (incl. session+user)")
        ratio("  thread / baseline", ours_t, base_t)

        def reply_to(parent: Post):
            url = reverse("forum:reply", kwargs={"pk": parent.pk})
            return lambda: client.post(
                url, {"body": REPLY_BODY, "submission_token": str(uuid.uuid4())}
            )

        typical = (
            Thread.objects.filter(
                category=category,
                is_hidden=False,
                is_locked=False,
                reply_count__gte=15,
                reply_count__lte=25,
            )
            .exclude(pk=big.pk)
            .first()
        )
        with mock.patch("forum.services.rate_limit_hit", lambda **kwargs: None):
            parent = Post.objects.filter(thread=big, depth=2).first() or big.posts.get(number=1)
            watching = Subscription.objects.filter(thread=big).count()
            reply_big = measure(reply_to(parent), expect=302, **timing)
            line(
                f"reply POST, big thread ({watching} watchers)",
                reply_big,
                "  (rate_limit_hit patched out)",
            )
            if typical is not None:
                watching = Subscription.objects.filter(thread=typical).count()
                reply_typical = measure(reply_to(typical.posts.get(number=1)), expect=302, **timing)
                line(
                    f"reply POST, {typical.reply_count}-reply thread ({watching} watchers)",
                    reply_typical,
                    "  (rate_limit_hit patched out)",
                )


if __name__ == "__main__":
    main()
