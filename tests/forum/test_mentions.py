"""@mentions: links to profiles in the cooked text, and notifications to readers only."""

from __future__ import annotations

import pytest

from community.notifications.models import Notification
from forum import services
from profiles.models import User
from tests.conftest import make_member
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


def mentions_of(member) -> list[str]:
    return list(
        Notification.objects.filter(recipient=member, kind="forum.mention").values_list(
            "url", flat=True
        )
    )


def test_a_mention_links_to_the_profile(question, mentor, mentor2):
    post = reply(mentor2, question, body=f"Спросите @{mentor.slug}, она знает.")
    assert f'<a href="{mentor.get_absolute_url()}"' in post.body_html
    assert f"@{mentor.full_name}</a>" in post.body_html


def test_a_mention_notifies_the_member(question, mentor, mentor2):
    post = reply(mentor2, question, body=f"@{mentor.slug}, посмотрите, пожалуйста.")
    assert mentions_of(mentor) == [post.get_absolute_url()]


def test_a_mention_in_an_opening_post_notifies_too(mentor, newcomer, newcomers_corner):
    thread = services.thread_create(
        author=newcomer,
        category=newcomers_corner,
        kind="question",
        title="Вопрос к наставнику",
        body=f"@{mentor.slug}, подскажите!",
    )
    assert mentions_of(mentor) == [thread.posts.get(number=1).get_absolute_url()]


def test_a_member_who_cannot_read_the_category_is_never_told(lounge_thread, mentor2, newcomer):
    post = reply(mentor2, lounge_thread, body=f"Это про @{newcomer.slug}.")
    assert f'href="{newcomer.get_absolute_url()}"' in post.body_html
    assert not Notification.objects.filter(recipient=newcomer).exists()


def test_replying_to_someone_and_mentioning_them_notifies_once(question, answer, mentor, newcomer):
    reply(newcomer, question, parent=answer, body=f"Спасибо, @{mentor.slug}!")
    assert list(Notification.objects.filter(recipient=mentor).values_list("kind", flat=True)) == [
        "forum.reply"
    ]


def test_a_mentioned_watcher_hears_of_it_as_a_mention(question, answer, mentor, mentor2, newcomer):
    reply(mentor2, question, parent=answer, body=f"@{newcomer.slug}, вот ответ.")
    kinds = set(Notification.objects.filter(recipient=newcomer).values_list("kind", flat=True))
    assert "forum.mention" in kinds
    assert "forum.watched_reply" not in kinds


def test_mentioning_oneself_or_an_unknown_slug_notifies_nobody(question, mentor):
    post = reply(mentor, question, body=f"Я, @{mentor.slug}, и @nobody-here.")
    assert mentions_of(mentor) == []
    assert "@nobody-here" in post.body_html
    assert 'href="/people/nobody-here/"' not in post.body_html


def test_mentions_in_code_neither_link_nor_notify(question, mentor, mentor2):
    body = f"Пишите так: `@{mentor.slug}`\n\n```\n@{mentor.slug}\n```"
    post = reply(mentor2, question, body=body)
    assert f'href="{mentor.get_absolute_url()}"' not in post.body_html
    assert mentions_of(mentor) == []


def test_an_email_address_is_not_a_mention(question, mentor, mentor2):
    reply(mentor2, question, body=f"Пишите на {mentor.slug}@example.com")
    assert mentions_of(mentor) == []


def test_an_edit_notifies_only_the_newly_mentioned(question, answer, mentor, mentor2, coordinator):
    services.post_edit(editor=mentor, post=answer, body=f"Уточню у @{mentor2.slug}.")
    services.post_edit(
        editor=mentor, post=answer, body=f"Уточню у @{mentor2.slug} и @{coordinator.slug}."
    )
    assert len(mentions_of(mentor2)) == 1
    assert len(mentions_of(coordinator)) == 1


def test_a_muted_thread_silences_mentions(question, mentor, mentor2):
    services.subscription_set(user=mentor, thread=question, level="muted")
    reply(mentor2, question, body=f"@{mentor.slug}!")
    assert mentions_of(mentor) == []


def test_a_mention_of_a_name_with_markdown_characters_stays_one_link(question, division, mentor2):
    odd = make_member(
        "odd@example.com", "Анна [Главная] *Петрова*", User.Role.MENTOR, department=division
    )
    post = reply(mentor2, question, body=f"Спросите @{odd.slug}")
    assert post.body_html.count("<a ") == 1
    assert f'href="{odd.get_absolute_url()}"' in post.body_html
    assert "<em>" not in post.body_html
