"""One small community holding every kind of private thing, for the authorization matrix."""

from __future__ import annotations

from dataclasses import dataclass

from chat import services as chat
from forum import services as forum
from forum.models import Access, Category, Thread
from knowledge import services as knowledge
from knowledge.models import Article
from knowledge.services import Content
from mentoring import services as mentoring
from profiles.models import User
from tests.conftest import make_member

# Words that appear in exactly one private thing each, to look for in search results.
SECRET = {"lounge": "ЧЕРНИКА", "group": "БРУСНИКА", "direct": "МОРОШКА", "draft": "КЛЮКВА"}


@dataclass
class World:
    people: dict[str, User]
    lounge: Thread
    group: object
    direct: object
    pair: object
    draft: Article


def build(mentor, mentor2, newcomer, coordinator, stranger) -> World:
    people = {
        "mentor": mentor,
        "other_mentor": mentor2,
        "newcomer": newcomer,
        "coordinator": coordinator,
        "stranger": stranger,
    }
    lounge_category = Category.objects.create(
        name="Только наставникам",
        slug="tolko-nastavnikam",
        read_access=Access.MENTORS,
        start_access=Access.MENTORS,
    )
    lounge = forum.thread_create(
        author=mentor,
        category=lounge_category,
        kind=Thread.Kind.DISCUSSION,
        title="Разбор трудного случая",
        body=f"Обсудим {SECRET['lounge']} между наставниками. " + _mentions(people),
    )
    group = chat.group_create(creator=mentor, name="Наставник и новичок", members=[newcomer])
    chat.message_send(
        author=mentor,
        room=group,
        body=f"Группа: {SECRET['group']} " + _mentions(people),
        client_id="world-group",
    )
    direct = chat.direct_open(user=mentor, others=[mentor2])
    chat.message_send(
        author=mentor,
        room=direct,
        body=f"Лично: {SECRET['direct']} " + _mentions(people),
        client_id="world-direct",
    )
    pair = mentoring.mentorship_accept(
        mentor=mentor,
        pair=mentoring.mentorship_propose(
            coordinator=coordinator, mentor=mentor, newcomer=newcomer
        ),
    )
    mentoring.meeting_log(mentor=mentor, pair=pair, held_on=pair.starts_on, notes="Заметки встречи")
    draft = knowledge.article_create(
        author=mentor,
        kind=Article.Kind.ARTICLE,
        content=Content(title="Черновик памятки", body=f"Черновик: {SECRET['draft']}"),
    )
    return World(people, lounge, group, direct, pair, draft)


def _mentions(people: dict[str, User]) -> str:
    """Everyone named, so that a notification would leak to whoever may not read."""
    return " ".join(f"@{member.slug}" for member in people.values())


def extra_stranger() -> User:
    return make_member("outsider@example.com", "Посторонний Второй", User.Role.NEWCOMER)
