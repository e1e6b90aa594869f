"""Who may see each private thing, over every path: generated, resource × role × path.

Every private resource names who may read it; every path it can be reached by (pages,
fragments, forms, exports, search, websocket frames) is listed with it. A reader gets it;
anyone else gets the resource's refusal (a 404 that does not confirm it exists, or a 403
for a page whose existence is no secret); an anonymous visitor is sent to log in. Adding a
resource or a path is one line here, and the whole matrix checks it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from community import search
from tests.security.world import SECRET, World, build

ROLES = ["anonymous", "stranger", "newcomer", "mentor", "other_mentor", "coordinator"]


@dataclass(frozen=True)
class Resource:
    readers: frozenset[str]
    paths: tuple[Callable[[World], str], ...]
    refusal: int = 404


RESOURCES = {
    "mentors' category thread": Resource(
        frozenset({"mentor", "other_mentor", "coordinator"}),
        (
            lambda w: w.lounge.category.get_absolute_url(),
            lambda w: f"/forum/t/{w.lounge.pk}/",
            lambda w: w.lounge.get_absolute_url(),
            lambda w: f"/forum/p/{w.lounge.posts.get(number=1).pk}/",
            lambda w: f"/forum/p/{w.lounge.posts.get(number=1).pk}/fragment/",
            lambda w: f"/forum/p/{w.lounge.posts.get(number=1).pk}/revisions/",
            lambda w: f"/forum/p/{w.lounge.posts.get(number=1).pk}/reply/",
        ),
    ),
    "private group": Resource(
        frozenset({"mentor", "newcomer"}), (lambda w: f"/chat/r/{w.group.pk}/",)
    ),
    "direct messages": Resource(
        frozenset({"mentor", "other_mentor"}), (lambda w: f"/chat/r/{w.direct.pk}/",)
    ),
    "pair's page, plan, notes and feedback": Resource(
        frozenset({"mentor", "newcomer", "coordinator"}), (lambda w: w.pair.get_absolute_url(),)
    ),
    "draft article": Resource(
        frozenset({"mentor", "coordinator"}),
        (
            lambda w: w.draft.get_absolute_url(),
            lambda w: f"/kb/a/{w.draft.slug}/history/",
            lambda w: f"/kb/a/{w.draft.slug}/edit/",
        ),
    ),
    "coordinators' dashboard": Resource(
        frozenset({"coordinator"}),
        (
            lambda w: "/dashboard/",
            lambda w: "/dashboard/retention.csv",
            lambda w: "/dashboard/unanswered.csv",
        ),
        refusal=403,
    ),
    "moderation queue": Resource(
        frozenset({"coordinator"}),
        (
            lambda w: "/forum/moderation/",
            lambda w: "/forum/moderation/log/",
        ),
        refusal=403,
    ),
}

# Writes through forms: a non-reader is refused and nothing changes.
WRITES = {
    "reply in the mentors' category": (
        "mentors' category thread",
        lambda w: f"/forum/p/{w.lounge.posts.get(number=1).pk}/reply/",
        {"body": "Чужой ответ"},
    ),
    "message to the private group": (
        "private group",
        lambda w: f"/chat/r/{w.group.pk}/send/",
        {"body": "Чужое сообщение", "client_id": "intruder"},
    ),
    "log a meeting for the pair": (
        "pair's page, plan, notes and feedback",
        lambda w: f"/mentoring/{w.pair.pk}/meetings/",
        {"held_on": "2026-01-01", "notes": "Чужая заметка"},
    ),
    "edit the draft": (
        "draft article",
        lambda w: f"/kb/a/{w.draft.slug}/edit/",
        {"title": "Захвачено", "body": "Чужой текст", "base_revision": 1},
    ),
}

# Where each resource's words can be found by search, for those who may read it.
SEARCHABLE = {
    "mentors' category thread": "lounge",
    "private group": "group",
    "direct messages": "direct",
}


@pytest.fixture
def world(mentor, mentor2, newcomer, coordinator, stranger) -> World:
    return build(mentor, mentor2, newcomer, coordinator, stranger)


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.people[role])
    return client


def _matrix():
    for name, resource in RESOURCES.items():
        for index in range(len(resource.paths)):
            for role in ROLES:
                yield pytest.param(name, index, role, id=f"{name}-{index}-{role}")


@pytest.mark.parametrize("name, index, role", list(_matrix()))
def test_read_paths(world, name, index, role):
    resource = RESOURCES[name]
    url = resource.paths[index](world)
    response = _client(world, role).get(url)
    if role == "anonymous":
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
    elif role in resource.readers:  # a permalink may redirect to its page first
        final = _client(world, role).get(url, follow=True)
        assert final.status_code == 200, (url, role)
    else:
        assert response.status_code == resource.refusal, (url, role, response.status_code)


def _writes():
    for name, (resource_name, _url, _data) in WRITES.items():
        for role in ROLES:
            if role not in RESOURCES[resource_name].readers:
                yield pytest.param(name, role, id=f"{name}-{role}")


@pytest.mark.parametrize("name, role", list(_writes()))
def test_writes_by_outsiders_are_refused_and_change_nothing(world, name, role):
    from chat.models import Message
    from forum.models import Post
    from mentoring.models import Meeting

    _resource, url, data = WRITES[name]
    counts = (Post.objects.count(), Message.objects.count(), Meeting.objects.count())
    world.draft.refresh_from_db()
    title = world.draft.title
    response = _client(world, role).post(url(world), data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code in {403, 404}, response.status_code
    assert (Post.objects.count(), Message.objects.count(), Meeting.objects.count()) == counts
    world.draft.refresh_from_db()
    assert world.draft.title == title


@pytest.mark.parametrize("name", list(SEARCHABLE))
@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_search_finds_private_words_only_for_readers(world, name, role):
    word = SECRET[SEARCHABLE[name]]
    groups = search.search(world.people[role], word)
    found = [hit for group in groups for hit in group.hits]
    snippets = " ".join(str(hit.snippet) + str(hit.title) for hit in found)
    if role in RESOURCES[name].readers:
        assert found, (name, role)
    else:
        assert not found, (name, role)
        assert word.lower() not in snippets.lower()


# Where an @mention in each resource sends notifications: readers only, never outsiders.
MENTIONED = {
    "mentors' category thread": lambda w: f"/forum/p/{w.lounge.posts.get(number=1).pk}/",
    "private group": lambda w: f"/chat/r/{w.group.pk}/",
    "direct messages": lambda w: f"/chat/r/{w.direct.pk}/",
}


@pytest.mark.parametrize("name", list(MENTIONED))
def test_mentions_notify_readers_only(world, name):
    from community.notifications.models import Notification

    path = MENTIONED[name](world)
    told = {
        role
        for role, member in world.people.items()
        if Notification.objects.filter(recipient=member, url__startswith=path).exists()
    }
    expected = RESOURCES[name].readers - {"mentor"}  # the author is not told of their own
    assert told == expected, (name, told)


def test_every_resource_of_the_issue_is_in_the_matrix():
    assert set(RESOURCES) == {
        "mentors' category thread",
        "private group",
        "direct messages",
        "pair's page, plan, notes and feedback",
        "draft article",
        "coordinators' dashboard",
        "moderation queue",
    }
