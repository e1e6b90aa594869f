"""Rate limits that hold: guessing passwords, and flooding the forum, chat and uploads."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chat import services as chat
from forum import services as forum
from forum.models import Post, Thread

LOGIN = "/accounts/login/"


def _guess(client: Client, n: int, **headers) -> int:
    return client.post(
        LOGIN, {"login": f"guess{n}@example.com", "password": "bad"}, **headers
    ).status_code


def test_guessing_passwords_gets_429_and_then_even_the_right_one_waits(client, mentor):
    statuses = [
        client.post(LOGIN, {"login": mentor.email, "password": f"wrong-{n}"}).status_code
        for n in range(7)
    ]
    assert statuses[:5] == [200] * 5 and 429 in statuses[5:]
    assert "_auth_user_id" not in client.session


def test_rotating_x_forwarded_for_without_a_proxy_changes_nothing(client, db):
    statuses = [_guess(client, n, HTTP_X_FORWARDED_FOR=f"10.0.{n}.1") for n in range(12)]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]


def test_behind_one_proxy_only_the_address_it_saw_counts(db, settings):
    """The attacker controls the left of the header; the proxy appends what it saw."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="127.0.0.1")
    statuses = [
        _guess(client, n, HTTP_X_FORWARDED_FOR=f"6.6.{n}.6, 203.0.113.7") for n in range(12)
    ]
    assert statuses[10:] == [429, 429]
    # Someone else behind the same proxy is not punished for it.
    assert _guess(client, 99, HTTP_X_FORWARDED_FOR="198.51.100.4") == 200


def test_a_reply_flood_gets_a_clear_429(login, mentor, newcomers_corner):
    thread = forum.thread_create(
        author=mentor,
        category=newcomers_corner,
        kind=Thread.Kind.DISCUSSION,
        title="Поток",
        body="Начало",
    )
    client = login(mentor)
    opening = thread.posts.get(number=1)
    statuses = [
        client.post(f"/forum/p/{opening.pk}/reply/", {"body": f"Ответ {n}"}).status_code
        for n in range(forum.POSTS_PER_MINUTE + 1)
    ]
    assert statuses[-1] == 429
    assert Post.objects.filter(thread=thread).count() == forum.POSTS_PER_MINUTE
    assert "429" not in client.get("/").content.decode()  # the site itself stays usable


def test_a_chat_flood_gets_a_clear_429(login, mentor, newcomer):
    room = chat.group_create(creator=mentor, name="Поток", members=[newcomer])
    client = login(mentor)
    last = None
    for n in range(chat.MESSAGES_PER_WINDOW + 1):
        last = client.post(f"/chat/r/{room.pk}/send/", {"body": f"{n}", "client_id": f"c{n}"})
    assert last.status_code == 429
    assert room.messages.count() == chat.MESSAGES_PER_WINDOW


def test_an_upload_flood_is_refused_in_json(login, mentor, settings, tmp_path):
    limit = 3
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_UPLOADS_PER_MINUTE = limit
    client = login(mentor)
    answers = [
        client.post("/attachments/", {"file": SimpleUploadedFile(f"{n}.txt", f"файл {n}".encode())})
        for n in range(limit + 1)
    ]
    assert [a.status_code for a in answers] == [201] * limit + [429]
    assert answers[-1].json()["code"] == "rate_limited" and answers[-1].json()["error"]


def _clock(monkeypatch, at: float) -> None:
    from types import SimpleNamespace

    monkeypatch.setattr("community.ratelimit.time", SimpleNamespace(time=lambda: at))


def test_a_double_burst_at_a_window_edge_is_refused(monkeypatch, db):
    """Ten at 0:59.9 and ten more at 1:00.1 was twenty in 0.2 s under fixed windows."""
    import pytest

    from community.ratelimit import RateLimited, rate_limit_hit

    start = 1.8e9  # a whole minute
    _clock(monkeypatch, start + 59.9)
    for _ in range(10):
        rate_limit_hit(key="burst", limit=10, period=60)
    _clock(monkeypatch, start + 60.1)
    with pytest.raises(RateLimited):
        rate_limit_hit(key="burst", limit=10, period=60)
    # Once the burst has slid out of the window, the member may act again.
    _clock(monkeypatch, start + 121.0)
    rate_limit_hit(key="burst", limit=10, period=60)


def test_an_edit_flood_gets_a_clear_429_across_forum_and_chat(
    login, mentor, newcomer, newcomers_corner
):
    from community.ratelimit import EDITS_PER_MINUTE

    thread = forum.thread_create(
        author=mentor, category=newcomers_corner, kind=Thread.Kind.DISCUSSION,
        title="Правки", body="Начало",
    )  # fmt: skip
    opening = thread.posts.get(number=1)
    room = chat.group_create(creator=mentor, name="Правки", members=[newcomer])
    message, _new = chat.message_send(author=mentor, room=room, body="Было", client_id="e0")
    for n in range(EDITS_PER_MINUTE // 2):
        chat.message_edit(editor=mentor, message=message, body=f"Стало {n}")
    client = login(mentor)
    statuses = [
        client.post(
            f"/forum/p/{opening.pk}/edit/", {"title": "Правки", "body": f"Правка {n} " * 300}
        ).status_code
        for n in range(EDITS_PER_MINUTE - EDITS_PER_MINUTE // 2 + 1)
    ]
    assert statuses[:-1] == [302] * (len(statuses) - 1)
    assert statuses[-1] == 429
    assert Post.objects.get(pk=opening.pk).edit_count == EDITS_PER_MINUTE - EDITS_PER_MINUTE // 2


def test_a_reaction_flood_gets_a_clear_429(login, mentor, newcomer, newcomers_corner):
    from community.ratelimit import REACTIONS_PER_MINUTE

    thread = forum.thread_create(
        author=mentor, category=newcomers_corner, kind=Thread.Kind.DISCUSSION,
        title="Реакции", body="Начало",
    )  # fmt: skip
    opening = thread.posts.get(number=1)
    client = login(newcomer)
    statuses = [
        client.post("/forum/react/", {"reaction": f"{opening.pk}:like"}).status_code
        for _ in range(REACTIONS_PER_MINUTE + 1)
    ]
    assert statuses[:-1] == [302] * REACTIONS_PER_MINUTE
    assert statuses[-1] == 429
