"""The coordinators' dashboard at the size of a city: 5 000 employees and 100 000 forum posts.

    .venv/bin/python bench/dashboard.py                   # SQLite, full size
    .venv/bin/python bench/dashboard.py --scale 0.1       # a tenth, for a quick look
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/dashboard.py

Builds, with bulk_create in one transaction: 5 000 members hired over four years (about a
fifth gone since), 300 mentors and a coordinator; 20 000 threads over a year, 40 % of them
questions, most answered by someone other than the asker after minutes to days, with
100 000 posts in all; 50 000 chat messages in 50 channels; 1 500 mentoring pairs (active,
completed, ended early, a few proposed) with five plan steps each, their status changes and
the newcomers' feedback. Then times, as a logged-in coordinator through the test client, the
page for the default ranges (twelve weeks of activity, twelve hiring quarters) and for a wide
one (a year, sixteen quarters), every CSV export in full, and each selector on its own, with
the SQL queries each takes: their number must not grow with the data (on an empty
community the page skips one, the median wait, with no answer to sort).
With a PostgreSQL DATABASE_URL the run creates a scratch database and drops it afterwards;
the tables are ANALYZEd there, as autovacuum would have, and left without statistics on
SQLite, as the application leaves them; the temporary SQLite file is deleted at the end.
`--explain N` prints the plans of the N slowest queries of the wide page.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import itertools
import math
import os
import random
import re
import shutil
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _setup import django_on_scratch_database, explicit_timestamps, run_on_scratch_database

MEMBERS = 5_000
MENTORS = 300
THREADS = 20_000
POSTS = 100_000  # opening posts included
MESSAGES = 50_000
ROOMS = 50
HIRING_DAYS = 4 * 365
ACTIVITY_DAYS = 365
QUESTION_SHARE = 0.4
UNANSWERED_SHARE = 0.1
# Share of hires given a mentor: 1 500 pairs out of 4 700 hires.
MENTORED_SHARE = 0.33
# Chance to leave in the first year, with a mentor and without; then in the later years.
FIRST_YEAR_LEAVE = {True: 0.11, False: 0.19}
LATER_LEAVE = 0.2
# Days after the start of a pair when its five plan steps fall due (the last: before its end).
STEP_DAYS = (7, 14, 30, 60)
STEP_TITLES = (
    "Экскурсия по зданию и знакомство с отделом",
    "Доступ к СЭД и электронной почте",
    "Первая служебная записка под присмотром",
    "Разбор регламентов управления",
    "Итоговая встреча и отзыв",
)
# Members who read but never write on the forum or in the chat.
LURKERS = 0.4
BATCH = 10_000

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
CATEGORIES = [
    "Вопросы новичков",
    "Управление делами",
    "Цифровые сервисы",
    "Кадры и отпуска",
    "Практики наставничества",
    "Финансы и закупки",
]
TOPICS = [
    "служебную записку",
    "командировку",
    "ежегодный отпуск",
    "доступ к СЭД",
    "электронную подпись",
    "закупку канцтоваров",
    "план адаптации",
    "больничный лист",
    "повышение квалификации",
    "аттестацию",
    "ответ на обращение граждан",
    "пропуск в здание",
    "заявку на ремонт",
    "годовой план работы",
]
QUESTION_TITLES = [
    "Как оформить {}?",
    "Где найти шаблон на {}?",
    "Кто согласует {}?",
    "Какие сроки подачи на {}?",
    "Подскажите, как подать {}",
]
DISCUSSION_TITLES = [
    "Опыт: как мы упростили {}",
    "Чек-лист на {}",
    "Обсуждаем порядок: {}",
    "Идеи, как ускорить {}",
]
POST_BODIES = [
    "Подскажите, пожалуйста, с чего начать? В отделе никто не помнит, как это делалось.",
    "Шаблон лежит в СЭД: **Документы → Создать → Служебная записка**. Согласующие — ваш "
    "начальник отдела и отдел кадров, подавайте не позже чем за пять рабочих дней.",
    "Добавлю по срокам:\n\n1. Черновик — один день.\n2. Согласование — до трёх дней.\n"
    "3. Регистрация — в день подписания.",
    "Спасибо, **очень помогло**!",
    "Регламент здесь: https://city.example.org/reglament/2024 — раздел 4, пункт 12.",
    "У нас в управлении так же, только ещё нужна виза юриста.",
]
BUMP = "Коллеги, вопрос ещё актуален, подскажите кто-нибудь."
CHAT_BODIES = [
    "Доброе утро!",
    "Кто сегодня на приёме граждан?",
    "Спасибо 🙏",
    "Совещание переносится на 15:00.",
    "Скинул шаблон в канал, смотрите выше.",
    "А где взять пропуск для нового сотрудника?",
    "Принято.",
    "Уже согласовали.",
]
COMMENTS = [
    "",
    "",
    "Очень помог разобраться с СЭД.",
    "Мало встречались.",
    "Спасибо за терпение!",
    "Хотелось бы больше практики.",
]


# --- Data ----------------------------------------------------------------------------------


@dataclass
class Person:
    id: int
    role: str
    start: datetime.date
    end: datetime.date | None
    mentored: bool = False
    capacity: int = 0


def coordinator_alone():
    """The city hall and the coordinator who reads the dashboard: an empty community."""
    from django.contrib.auth.hashers import make_password

    from profiles.models import Department, User

    city_hall = Department.objects.create(name="Мэрия", kind=Department.Kind.CITY_HALL)
    return User.objects.create(
        email="coordinator@example.com",
        full_name="Координатор Программы",
        search_name="координатор программы",
        slug="koordinator",
        role=User.Role.COORDINATOR,
        department=city_hall,
        password=make_password(None),
        service_start=datetime.date(2015, 3, 2),
    )


def build(coordinator, scale: float, seed: int) -> None:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from chat.models import Message, Room
    from forum.models import Category, Post, Thread
    from mentoring.models import Feedback, Mentorship, MentorshipEvent, PlanStep
    from profiles.models import Department, User

    rng = random.Random(seed)
    stamped = (Thread, Post, Room, Message, Mentorship, MentorshipEvent, Feedback)
    with transaction.atomic(), explicit_timestamps(*stamped):
        step = time.perf_counter()
        people = members(rng, coordinator, scale)
        print(f"  members: {len(people)} ({time.perf_counter() - step:.1f} s)", flush=True)
        step = time.perf_counter()
        pool = Authors(rng, people)
        forum(rng, scale, pool)
        print(f"  forum ({time.perf_counter() - step:.1f} s)", flush=True)
        step = time.perf_counter()
        chat(rng, scale, pool, coordinator.pk)
        print(f"  chat ({time.perf_counter() - step:.1f} s)", flush=True)
        step = time.perf_counter()
        mentoring(rng, people, coordinator.pk)
        print(f"  mentoring ({time.perf_counter() - step:.1f} s)", flush=True)
    models = [
        Department,
        User,
        Category,
        Thread,
        Post,
        Room,
        Message,
        Mentorship,
        MentorshipEvent,
        PlanStep,
        Feedback,
    ]
    with connection.cursor() as cursor:  # explicit ids: move PostgreSQL's sequences on
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def members(rng: random.Random, coordinator, scale: float) -> list[Person]:
    from django.utils import timezone

    from profiles.models import Department, User
    from profiles.naming import search_key, slug_base

    today = timezone.localdate()
    city_hall = coordinator.department
    divisions = []
    for a in range(6):
        administration = Department.objects.create(
            name=f"Управление {a + 1}", kind=Department.Kind.ADMINISTRATION, parent=city_hall
        )
        divisions += [
            Department.objects.create(
                name=f"Отдел {a + 1}.{d + 1}", kind=Department.Kind.DIVISION, parent=administration
            )
            for d in range(4)
        ]
    password = coordinator.password
    total, mentors = round(MEMBERS * scale), max(2, round(MENTORS * scale))
    people, users = [], []
    for n in range(1, total):
        pk = coordinator.pk + n
        female = rng.random() < 0.55
        full_name = (
            f"{rng.choice(FIRST_F if female else FIRST_M)} "
            f"{rng.choice(LAST)}{'а' if female else ''}"
        )
        email = f"employee{n}@example.com"
        if n <= mentors:  # the experienced: hired before the four years, still in service
            person = Person(
                pk,
                User.Role.MENTOR,
                today - datetime.timedelta(days=rng.randrange(HIRING_DAYS, 15 * 365)),
                None,
                capacity=rng.choice([1, 2, 2, 3, 3, 4, 5, 8]),
            )
        else:
            start = today - datetime.timedelta(days=rng.randrange(HIRING_DAYS))
            mentored = rng.random() < MENTORED_SHARE
            person = Person(
                pk,
                User.Role.NEWCOMER,
                start,
                departure(rng, start, today, mentored),
                mentored=mentored,
            )
        people.append(person)
        users.append(
            User(
                id=pk,
                email=email,
                full_name=full_name,
                search_name=search_key(full_name),
                slug=f"{slug_base(full_name, email)}-{n}",
                role=person.role,
                department=rng.choice(divisions),
                position="Главный специалист",
                password=password,
                service_start=person.start,
                service_end=person.end,
                is_active=person.end is None,
                mentor_capacity=person.capacity or 2,
                accepting_mentees=rng.random() < 0.85,
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH)
    return people


def departure(
    rng: random.Random, start: datetime.date, today: datetime.date, mentored: bool
) -> datetime.date | None:
    if rng.random() < FIRST_YEAR_LEAVE[mentored]:
        end = start + datetime.timedelta(days=rng.randrange(14, 365))
    elif rng.random() < LATER_LEAVE:
        end = start + datetime.timedelta(days=rng.randrange(365, HIRING_DAYS))
    else:
        return None
    return end if end < today else None


class Authors:
    """Who writes: a few members a lot, most a little, many never; mentors more, those gone
    hardly."""

    def __init__(self, rng: random.Random, people: list[Person]) -> None:
        self.rng = rng
        self.ids = [p.id for p in people]
        weights = [
            0.0
            if p.role != "mentor" and rng.random() < LURKERS
            else rng.paretovariate(1.2) * (3 if p.role == "mentor" else 1) * (0.1 if p.end else 1)
            for p in people
        ]
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self) -> int:
        return self.rng.choices(self.ids, cum_weights=self.cumulative)[0]

    def other_than(self, author: int) -> int:
        while (chosen := self.pick()) == author:
            pass
        return chosen


def forum(rng: random.Random, scale: float, authors: Authors) -> None:
    from django.utils import timezone

    from community import markup
    from forum.models import Category, Post, Thread, tree_path

    now = timezone.now()
    categories = [
        Category.objects.create(name=name, slug=f"razdel-{n}", position=n)
        for n, name in enumerate(CATEGORIES)
    ]
    cooked = [(body, str(markup.render(body))) for body in POST_BODIES]
    bump = (BUMP, str(markup.render(BUMP)))
    version = markup.MARKUP_VERSION
    thread_total = round(THREADS * scale)
    kinds = [
        Thread.Kind.QUESTION if rng.random() < QUESTION_SHARE else Thread.Kind.DISCUSSION
        for _ in range(thread_total)
    ]
    # A tenth of the questions get no answer from anyone else; half of those a bump by the
    # asker. Answered questions get their answer; every other reply goes to the threads by
    # a skewed weight, the unanswered left out.
    unanswered = [
        kind == Thread.Kind.QUESTION and rng.random() < UNANSWERED_SHARE for kind in kinds
    ]
    bumped = [alone and rng.random() < 0.5 for alone in unanswered]
    answered = [
        kind == Thread.Kind.QUESTION and not alone
        for kind, alone in zip(kinds, unanswered, strict=True)
    ]
    spare = round(POSTS * scale) - thread_total - sum(bumped) - sum(answered)
    weights = [0.0 if alone else rng.expovariate(1) for alone in unanswered]
    extra = Counter(rng.choices(range(thread_total), weights, k=max(0, spare)))

    threads: list[Thread] = []
    posts: list[Post] = []
    post_id = 1
    per_category = {c.pk: [0, 0, None] for c in categories}
    for t in range(thread_total):
        kind = kinds[t]
        created = now - datetime.timedelta(seconds=rng.uniform(3600, ACTIVITY_DAYS * 86400))
        asker = authors.pick()
        # (author, seconds after the previous post) of each reply, in order
        plan: list[tuple[int, float]] = []
        if answered[t]:  # the first answer: a median of three hours, minutes to days
            plan.append((authors.other_than(asker), rng.lognormvariate(math.log(3 * 3600), 1.8)))
        elif bumped[t]:
            plan.append((asker, rng.uniform(3600, 5 * 86400)))
        for _ in range(extra[t]):
            plan.append(
                (
                    asker if rng.random() < 0.25 else authors.other_than(asker),
                    rng.expovariate(1 / (8 * 3600)),
                )
            )
        opening = Post(
            id=post_id,
            thread_id=t + 1,
            number=1,
            depth=0,
            path=tree_path("", 1),
            author_id=asker,
            created_at=created,
            body=cooked[0][0],
            body_html=cooked[0][1],
            body_markup_version=version,
        )
        thread_posts = [opening]
        when = created
        for author, wait in plan:
            # A thread of the last days has its replies squeezed in before now.
            when = min(when + datetime.timedelta(seconds=wait), when + (now - when) * rng.random())
            number = len(thread_posts) + 1
            parent = (
                opening
                if rng.random() < 0.7
                else rng.choice([p for p in thread_posts if p.depth < 6])
            )
            body, body_html = bump if author == asker and bumped[t] else rng.choice(cooked)
            thread_posts.append(
                Post(
                    id=post_id + number - 1,
                    thread_id=t + 1,
                    number=number,
                    parent_id=parent.id,
                    depth=parent.depth + 1,
                    path=tree_path(parent.path, number),
                    author_id=author,
                    created_at=when,
                    body=body,
                    body_html=body_html,
                    body_markup_version=version,
                    is_deleted=rng.random() < 0.01,
                    is_hidden=rng.random() < 0.005,
                )
            )
            parent.reply_count += 1
        post_id += len(thread_posts)
        posts += thread_posts
        last = thread_posts[-1]
        category = rng.choice(categories)
        accepted = (
            thread_posts[1].id
            if kind == Thread.Kind.QUESTION
            and len(thread_posts) > 1
            and thread_posts[1].author_id != asker
            and rng.random() < 0.4
            else None
        )
        title = rng.choice(
            QUESTION_TITLES if kind == Thread.Kind.QUESTION else DISCUSSION_TITLES
        ).format(rng.choice(TOPICS))
        threads.append(
            Thread(
                id=t + 1,
                category_id=category.pk,
                kind=kind,
                title=title,
                author_id=asker,
                created_at=created,
                last_activity_at=last.created_at,
                last_poster_id=last.author_id,
                reply_count=len(thread_posts) - 1,
                post_sequence=len(thread_posts),
                view_count=rng.randint(1, 300),
                is_hidden=rng.random() < 0.005,
                accepted_answer_id=accepted,
            )
        )
        totals = per_category[category.pk]
        totals[0] += 1
        totals[1] += len(thread_posts)
        totals[2] = max(totals[2] or last.created_at, last.created_at)
        if len(posts) >= BATCH:
            Thread.objects.bulk_create(threads)
            Post.objects.bulk_create(posts)
            threads.clear()
            posts.clear()
    Thread.objects.bulk_create(threads)
    Post.objects.bulk_create(posts)
    for pk, (thread_count, post_count, last_activity_at) in per_category.items():
        Category.objects.filter(pk=pk).update(
            thread_count=thread_count, post_count=post_count, last_activity_at=last_activity_at
        )


def chat(rng: random.Random, scale: float, authors: Authors, creator: int) -> None:
    from django.utils import timezone

    from chat.models import Message, Room
    from community import markup

    now = timezone.now()
    cooked = [(body, str(markup.render(body))) for body in CHAT_BODIES]
    version = markup.MARKUP_VERSION
    room_total = max(2, round(ROOMS * scale))
    weights = [rng.expovariate(1) for _ in range(room_total)]
    per_room: dict[int, list[datetime.datetime]] = {n: [] for n in range(room_total)}
    for n in rng.choices(range(room_total), weights, k=round(MESSAGES * scale)):
        per_room[n].append(now - datetime.timedelta(seconds=rng.uniform(0, ACTIVITY_DAYS * 86400)))
    rooms, messages = [], []
    message_id = 1
    for n, moments in per_room.items():
        moments.sort()
        rooms.append(
            Room(
                id=n + 1,
                kind=Room.Kind.CHANNEL,
                name=f"Канал {n + 1}",
                slug=f"kanal-{n + 1}",
                created_by_id=creator,
                created_at=now - datetime.timedelta(days=ACTIVITY_DAYS + 30),
                sequence=len(moments),
                last_message_at=moments[-1] if moments else None,
            )
        )
        for seq, moment in enumerate(moments, start=1):
            body, body_html = rng.choice(cooked)
            messages.append(
                Message(
                    id=message_id,
                    room_id=n + 1,
                    author_id=authors.pick(),
                    client_id=f"bench-{message_id}",
                    created_seq=seq,
                    seq=seq,
                    body=body,
                    body_html=body_html,
                    body_markup_version=version,
                    created_at=moment,
                    is_deleted=rng.random() < 0.01,
                )
            )
            message_id += 1
    Room.objects.bulk_create(rooms)
    Message.objects.bulk_create(messages, batch_size=BATCH)


def mentoring(rng: random.Random, people: list[Person], coordinator: int) -> None:
    from django.utils import timezone

    from mentoring.models import Feedback, Mentorship, MentorshipEvent, PlanStep

    now = timezone.now()
    today = timezone.localdate()
    status = Mentorship.Status

    def moment(day: datetime.date) -> datetime.datetime:
        at = datetime.time(rng.randrange(9, 18), rng.randrange(60))
        return min(now, timezone.make_aware(datetime.datetime.combine(day, at)))

    mentors = [p for p in people if p.role == "mentor"]
    capacity = list(itertools.accumulate(p.capacity for p in mentors))
    load: Counter[int] = Counter()
    pairs, events, steps, forms = [], [], [], []
    for newcomer in (p for p in people if p.mentored):
        pk = len(pairs) + 1
        starts_on = newcomer.start + datetime.timedelta(days=rng.randrange(10))
        if newcomer.end and starts_on > newcomer.end:
            starts_on = newcomer.start
        ends_on = starts_on + datetime.timedelta(days=rng.choice([90, 90, 120, 180]))
        closed = ends_on
        if (today - newcomer.start).days < 14 and rng.random() < 0.6:
            state = status.PROPOSED  # still waiting for the mentor's answer
            starts_on = today + datetime.timedelta(days=rng.randrange(1, 8))
            ends_on = starts_on + datetime.timedelta(days=90)
        elif starts_on > today:
            state = status.PROPOSED
        elif newcomer.end and newcomer.end < ends_on:
            state, closed = status.ENDED, newcomer.end
        elif ends_on < today:
            state = status.COMPLETED if rng.random() < 0.9 else status.ENDED
            if state == status.ENDED:
                closed = starts_on + datetime.timedelta(days=rng.randrange(20, 85))
        else:
            state = status.ACTIVE
        mentor = rng.choices(mentors, cum_weights=capacity)[0]
        if state == status.ACTIVE:
            for candidate in rng.sample(mentors, min(len(mentors), 30)):
                if load[candidate.id] < candidate.capacity:
                    mentor = candidate
                    break
            load[mentor.id] += 1
        proposed_at = moment(min(today, starts_on - datetime.timedelta(days=3)))
        pairs.append(
            Mentorship(
                id=pk,
                mentor_id=mentor.id,
                newcomer_id=newcomer.id,
                status=state,
                proposed_by_id=coordinator,
                starts_on=starts_on,
                ends_on=ends_on,
                created_at=proposed_at,
                end_reason="Сотрудник уволился" if state == status.ENDED else "",
            )
        )
        events.append(
            MentorshipEvent(
                mentorship_id=pk,
                from_status="",
                to_status=status.PROPOSED,
                actor_id=coordinator,
                at=proposed_at,
            )
        )
        if state == status.PROPOSED:
            continue
        events.append(
            MentorshipEvent(
                mentorship_id=pk,
                from_status=status.PROPOSED,
                to_status=status.ACTIVE,
                actor_id=mentor.id,
                at=moment(starts_on),
            )
        )
        if state != status.ACTIVE:
            events.append(
                MentorshipEvent(
                    mentorship_id=pk,
                    from_status=status.ACTIVE,
                    to_status=state,
                    actor_id=mentor.id,
                    at=moment(closed),
                )
            )
        last_day = today if state == status.ACTIVE else min(closed, today)
        dues = [*STEP_DAYS, (ends_on - starts_on).days - 5]
        for order, (days, title) in enumerate(zip(dues, STEP_TITLES, strict=True)):
            due_on = starts_on + datetime.timedelta(days=days)
            chance = (
                {status.ACTIVE: 0.65, status.COMPLETED: 0.9, status.ENDED: 0.5}[state]
                if due_on <= last_day
                else 0.1
                if state == status.ACTIVE
                else 0
            )
            done_at = done_by = None
            if rng.random() < chance:
                day = due_on + datetime.timedelta(days=rng.randint(-6, 4))
                done_at = moment(max(starts_on, min(day, last_day)))
                done_by = rng.choice([mentor.id, newcomer.id])
            steps.append(
                PlanStep(
                    mentorship_id=pk,
                    order=order,
                    title=title,
                    due_on=due_on,
                    done_at=done_at,
                    done_by_id=done_by,
                )
            )
        if state == status.COMPLETED and rng.random() < 0.8:
            rating = rng.choices([1, 2, 3, 4, 5], [2, 4, 12, 35, 47])[0]
            forms.append(
                Feedback(
                    mentorship_id=pk,
                    rating=rating,
                    comment=rng.choice(COMMENTS),
                    helpful=rng.random() < (0.92 if rating >= 3 else 0.2),
                    created_at=moment(ends_on + datetime.timedelta(days=rng.randrange(7))),
                )
            )
    Mentorship.objects.bulk_create(pairs, batch_size=BATCH)
    MentorshipEvent.objects.bulk_create(events, batch_size=BATCH)
    PlanStep.objects.bulk_create(steps, batch_size=BATCH)
    Feedback.objects.bulk_create(forms, batch_size=BATCH)


def describe() -> str:
    from django.db.models import Count

    from chat.models import Message, Room
    from forum.models import Post, Thread
    from mentoring.models import Feedback, Mentorship, MentorshipEvent, PlanStep
    from profiles.models import User

    roles = dict(User.objects.values_list("role").annotate(n=Count("pk")))
    pairs = dict(Mentorship.objects.values_list("status").annotate(n=Count("pk")))
    return (
        f"{User.objects.count()} members ({roles.get('mentor', 0)} mentors, "
        f"{roles.get('coordinator', 0)} coordinator, "
        f"{User.objects.filter(service_end__isnull=False).count()} gone), "
        f"{Thread.objects.count()} threads "
        f"({Thread.objects.filter(kind=Thread.Kind.QUESTION).count()} questions), "
        f"{Post.objects.count()} posts, {Message.objects.count()} chat messages in "
        f"{Room.objects.count()} rooms, {sum(pairs.values())} pairs ("
        + ", ".join(f"{n} {s}" for s, n in sorted(pairs.items()))
        + f"), {PlanStep.objects.count()} plan steps, {MentorshipEvent.objects.count()} "
        f"status changes, {Feedback.objects.count()} feedback forms"
    )


# --- Timing --------------------------------------------------------------------------------


@dataclass
class Result:
    timings: list[float]
    queries: list[int]
    rows: str
    slowest: list[tuple[float, str]]


def measure(call, rounds: int, warmup: int) -> Result:
    """`call` returns what it made (a description of the rows); every round is timed."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        call()
    timings, queries = [], []
    for _ in range(rounds):
        reset_queries()  # the query log keeps 9000 entries: a full log would count 0
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            rows = call()
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
    slowest = sorted(
        ((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), reverse=True
    )
    return Result(timings, queries, rows, slowest)


def line(label: str, result: Result) -> None:
    timings = result.timings
    p95 = (
        statistics.quantiles(timings, n=20, method="inclusive")[18]
        if len(timings) > 1
        else timings[0]
    )
    low, high = min(result.queries), max(result.queries)
    queries = f"{low}" if low == high else f"{low}-{high}"
    slowest = f"{result.slowest[0][0]:8.1f}" if result.slowest else f"{'':8}"
    print(
        f"  {label:<34}{statistics.median(timings):9.1f}{p95:9.1f}{max(timings):9.1f}"
        f"{queries:>8}{slowest}  {result.rows}",
        flush=True,
    )


def header(title: str) -> None:
    print(f"{title:<36}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>8}{'slowest':>8}  rows")


def host_for_client() -> str:
    """A host the settings allow: the test client's own, else the first one listed."""
    from django.conf import settings

    allowed = settings.ALLOWED_HOSTS
    if "testserver" in allowed or "*" in allowed:
        return "testserver"
    return allowed[0].lstrip(".")


def fetch(client, url: str, query: dict[str, str]) -> bytes:
    from django.conf import settings

    response = client.get(url, query, secure=settings.SECURE_SSL_REDIRECT)
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code} {response.content[:300]!r}")
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(content: bytes) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8-sig")))) - 1


def ranges() -> dict[str, dict[str, str]]:
    """The default ranges (the form fills them in) and a wide one: a year, 16 quarters."""
    from django.utils import timezone

    from analytics.periods import quarters_before

    today = timezone.localdate()
    wide = {
        "start": today - datetime.timedelta(days=ACTIVITY_DAYS - 1),
        "end": today,
        "hired_from": quarters_before(today, 16),
        "hired_to": today,
    }
    return {"default": {}, "wide": {name: f"{day:%Y-%m-%d}" for name, day in wide.items()}}


def periods_of(query: dict[str, str]):
    from django.http import QueryDict

    from analytics.forms import DashboardFilter
    from analytics.tables import Periods

    data = QueryDict(mutable=True)
    data.update(query)
    form = DashboardFilter.from_query(data)
    if not form.is_valid():
        raise SystemExit(f"bad range {query}: {form.errors}")
    return Periods(*form.periods())


def page_size(content: bytes) -> str:
    return f"{len(content) / 1024:.0f} KB"


def time_everything(coordinator, rounds: int, warmup: int, empty: Result) -> dict[str, Result]:
    from django.test import Client
    from django.urls import reverse

    from analytics import dashboard, selectors
    from analytics.tables import TABLES

    client = Client(HTTP_HOST=host_for_client())
    client.force_login(coordinator)
    url = reverse("analytics:dashboard")
    pages = {}
    header("page GET /dashboard/")
    for name, query in ranges().items():
        pages[name] = measure(lambda q=query: page_size(fetch(client, url, q)), rounds, warmup)
        line(f"{name} ranges", pages[name])
    extra = Counter(map(shape, (sql for _, sql in pages["default"].slowest)))
    extra.subtract(map(shape, (sql for _, sql in empty.slowest)))
    print(
        f"  the same page on an empty community: {empty.queries[0]} queries"
        + "".join(f"; {n:+d} × {sql}…" for sql, n in extra.items() if n)
    )
    header("CSV exports, every row")
    for name, query in ranges().items():
        for slug in TABLES:
            export = reverse("analytics:export", args=[slug])
            result = measure(
                lambda e=export, q=query: csv_rows(fetch(client, e, q)), rounds, warmup
            )
            line(f"{slug}.csv, {name}", result)
    header("selectors, no request or template")
    for name, query in ranges().items():
        periods = periods_of(query)
        activity, hired = periods.activity, periods.hired
        calls = {
            "health": lambda a=activity: f"{selectors.health(a).questions} questions",
            "activity_by_week": lambda a=activity: (
                f"{len(selectors.activity_by_week(a)[1])} buckets"
            ),
            "mentoring": lambda a=activity: f"{selectors.mentoring(a).active_pairs} active pairs",
            "retention": lambda h=hired: f"{len(selectors.retention(h))} cohorts",
            "unanswered_questions.count": lambda a=activity: (
                f"{selectors.unanswered_questions(a).count()} unanswered"
            ),
            "page context (all of them)": lambda p=periods: f"{len(dashboard.context(p))} entries",
        }
        for label, call in calls.items():
            line(f"{label}, {name}", measure(call, rounds, warmup))
    return pages


def shape(sql: str) -> str:
    """A query without its values, cut short: the same query whatever the dates."""
    return re.sub(r"\d+", "0", re.sub(r"'[^']*'", "?", sql))[:60]


def explain(sql: str) -> list[str]:
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return [row[0] for row in rows]
    return [f"{row[1]:>4} {row[3]}" for row in rows]  # id, parent, notused, detail


def summary_of_health() -> str:
    from analytics import selectors

    health = selectors.health(periods_of(ranges()["wide"]).activity)
    share = health.answered_within_day_share or 0
    wait = health.median_first_answer or datetime.timedelta()
    return (
        f"over the year: {health.active_members} active members of {health.members} in "
        f"service, {health.questions} questions, {100 * share:.0f} % answered within 24 h, "
        f"median wait {wait.total_seconds() / 3600:.1f} h, {health.unanswered} unanswered"
    )


# --- Main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="fraction of 5 000 members / 100 000 posts / 50 000 messages",
    )
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each (p50, max)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="print the plans of the N slowest queries of the wide page",
    )
    args = parser.parse_args()
    run_on_scratch_database(run, args)


def run(args) -> None:
    scratch = "DATABASE_URL" not in os.environ  # then _setup makes a temporary SQLite file
    django_on_scratch_database()
    from django.conf import settings
    from django.db import connection

    try:
        measure_all(args)
    finally:
        connection.close()
        folder = Path(settings.DATABASES["default"]["NAME"]).parent
        if scratch and folder.name.startswith("nastavnik-bench-"):
            shutil.rmtree(folder)  # a hundred megabytes at full size


def measure_all(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    print(f"Dashboard on {connection.vendor}, scale {args.scale:g}:", flush=True)
    coordinator = coordinator_alone()
    client = Client(HTTP_HOST=host_for_client())
    client.force_login(coordinator)
    empty = measure(lambda: fetch(client, reverse("analytics:dashboard"), {}), 1, 1)
    started = time.perf_counter()
    build(coordinator, args.scale, args.seed)
    print(f"built in {time.perf_counter() - started:.0f} s: {describe()}", flush=True)
    print(summary_of_health(), flush=True)
    pages = time_everything(coordinator, args.rounds, args.warmup, empty)
    print(
        "('slowest': the longest SQL query of the last round, in ms, as Django's query log "
        "times it)"
    )
    for spent, sql in pages["wide"].slowest[: args.explain]:
        print(f"\n{spent:.1f} ms: {sql}\n" + "\n".join(explain(sql)))


if __name__ == "__main__":
    main()
