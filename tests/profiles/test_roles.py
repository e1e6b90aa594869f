"""The one role policy, and every rule asking it: a deactivated member passes no check."""

from __future__ import annotations

import datetime
import inspect
from types import ModuleType

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from chat import rules as chat_rules
from chat import services as chat_services
from chat.models import Room
from forum import rules as forum_rules
from forum import services as forum_services
from forum.models import Access, Category, Thread
from knowledge import rules as knowledge_rules
from knowledge import services as knowledge_services
from knowledge.models import Article
from knowledge.services import Content
from mentoring import rules as mentoring_rules
from mentoring.models import Mentorship
from profiles import roles
from profiles.models import User

RULE_MODULES: list[ModuleType] = [roles, forum_rules, chat_rules, knowledge_rules, mentoring_rules]
# Answers where True is the restrictive one.
RESTRICTIVE = {"forum.rules.text_hidden_from"}
# Rules given as a filter, and what they filter.
FILTERS_OVER = {"chat.rules.readable_rooms": Room}


def test_the_policy_names_the_models_roles():
    assert {roles.NEWCOMER, roles.MENTOR, roles.COORDINATOR} == set(User.Role.values)


@pytest.mark.parametrize(
    ("role", "staff", "expected"),
    [
        (User.Role.NEWCOMER, False, {"is_active_member", "is_newcomer"}),
        (User.Role.MENTOR, False, {"is_active_member", "is_mentor", "is_mentor_or_coordinator"}),
        (
            User.Role.COORDINATOR,
            False,
            {"is_active_member", "is_coordinator", "is_moderator", "is_mentor_or_coordinator"},
        ),
        # The administrator counts as a coordinator whatever role the account carries.
        (
            User.Role.NEWCOMER,
            True,
            {
                "is_active_member",
                "is_newcomer",
                "is_coordinator",
                "is_moderator",
                "is_mentor_or_coordinator",
            },
        ),
    ],
)
def test_each_role_is_what_the_policy_says(db, role, staff, expected):
    user = User(email="x@example.com", role=role, is_staff=staff, is_active=True)
    answers = {name: check(user) for name, check in _predicates(roles)}
    assert {name for name, yes in answers.items() if yes} == expected
    # The model's properties are the same policy, for templates and the core.
    for name in [
        "is_mentor",
        "is_coordinator",
        "is_moderator",
        "is_newcomer",
        "is_mentor_or_coordinator",
    ]:
        assert getattr(user, name) == answers[name], name
    user.is_active = False
    assert not any(check(user) for _name, check in _predicates(roles))
    assert not any(check(AnonymousUser()) for _name, check in _predicates(roles))


def _predicates(module: ModuleType):
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if function.__module__ != module.__name__ or name.startswith("_"):
            continue
        parameters = list(inspect.signature(function).parameters)
        if parameters[:1] == ["user"]:
            yield name, function


@pytest.fixture
def boss(division) -> User:
    """A coordinator, staff and superuser, who wrote, owns and mentors everything below:
    every check they can pass, they pass while active."""
    from tests.conftest import make_member

    return make_member(
        "boss@example.com",
        "Зарина Сафина",
        User.Role.COORDINATOR,
        department=division,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def world(boss, newcomer) -> dict[type, object]:
    lounge = Category.objects.create(
        name="Опыт", slug="opyt", read_access=Access.MENTORS, start_access=Access.MENTORS
    )
    thread = forum_services.thread_create(
        author=boss,
        category=lounge,
        kind=Thread.Kind.QUESTION,
        title="Как начать?",
        body="Первый вопрос.",
    )
    room = chat_services.channel_create(creator=boss, name="Наставники", access=Room.Access.MENTORS)
    message, _new = chat_services.message_send(
        author=boss, room=room, body="Привет", client_id="c-1"
    )
    article = knowledge_services.article_create(
        author=boss,
        kind=Article.Kind.ARTICLE,
        content=Content(title="Черновик", body="Текст черновика."),
    )
    opening = thread.posts.get()
    opening.is_hidden = True  # so that text_hidden_from has something to hide
    opening.save(update_fields=["is_hidden"])
    today = timezone.localdate()
    pair = Mentorship.objects.create(
        mentor=boss,
        newcomer=newcomer,
        proposed_by=boss,
        status=Mentorship.Status.ACTIVE,
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today - datetime.timedelta(days=1),
    )
    return {
        Category: lounge,
        Thread: thread,
        type(opening): opening,
        Room: room,
        type(message): message,
        Article: article,
        Mentorship: pair,
    }


def _all_checks(world):
    for module in RULE_MODULES:
        for name, check in _predicates(module):
            others = list(inspect.signature(check).parameters.values())[1:]
            args = [world[_model(module, parameter.annotation)] for parameter in others]
            yield f"{module.__name__}.{name}", check, args


def _model(module: ModuleType, annotation) -> type:
    return getattr(module, annotation) if isinstance(annotation, str) else annotation


def _passes(name: str, answer) -> bool:
    if isinstance(answer, Q):  # a rule as a filter: does it let anything through?
        answer = FILTERS_OVER[name].objects.filter(answer).exists()
    return (not answer) if name in RESTRICTIVE else bool(answer)


def test_an_active_member_passes_the_checks_their_place_allows(boss, world):
    passed = {name for name, check, args in _all_checks(world) if _passes(name, check(boss, *args))}
    # Enough to show the world is right, so that the next test means something.
    assert {
        "forum.rules.can_reply",
        "forum.rules.can_edit_post",
        "chat.rules.can_post",
        "chat.rules.can_invite",
        "chat.rules.can_change",
        "chat.rules.can_read",
        "chat.rules.readable_rooms",
        "knowledge.rules.can_edit",
        "knowledge.rules.can_archive",
        "mentoring.rules.can_see",
        "mentoring.rules.can_report",
        "forum.rules.text_hidden_from",
        "profiles.roles.is_coordinator",
    } <= passed


def test_a_deactivated_member_passes_no_check(boss, world):
    boss.is_active = False
    boss.save(update_fields=["is_active"])
    boss = User.objects.get(pk=boss.pk)
    checks = list(_all_checks(world))
    assert len(checks) > 35  # every public rule of every app, found by introspection
    passed = [name for name, check, args in checks if _passes(name, check(boss, *args))]
    assert passed == []
    assert forum_rules.access_levels(boss) == set()
