"""Attaching from every composer, with and without script, and what happens next."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from chat import services as chat
from community import search
from community.attachments.models import Attachment
from forum import services as forum
from forum.models import Post, Thread
from knowledge.models import Article
from mentoring import services as mentoring
from tests.attachments.conftest import pdf, png, uploaded
from tests.helpers import run_tasks


@pytest.fixture
def question(no_rate_limit, newcomer, newcomers_corner) -> Thread:
    return forum.thread_create(
        author=newcomer,
        category=newcomers_corner,
        kind=Thread.Kind.QUESTION,
        title="Где шаблон записки?",
        body="Подскажите, где взять шаблон.",
    )


def _opening(thread: Thread) -> Post:
    return thread.posts.get(number=1)


def test_a_reply_without_script_attaches_its_files(login, mentor, question):
    response = login(mentor).post(
        reverse("forum:reply", args=[_opening(question).pk]),
        {"body": "Вот шаблон и скриншот.", "attachments": [pdf("Шаблон записки.pdf"), png()]},
    )
    assert response.status_code == 302
    post = Post.objects.get(thread=question, number=2)
    files = Attachment.objects.filter(parent_kind="forum.post", parent_id=post.pk)
    assert {f.name for f in files} == {"Шаблон записки.pdf", "screen.png"}
    assert all(f.owner == mentor and f.attached_at for f in files)
    picture = files.get(kind="image")
    assert f'<img alt="screen.png" src="{picture.thumbnail_url}"' in post.body_html
    assert f'href="{picture.get_absolute_url()}"' in post.body_html


def test_a_bad_file_stops_the_reply_and_says_which(login, mentor, question):
    response = login(mentor).post(
        reverse("forum:reply", args=[_opening(question).pk]),
        {"body": "Ответ", "attachments": [pdf("ok.pdf"), _binary("троян.exe")]},
    )
    assert response.status_code == 400
    assert "троян.exe" in str(response.context["form"].errors["attachments"])
    assert not Post.objects.filter(thread=question, number=2).exists()


def _binary(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"MZ\x90\x00\x03" + bytes(range(256)) * 4)


def test_a_new_thread_and_an_edit_attach_too(login, mentor, newcomers_corner, no_rate_limit):
    client = login(mentor)
    client.post(
        reverse("forum:thread-new"),
        {
            "category": newcomers_corner.pk,
            "kind": "discussion",
            "title": "Памятка новичку",
            "body": "Собрал памятку.",
            "attachments": [pdf()],
        },
    )
    thread = Thread.objects.get(title="Памятка новичку")
    opening = _opening(thread)
    assert Attachment.objects.filter(parent_kind="forum.post", parent_id=opening.pk).count() == 1
    client.post(
        reverse("forum:edit", args=[opening.pk]),
        {"title": thread.title, "body": opening.body, "attachments": [png()]},
    )
    assert Attachment.objects.filter(parent_kind="forum.post", parent_id=opening.pk).count() == 2


def test_the_composer_script_path_writes_the_link_into_the_text(login, mentor, question):
    client = login(mentor)
    answer = client.post(reverse("attachments:upload"), {"file": png("СЭД.png")}).json()
    assert answer["markdown"].startswith("[![СЭД.png](")
    client.post(
        reverse("forum:reply", args=[_opening(question).pk]),
        {"body": f"Смотрите:\n\n{answer['markdown']}"},
    )
    attachment = Attachment.objects.get(key=answer["key"])
    assert attachment.parent_kind == "forum.post" and attachment.attached_at is not None


def test_deleting_a_post_takes_its_files_out_of_reach(login, mentor, question):
    client = login(mentor)
    client.post(
        reverse("forum:reply", args=[_opening(question).pk]),
        {"body": "Файл", "attachments": [pdf()]},
    )
    post = Post.objects.get(thread=question, number=2)
    attachment = Attachment.objects.get(parent_kind="forum.post", parent_id=post.pk)
    assert client.get(attachment.get_absolute_url()).status_code == 200
    client.post(reverse("forum:delete", args=[post.pk]))
    attachment.refresh_from_db()
    assert attachment.deleted_at is not None
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_a_chat_message_without_script_attaches_its_file(login, mentor, newcomer):
    room = chat.group_create(creator=mentor, name="Пара", members=[newcomer])
    response = login(mentor).post(
        reverse("chat:send", args=[room.pk]),
        {"body": "Шаблон", "client_id": "no-js-1", "attachments": [pdf()]},
    )
    assert response.status_code == 302
    message = room.messages.get()
    assert "/attachments/" in message.body
    attachment = Attachment.objects.get(parent_kind="chat.message", parent_id=message.pk)
    assert login(newcomer).get(attachment.get_absolute_url()).status_code == 200


def test_a_chat_message_from_the_socket_claims_the_uploaded_file(mentor, newcomer):
    room = chat.group_create(creator=mentor, name="Пара", members=[newcomer])
    picture = uploaded(mentor, png())
    message, _new = chat.message_send(
        author=mentor,
        room=room,
        client_id="ws-1",
        body=f"[![x]({picture.thumbnail_url})]({picture.get_absolute_url()})",
    )
    picture.refresh_from_db()
    assert (picture.parent_kind, picture.parent_id) == ("chat.message", message.pk)


def test_an_article_and_a_practice_take_files_from_the_plain_field(login, mentor):
    client = login(mentor)
    client.post(
        reverse("knowledge:new"),
        {
            "kind": "article",
            "title": "Служебная записка",
            "body": "Как писать.",
            "attachments": [pdf()],
        },
    )
    article = Article.objects.get(title="Служебная записка")
    assert "/attachments/" in article.body
    assert (
        Attachment.objects.filter(parent_kind="knowledge.article", parent_id=article.pk).count()
        == 1
    )
    client.post(
        reverse("knowledge:new"),
        {
            "kind": "practice",
            "title": "Первая неделя",
            "section_goal": "Освоиться.",
            "attachments": [png()],
        },
    )
    practice = Article.objects.get(title="Первая неделя")
    assert "/attachments/" in practice.sections["resources"]
    assert (
        Attachment.objects.filter(parent_kind="knowledge.article", parent_id=practice.pk).count()
        == 1
    )


@pytest.fixture
def pair(coordinator, mentor, newcomer):
    proposal = mentoring.mentorship_propose(
        coordinator=coordinator, mentor=mentor, newcomer=newcomer
    )
    return mentoring.mentorship_accept(mentor=mentor, pair=proposal)


def test_meeting_notes_list_their_files_for_the_pair(login, mentor, newcomer, mentor2, pair):
    early = uploaded(mentor, png("доска.png"))
    foreign = uploaded(mentor2, pdf("чужой.pdf"))
    response = login(mentor).post(
        reverse("mentoring:meeting", args=[pair.pk]),
        {
            "held_on": datetime.date.today().isoformat(),
            "notes": "Первая встреча",
            "attachments": [pdf("план.pdf")],
            "attachment_keys": [early.key, foreign.key],
        },
    )
    assert response.status_code == 302
    meeting = pair.meetings.get()
    names = set(
        Attachment.objects.filter(
            parent_kind="mentoring.meeting", parent_id=meeting.pk
        ).values_list("name", flat=True)
    )
    assert names == {"план.pdf", "доска.png"}  # never someone else's file
    page = login(newcomer).get(pair.get_absolute_url()).content.decode()
    assert "план.pdf" in page and early.thumbnail_url in page


def test_file_names_are_found_by_search_through_their_post(login, mentor, question):
    login(mentor).post(
        reverse("forum:reply", args=[_opening(question).pk]),
        {"body": "Держите.", "attachments": [pdf("Командировочное удостоверение.pdf")]},
    )
    reply = Post.objects.get(thread=question, number=2)
    run_tasks()  # the worker indexes the new reply
    found = {
        hit.url
        for group in search.search(mentor, "командировочное удостоверение")
        for hit in group.hits
    }
    assert found == {f"{question.get_absolute_url()}#post-{reply.number}"}
