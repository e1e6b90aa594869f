"""The forum's places and threads: three categories with their access rules, and a question."""

from __future__ import annotations

import re
from unittest import mock

import pytest

from forum import services
from forum.models import Access, Category, Post, Thread
from tests.helpers import run_tasks


@pytest.fixture
def newcomers_corner(db) -> Category:
    """«Вопросы новичков»: every member reads and asks."""
    return Category.objects.create(
        name="Вопросы новичков",
        slug="voprosy-novichkov",
        read_access=Access.MEMBERS,
        start_access=Access.MEMBERS,
    )


@pytest.fixture
def mentor_lounge(db) -> Category:
    """«Опыт наставников»: mentors and coordinators only."""
    return Category.objects.create(
        name="Опыт наставников",
        slug="opyt-nastavnikov",
        read_access=Access.MENTORS,
        start_access=Access.MENTORS,
    )


@pytest.fixture
def announcements(db) -> Category:
    """«Объявления»: everyone reads, coordinators post."""
    return Category.objects.create(
        name="Объявления",
        slug="obyavleniya",
        read_access=Access.MEMBERS,
        start_access=Access.COORDINATORS,
    )


@pytest.fixture
def categories(newcomers_corner, mentor_lounge, announcements) -> dict[str, Category]:
    return {"newcomers": newcomers_corner, "lounge": mentor_lounge, "announcements": announcements}


@pytest.fixture
def question(newcomer, newcomers_corner) -> Thread:
    """Тимур asks how to write a memo."""
    return services.thread_create(
        author=newcomer,
        category=newcomers_corner,
        kind=Thread.Kind.QUESTION,
        title="Как оформить служебную записку?",
        body="В СЭД не нашёл шаблона служебной записки. Кто её согласует?",
    )


@pytest.fixture
def answer(question, mentor) -> Post:
    """Алия answers the question, and a worker has done what the answer left to it (its
    watchers' notifications, its search entry, its emails), as it would within a second."""
    post = reply(mentor, question, body="Шаблон лежит в СЭД: **Документы → Создать**.")
    run_tasks()
    return post


@pytest.fixture
def discussion(question, answer, mentor2, newcomer) -> Thread:
    """The question with a small tree: an answer, a reply to it, and a second answer."""
    reply(newcomer, question, parent=answer, body="Спасибо! А кто согласует?")
    reply(mentor2, question, body="Добавлю: подавайте за пять рабочих дней.")
    question.refresh_from_db()
    return question


@pytest.fixture
def lounge_thread(mentor, mentor_lounge) -> Thread:
    """A mentors-only discussion."""
    return services.thread_create(
        author=mentor,
        category=mentor_lounge,
        kind=Thread.Kind.DISCUSSION,
        title="Трудный случай с новичком",
        body="Новичок пропускает встречи. Как вы поступаете?",
    )


@pytest.fixture
def no_rate_limit():
    """Build big threads quickly: posting faster than a person may is the point here."""
    with mock.patch("forum.services.rate_limit_hit"):
        yield


def reply(
    author, thread: Thread, *, parent: Post | None = None, body: str = "Ответ.", **kwargs
) -> Post:
    return services.post_reply(author=author, thread=thread, parent=parent, body=body, **kwargs)


def reply_chain(
    authors: list, thread: Thread, depth: int, *, parent: Post | None = None
) -> list[Post]:
    """`depth` replies, each answering the one before; authors take turns."""
    chain = []
    for n in range(depth):
        parent = reply(authors[n % len(authors)], thread, parent=parent, body=f"Уровень {n + 1}")
        chain.append(parent)
    return chain


_POST_ARTICLE = re.compile(r'<article\b[^>]*\bid="post-(\d+)"[^>]*>')


def post_numbers(html: str) -> list[int]:
    """The post numbers a page shows, in page order."""
    return [int(n) for n in _POST_ARTICLE.findall(html)]


def post_article(html: str, number: int) -> str:
    """The HTML of one post on a page, from its <article> up to the next post's."""
    starts = {int(m.group(1)): m.start() for m in _POST_ARTICLE.finditer(html)}
    later = [start for start in starts.values() if start > starts[number]]
    return html[starts[number] : min(later, default=len(html))]
