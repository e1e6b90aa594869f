"""Demo history (registered with seed_demo): three years of hires, some mentored, some gone.

Without a past the dashboard's retention section would be empty on a fresh demo. These are
the records a city brings along from before Nastavnik: employees hired and (some) left, and
the pairs of its paper programme with their feedback. Services refuse periods in the past,
rightly, so history goes in as rows, the way a data migration would write it.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from analytics.periods import quarters_before
from mentoring.models import Feedback, Mentorship, MentorshipEvent
from profiles import services as profile_services
from profiles.models import Department, User

WOMEN = [
    "Айгуль",
    "Гульнара",
    "Лейсан",
    "Эльвира",
    "Алсу",
    "Диляра",
    "Зарина",
    "Резеда",
    "Анна",
    "Ольга",
]
MEN = [
    "Ильдар",
    "Рустам",
    "Марат",
    "Азат",
    "Ренат",
    "Булат",
    "Камиль",
    "Тагир",
    "Сергей",
    "Дмитрий",
]
# Each takes «-а» for a woman: Галиев, Галиева.
SURNAMES = [
    "Галиев",
    "Шарипов",
    "Нуриев",
    "Хайруллин",
    "Садыков",
    "Ахметов",
    "Мухаметов",
    "Зиннатуллин",
    "Фаттахов",
    "Иванов",
    "Смирнов",
    "Сафин",
    "Гилязов",
    "Миннуллин",
]
HIRES_PER_QUARTER = 40
QUARTERS = 12
MENTORED_SHARE = 0.45
# Roughly the seed's experience: a mentor cuts first-year departures by about a third.
LEAVE_CHANCE = {True: 0.12, False: 0.21}


def load(write) -> None:
    if User.objects.filter(email__startswith="history.").exists():
        return
    rng = random.Random(2024)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    mentors = list(User.objects.filter(role=User.Role.MENTOR, is_active=True))
    coordinator = User.objects.filter(role=User.Role.COORDINATOR).first()
    departments = list(Department.objects.filter(~Q(kind=Department.Kind.CITY_HALL)))
    if not (mentors and coordinator and departments):
        return
    hired = 0
    for back in range(QUARTERS, 0, -1):
        quarter = quarters_before(today, back)
        for _ in range(HIRES_PER_QUARTER):
            hired += 1
            _employee(rng, hired, quarter, today, mentors, coordinator, departments)
    write(f"History: {hired} employees hired over {QUARTERS} quarters.")


def _employee(
    rng: random.Random,
    number: int,
    quarter: datetime.date,
    today: datetime.date,
    mentors: list[User],
    coordinator: User,
    departments: list[Department],
) -> None:
    start = quarter + datetime.timedelta(days=rng.randrange(90))
    mentored = rng.random() < MENTORED_SHARE
    end = None
    if rng.random() < LEAVE_CHANCE[mentored]:
        end = start + datetime.timedelta(days=rng.randrange(30, 360))
    elif rng.random() < 0.1:
        end = start + datetime.timedelta(days=rng.randrange(370, 700))
    if end and end >= today:
        end = None
    woman = rng.random() < 0.5
    name = (
        f"{rng.choice(WOMEN)} {rng.choice(SURNAMES)}а"
        if woman
        else f"{rng.choice(MEN)} {rng.choice(SURNAMES)}"
    )
    user = profile_services.user_create(
        email=f"history.{number}@example.com",
        full_name=name,
        department=rng.choice(departments),
        position="Специалист",
        service_start=start,
        service_end=end,
        is_active=end is None,
    )
    if mentored:
        _past_pair(rng, user, start, end, today, rng.choice(mentors), coordinator)


def _past_pair(
    rng: random.Random,
    newcomer: User,
    start: datetime.date,
    left: datetime.date | None,
    today: datetime.date,
    mentor: User,
    coordinator: User,
) -> None:
    ends_on = start + datetime.timedelta(days=91)
    if ends_on >= today:
        return  # still running: pairs of the present come from the mentoring demo
    status = Mentorship.Status.ENDED if left and left < ends_on else Mentorship.Status.COMPLETED
    pair = Mentorship.objects.create(
        mentor=mentor,
        newcomer=newcomer,
        status=status,
        proposed_by=coordinator,
        starts_on=start,
        ends_on=ends_on,
        end_reason="Сотрудник уволился" if status == Mentorship.Status.ENDED else "",
    )
    # An early end is the day the newcomer left; otherwise the planned end.
    closed = left if status == Mentorship.Status.ENDED and left is not None else ends_on
    for from_status, to_status, day in (
        (Mentorship.Status.PROPOSED, Mentorship.Status.ACTIVE, start),
        (Mentorship.Status.ACTIVE, status, closed),
    ):
        event = MentorshipEvent.objects.create(
            mentorship=pair, from_status=from_status, to_status=to_status, actor=mentor
        )
        MentorshipEvent.objects.filter(pk=event.pk).update(at=_moment(day))
    if status == Mentorship.Status.COMPLETED:
        feedback = Feedback.objects.create(
            mentorship=pair, rating=rng.choice([3, 4, 4, 5, 5]), helpful=rng.random() < 0.85
        )
        Feedback.objects.filter(pk=feedback.pk).update(created_at=_moment(ends_on))


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
