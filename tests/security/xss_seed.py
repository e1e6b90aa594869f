"""Puts every XSS vector into every surface of members' text, inside the live server's
database (run there by `manage.py shell`), through the same services members use.

The vectors are written by «Злоумышленник» and by members whose names are vectors; the
reader is the demo newcomer, Тимур, who is mentioned, replied to and written to, so that
the vectors also reach his notifications.
"""

from __future__ import annotations

import json
from unittest import mock

from tests.xss_corpus import CORPUS as EVERY_VECTOR


def _storable(payload: str) -> bool:
    """The text rule (community/text.py) refuses NUL before anything is stored, so a
    vector holding one never reaches a page; test_text.py checks the refusal."""
    return "\x00" not in payload


CORPUS = [(name, payload) for name, payload in EVERY_VECTOR if _storable(payload)]

READER = "newcomer@example.com"
AUTHOR = "xss.author@example.com"
ROOM_SIZE = 45  # a room page shows the last 50 messages


def seed() -> dict:
    from chat import services as chat
    from forum import services as forum
    from forum.models import Access, Category, Thread
    from knowledge import services as knowledge
    from knowledge.models import Article
    from knowledge.services import Content
    from profiles import services as profiles
    from profiles.models import User

    with mock.patch("forum.services.rate_limit_hit"), mock.patch("chat.services.rate_limit_hit"):
        reader = User.objects.get(email=READER)
        author = profiles.user_create(
            email=AUTHOR, full_name="Злоумышленник Тестовый", role=User.Role.MENTOR
        )
        named = [
            profiles.user_create(
                email=f"xss.{n}@example.com", full_name=payload[:150], role=User.Role.MENTOR
            )
            for n, (_name, payload) in enumerate(CORPUS)
        ]
        category = Category.objects.create(
            name="Проверка безопасности",
            slug="xss",
            read_access=Access.MEMBERS,
            start_access=Access.MEMBERS,
        )
        titled = [
            forum.thread_create(
                author=author,
                category=category,
                kind=Thread.Kind.DISCUSSION,
                title=_line(payload, 200),
                body=f"@{reader.slug} {payload}",
            )
            for _name, payload in CORPUS
        ]
        everything = "\n\n".join(payload for _name, payload in CORPUS)
        bodies = forum.thread_create(
            author=reader,
            category=category,
            kind=Thread.Kind.QUESTION,
            title="Все векторы в тексте",
            body=everything[:30_000],
        )
        for member, (_name, payload) in zip(named, CORPUS, strict=True):
            forum.post_reply(
                author=member, thread=bodies, parent=None, body=f"{payload} @{member.slug}"
            )
        rooms = []
        for start in range(0, len(CORPUS), ROOM_SIZE):
            room = chat.channel_create(creator=author, name=f"Проверка {start // ROOM_SIZE}")
            chat.room_join(user=reader, room=room)
            for n, (_name, payload) in enumerate(CORPUS[start : start + ROOM_SIZE]):
                chat.message_send(
                    author=author, room=room, body=payload, client_id=f"xss-{start + n}"
                )
            rooms.append(room.pk)
        articles = []
        for n, (_name, payload) in enumerate(CORPUS[:20]):
            article = knowledge.article_create(
                author=author,
                kind=Article.Kind.ARTICLE,
                content=Content(title=_line(payload, 200), body=everything[:30_000]),
            )
            knowledge.article_publish(actor=author, article=article)
            articles.append(article.get_absolute_url())
            if n == 0:
                articles.append(article.get_absolute_url() + "history/")
        bios = []
        for start in range(0, len(CORPUS), 40):
            member = named[start]
            member.bio = "\n\n".join(payload for _n, payload in CORPUS[start : start + 40])
            profiles.user_save(user=member)
            bios.append(member.get_absolute_url())
    return {
        "threads": [thread.get_absolute_url() for thread in titled] + [bodies.get_absolute_url()],
        "category": category.get_absolute_url(),
        "rooms": [f"/chat/r/{pk}/" for pk in rooms],
        "articles": articles,
        "profiles": bios,
        "queries": [payload for _name, payload in CORPUS],
    }


def _line(payload: str, limit: int) -> str:
    """A title keeps one line of the vector; one made only of spaces gets a stand-in."""
    return " ".join(payload.split())[:limit] or "Вектор из пробелов"


if __name__ == "__main__":
    print(json.dumps(seed()))
