"""The one text rule (community/text.py), and the one-line fields that follow it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from community import text
from forum import services as forum_services
from forum.models import Access, Category, Thread
from profiles import services as profile_services


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Отпуск\u202eтxt.exe", "Отпусктxt.exe"),  # a right-to-left override
        ("\u2066Изоляция\u2069 и \u200fметка", "Изоляция и метка"),
        ("Строка\x85с C1\x9bи C0\x07", "Строка с C1 и C0"),
        ("  много \t\n пробелов  ", "много пробелов"),
        ("Семья 👨\u200d👩\u200d👧", "Семья 👨\u200d👩\u200d👧"),  # joiners stay: emoji need them
        ("е\u0301", "е\u0301"),  # combining marks stay (NFC has no single é in Cyrillic)
    ],
)
def test_a_one_line_field_loses_controls_and_reordering_marks(raw, stored):
    assert text.one_line(raw) == stored


@pytest.mark.parametrize("raw", ["a\x00b", "\ud800", "ok\udfffok"])
def test_nul_and_lone_surrogates_are_refused_with_a_message(raw):
    with pytest.raises(ValidationError) as refused:
        text.one_line(raw)
    assert refused.value.messages[0].strip()
    with pytest.raises(ValidationError):
        text.check(raw)


def test_a_thread_title_and_a_members_name_are_stored_without_spoofing(mentor, db):
    category = Category.objects.create(
        name="Вопросы", slug="voprosy", read_access=Access.MEMBERS, start_access=Access.MEMBERS
    )
    thread = forum_services.thread_create(
        author=mentor, category=category, kind=Thread.Kind.QUESTION,
        title="Счёт\u202eфдп.exe", body="Текст",
    )  # fmt: skip
    assert thread.title == "Счётфдп.exe"
    mentor.full_name = "Алия\u202e Хасанова\x9b"
    profile_services.user_save(user=mentor)
    mentor.refresh_from_db()
    assert mentor.full_name == "Алия Хасанова"


def test_a_post_body_with_nul_is_refused_before_anything_is_written(mentor, db):
    category = Category.objects.create(
        name="Вопросы", slug="voprosy", read_access=Access.MEMBERS, start_access=Access.MEMBERS
    )
    with pytest.raises(ValidationError):
        forum_services.thread_create(
            author=mentor, category=category, kind=Thread.Kind.QUESTION,
            title="Тема", body="Текст\x00",
        )  # fmt: skip
    assert not Thread.objects.exists()
