"""Shared fixtures: the named people of the design guide and their logged-in clients."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import pytest_asyncio
from allauth.account.models import EmailAddress
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.db import connections
from django.test import Client

from profiles import services
from profiles.models import Department, ExpertiseTag, User

PASSWORD = "correct-horse-battery-staple"


def pytest_configure(config) -> None:
    from django.conf import settings

    # Real hashing costs ~0.3 s per login; the tests check logic, not PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _still_rate_window(monkeypatch):
    """Rate limits count in fixed windows of wall-clock time; a slow run that crosses a
    window's end mid-test would see its count start again. Time stands still for them."""
    monkeypatch.setattr("community.ratelimit.time", SimpleNamespace(time=lambda: 1.8e9))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; one test's failures must not throttle another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city_hall(db) -> Department:
    return Department.objects.create(name="Мэрия города", kind=Department.Kind.CITY_HALL)


@pytest.fixture
def administration(city_hall) -> Department:
    return Department.objects.create(
        name="Управление делами", kind=Department.Kind.ADMINISTRATION, parent=city_hall
    )


@pytest.fixture
def division(administration) -> Department:
    return Department.objects.create(
        name="Отдел документационного обеспечения",
        kind=Department.Kind.DIVISION,
        parent=administration,
    )


@pytest.fixture
def other_division(city_hall) -> Department:
    finance = Department.objects.create(
        name="Финансовое управление", kind=Department.Kind.ADMINISTRATION, parent=city_hall
    )
    return Department.objects.create(
        name="Бюджетный отдел", kind=Department.Kind.DIVISION, parent=finance
    )


@pytest.fixture
def expertise(db) -> dict[str, ExpertiseTag]:
    return {
        slug: ExpertiseTag.objects.create(name=name, slug=slug)
        for name, slug in [
            ("Документооборот", "docs"),
            ("Бюджетный процесс", "budget"),
            ("Кадровые вопросы", "hr"),
        ]
    }


def make_member(email: str, full_name: str, role: str, **fields) -> User:
    user = services.user_create(
        email=email, full_name=full_name, password=PASSWORD, role=role, **fields
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def mentor(division, expertise) -> User:
    user = make_member(
        "aliya@example.com",
        "Алия Хасанова",
        User.Role.MENTOR,
        department=division,
        position="Начальник отдела",
        service_start=datetime.date(2012, 3, 1),
        bio="Помогаю с **документооборотом**.",
    )
    user.expertise.add(expertise["docs"])
    return user


@pytest.fixture
def mentor2(other_division, expertise) -> User:
    user = make_member(
        "rustem@example.com", "Рустем Гарипов", User.Role.MENTOR, department=other_division
    )
    user.expertise.add(expertise["budget"])
    return user


@pytest.fixture
def newcomer(division) -> User:
    return make_member(
        "timur@example.com",
        "Тимур Сабиров",
        User.Role.NEWCOMER,
        department=division,
        service_start=datetime.date(2026, 10, 1),
    )


@pytest.fixture
def coordinator(division) -> User:
    return make_member(
        "gulnara@example.com", "Гульнара Сафина", User.Role.COORDINATOR, department=division
    )


@pytest.fixture
def stranger(other_division) -> User:
    return make_member(
        "stranger@example.com", "Пётр Посторонний", User.Role.NEWCOMER, department=other_division
    )


@pytest.fixture
def login():
    """login(user) -> a test client with that member's session."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest_asyncio.fixture
async def close_socket_db_connections():
    """Close the database thread's connection after socket tests, or PostgreSQL cannot
    drop the test database while it is open."""
    yield
    await database_sync_to_async(connections.close_all)()
