"""Articles and practices: revisions, optimistic concurrency, verification, credits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from knowledge import rules, selectors, services
from knowledge.models import Article, ArticleCredit, ArticleRevision
from knowledge.services import Content, EditConflict


def test_a_new_article_is_a_draft_at_revision_one_credited_to_its_author(draft, mentor):
    assert draft.status == Article.Status.DRAFT and draft.revision == 1
    assert draft.slug == "первый-день-наставника"
    assert "<strong>показать</strong>" in draft.body_html
    assert [(c.user, c.role) for c in draft.credits.all()] == [(mentor, "author")]
    assert draft.revisions.get().note


def test_a_practice_is_written_in_sections_under_russian_headings(practice):
    assert practice.sections["goal"] == "Снизить тревогу новичка"
    assert practice.body.startswith("## Цель\n\nСнизить тревогу новичка")
    assert "## Шаги" in practice.body and "## Аудитория" not in practice.body  # empty: left out
    assert "<h2>Цель</h2>" in practice.body_html


def test_newcomers_read_but_do_not_write(newcomer):
    with pytest.raises(PermissionDenied):
        services.article_create(author=newcomer, kind="article", content=Content(title="Я"))


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [("   ", "текст", "title"), ("я" * 201, "текст", "title"), ("Тема", "я" * 32001, "body")],
)
def test_bad_content_is_refused_and_nothing_is_written(mentor, title, body, field):
    with pytest.raises(ValidationError) as error:
        services.article_create(
            author=mentor, kind="article", content=Content(title=title, body=body)
        )
    assert field in error.value.message_dict
    assert not Article.objects.exists()


def test_same_titles_get_distinct_addresses(mentor):
    first, second = (
        services.article_create(author=mentor, kind="article", content=Content(title="Памятка"))
        for _ in "12"
    )
    assert (first.slug, second.slug) == ("памятка", "памятка-2")


def test_every_save_is_a_revision_and_the_editor_is_credited(practice, mentor2):
    services.article_revise(
        editor=mentor2,
        article=practice,
        base_revision=1,
        content=Content(title=practice.title, sections={"goal": "Новое"}),
        note="Уточнил",
    )
    practice.refresh_from_db()
    assert practice.revision == 2 and practice.sections["goal"] == "Новое"
    assert list(practice.revisions.values_list("number", flat=True)) == [2, 1]
    assert practice.revisions.get(number=2).note == "Уточнил"
    assert ArticleCredit.objects.get(article=practice, user=mentor2).role == "contributor"


def test_only_the_people_of_a_draft_edit_it(draft, mentor2):
    with pytest.raises(PermissionDenied):
        services.article_revise(
            editor=mentor2, article=draft, base_revision=1, content=Content(title="Чужое")
        )


def test_a_save_over_a_newer_revision_is_refused_and_nothing_is_lost(practice, mentor, mentor2):
    services.article_revise(
        editor=mentor2,
        article=practice,
        base_revision=1,
        content=Content(title=practice.title, sections={"goal": "Версия Рустема"}),
    )
    with pytest.raises(EditConflict) as conflict:
        services.article_revise(
            editor=mentor,
            article=practice,
            base_revision=1,
            content=Content(title=practice.title, sections={"goal": "Версия Алии"}),
        )
    assert conflict.value.current.number == 2
    assert conflict.value.current.author == mentor2
    practice.refresh_from_db()
    assert practice.sections["goal"] == "Версия Рустема" and practice.revision == 2
    assert ArticleRevision.objects.filter(article=practice).count() == 2


def test_restoring_an_old_revision_adds_a_new_one(draft, mentor):
    services.article_revise(
        editor=mentor,
        article=draft,
        base_revision=1,
        content=Content(title="Другое", body="Другое"),
    )
    draft.refresh_from_db()
    services.article_restore(editor=mentor, article=draft, number=1)
    draft.refresh_from_db()
    assert (draft.revision, draft.title) == (3, "Первый день наставника")
    assert "1" in draft.revisions.get(number=3).note


def test_verification_shows_who_and_when_and_expires_after_its_interval(practice, mentor2):
    assert practice.needs_review  # never verified
    services.article_verify(verifier=mentor2, article=practice, review_interval_days=30)
    practice.refresh_from_db()
    assert practice.verified_by == mentor2 and not practice.needs_review
    assert list(selectors.review_queue()) == []
    Article.objects.filter(pk=practice.pk).update(
        review_due_at=timezone.now() - timedelta(minutes=1)
    )
    practice.refresh_from_db()
    assert practice.needs_review and list(selectors.review_queue()) == [practice]


def test_drafts_are_verified_by_nobody_and_newcomers_verify_nothing(
    draft, practice, mentor, newcomer
):
    with pytest.raises(PermissionDenied):
        services.article_verify(verifier=mentor, article=draft)
    with pytest.raises(PermissionDenied):
        services.article_verify(verifier=newcomer, article=practice)
    with pytest.raises(ValidationError):
        services.article_verify(verifier=mentor, article=practice, review_interval_days=0)


def test_a_draft_is_seen_by_its_people_and_coordinators_only(
    draft, mentor, mentor2, newcomer, coordinator
):
    assert [rules.can_read(u, draft) for u in (mentor, mentor2, newcomer, coordinator)] == [
        True,
        False,
        False,
        True,
    ]
    assert list(selectors.articles_visible_to(mentor2)) == []
    assert list(selectors.articles_visible_to(coordinator)) == [draft]
    services.article_publish(actor=mentor, article=draft)
    assert list(selectors.articles_visible_to(newcomer)) == [draft]


def test_the_diff_marks_added_and_removed_lines():
    diff = selectors.text_diff("один\nдва\nтри", "один\nдва с половиной\nтри")
    assert [(line.op, line.text) for line in diff] == [
        ("equal", "один"),
        ("delete", "два"),
        ("insert", "два с половиной"),
        ("equal", "три"),
    ]


def test_profiles_list_what_a_member_wrote_contributed_to_and_verified(practice, mentor, mentor2):
    services.article_revise(
        editor=mentor2,
        article=practice,
        base_revision=1,
        content=Content(title=practice.title, sections={"goal": "Цель"}),
    )
    services.article_verify(verifier=mentor2, article=practice)
    assert selectors.profile_articles(mentor)["author"] == [practice]
    work = selectors.profile_articles(mentor2)
    assert work["contributor"] == [practice] and work["verified"] == [practice]
