"""Who may download what: a file is exactly as readable as the thing it is attached to.

The matrix is generated: every parent kind, in each of its private and public states,
against every role. A file never confirms its existence to someone who may not see it:
the answer is the same 404 as for a key that does not exist.
"""

from __future__ import annotations

import pytest
from django.test import Client

from chat import services as chat
from chat.models import Message
from community.attachments.models import Attachment
from community.attachments.parents import can_read_parent
from forum import moderation
from forum import services as forum
from forum.models import Thread
from knowledge import services as knowledge
from knowledge.models import Article
from knowledge.services import Content
from mentoring import services as mentoring
from profiles.models import User
from tests.attachments.conftest import png, uploaded
from tests.conftest import make_member

ROLES = ["owner", "newcomer", "mentor2", "coordinator", "stranger", "anonymous"]


def _body(attachment: Attachment) -> str:
    return f"Смотрите вложение: [{attachment.name}]({attachment.get_absolute_url()})"


def _forum_post(people, category, *, hidden=False, deleted=False) -> Attachment:
    attachment = uploaded(people["owner"])
    thread = forum.thread_create(
        author=people["owner"],
        category=category,
        kind=Thread.Kind.DISCUSSION,
        title="Шаблоны записок",
        body=_body(attachment),
    )
    post = thread.posts.get(number=1)
    if hidden:
        moderation.post_set_hidden(moderator=people["coordinator"], post=post, hidden=True)
    if deleted:
        forum.post_delete(actor=people["owner"], post=post)
    return attachment


def _chat(people, *, members) -> Attachment:
    attachment = uploaded(people["owner"])
    room = chat.group_create(
        creator=people["owner"],
        name="Наставники отдела",
        members=[people[name] for name in members],
    )
    chat.message_send(
        author=people["owner"], room=room, body=_body(attachment), client_id="attach-1"
    )
    return attachment


def _article(people, *, publish: bool) -> Attachment:
    attachment = uploaded(people["owner"])
    article = knowledge.article_create(
        author=people["owner"],
        kind=Article.Kind.ARTICLE,
        content=Content(title="Шаблон служебной записки", body=_body(attachment)),
    )
    if publish:
        knowledge.article_publish(actor=people["owner"], article=article)
    return attachment


def _meeting(people) -> Attachment:
    attachment = uploaded(people["owner"])
    pair = mentoring.mentorship_propose(
        coordinator=people["coordinator"], mentor=people["owner"], newcomer=people["newcomer"]
    )
    pair = mentoring.mentorship_accept(mentor=people["owner"], pair=pair)
    mentoring.meeting_log(
        mentor=people["owner"],
        pair=pair,
        held_on=pair.starts_on,
        notes="Разобрали первую записку",
        attachment_keys={attachment.key},
    )
    return attachment


# parent state -> (how to make it, who may download)
CASES = {
    "forum post in an open category": (
        lambda p, c: _forum_post(p, c["open"]),
        {"owner", "newcomer", "mentor2", "coordinator", "stranger"},
    ),
    "forum post in the mentors' category": (
        lambda p, c: _forum_post(p, c["mentors"]),
        {"owner", "mentor2", "coordinator"},
    ),
    "hidden forum post": (
        lambda p, c: _forum_post(p, c["open"], hidden=True),
        {"owner", "coordinator"},
    ),
    "deleted forum post": (lambda p, c: _forum_post(p, c["open"], deleted=True), set()),
    "message in a private group": (
        lambda p, c: _chat(p, members=["newcomer"]),
        {"owner", "newcomer"},
    ),
    "draft article": (lambda p, c: _article(p, publish=False), {"owner", "coordinator"}),
    "published article": (
        lambda p, c: _article(p, publish=True),
        {"owner", "newcomer", "mentor2", "coordinator", "stranger"},
    ),
    "pair's meeting notes": (lambda p, c: _meeting(p), {"owner", "newcomer", "coordinator"}),
    "not attached yet": (lambda p, c: uploaded(p["owner"]), {"owner"}),
}


@pytest.fixture
def people(mentor, mentor2, newcomer, coordinator, stranger) -> dict[str, User]:
    return {
        "owner": mentor,
        "mentor2": mentor2,
        "newcomer": newcomer,
        "coordinator": coordinator,
        "stranger": stranger,
    }


@pytest.fixture
def categories(newcomers_corner, mentor_lounge) -> dict:
    return {"open": newcomers_corner, "mentors": mentor_lounge}


def _client(people, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_download_follows_the_parent(no_rate_limit, people, categories, case, role):
    make, readers = CASES[case]
    attachment = make(people, categories)
    client = _client(people, role)
    for url in [attachment.get_absolute_url(), attachment.thumbnail_url]:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role in readers and url == attachment.get_absolute_url():
            assert response.status_code == 200, (case, role)
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
        else:
            assert response.status_code == 404, (case, role, url)


def test_every_parent_kind_in_use_is_in_the_matrix():
    """A new kind of parent must come with its row in CASES."""
    from community.attachments import parents

    covered = {"forum.post", "chat.message", "knowledge.article", "mentoring.meeting"}
    assert {kind.key for kind in parents.KINDS} == covered


def test_an_image_thumbnail_follows_the_parent_too(no_rate_limit, people, categories):
    picture = uploaded(people["owner"], png())
    forum.thread_create(
        author=people["owner"],
        category=categories["mentors"],
        kind=Thread.Kind.DISCUSSION,
        title="Скриншот СЭД",
        body=f"![x]({picture.thumbnail_url})",
    )
    assert _client(people, "mentor2").get(picture.thumbnail_url).status_code == 200
    assert _client(people, "newcomer").get(picture.thumbnail_url).status_code == 404


def test_someone_elses_file_cannot_be_claimed_by_quoting_its_link(
    no_rate_limit, people, categories
):
    secret = uploaded(people["owner"])
    forum.thread_create(
        author=people["stranger"],
        category=categories["open"],
        kind=Thread.Kind.DISCUSSION,
        title="Чужая ссылка",
        body=_body(secret),
    )
    secret.refresh_from_db()
    assert secret.attached_at is None
    assert _client(people, "stranger").get(secret.get_absolute_url()).status_code == 404


def test_losing_access_to_the_room_loses_the_files(no_rate_limit, people):
    attachment = _chat(people, members=["newcomer"])
    attachment.refresh_from_db()
    room = Message.objects.get(pk=attachment.parent_id).room
    newcomer = _client(people, "newcomer")
    assert newcomer.get(attachment.get_absolute_url()).status_code == 200
    chat.room_leave(user=people["newcomer"], room=room)
    assert newcomer.get(attachment.get_absolute_url()).status_code == 404


def test_deleting_a_message_soft_deletes_its_files(no_rate_limit, people):
    attachment = _chat(people, members=["newcomer"])
    attachment.refresh_from_db()
    chat.message_delete(actor=people["owner"], message=Message.objects.get(pk=attachment.parent_id))
    attachment.refresh_from_db()
    assert attachment.deleted_at is not None
    assert _client(people, "owner").get(attachment.get_absolute_url()).status_code == 404


def test_unknown_parent_kind_is_readable_by_nobody(people):
    assert not can_read_parent(people["coordinator"], "nowhere.thing", 1)


def test_a_new_member_reads_open_files_but_not_the_mentors(no_rate_limit, people, categories):
    attachment = _forum_post(people, categories["mentors"])
    late = make_member("late@example.com", "Поздний Новичок", User.Role.NEWCOMER)
    client = Client()
    client.force_login(late)
    assert client.get(attachment.get_absolute_url()).status_code == 404
