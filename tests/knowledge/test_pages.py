"""The knowledge base's pages: reading, writing, the edit conflict, history, verification."""

from __future__ import annotations

from knowledge import services
from knowledge.models import Article
from knowledge.services import Content


def test_members_read_published_articles_and_only_writers_see_drafts(
    login, practice, draft, newcomer, mentor2
):
    reader = login(newcomer)
    page = reader.get(practice.get_absolute_url())
    assert page.status_code == 200 and "<h2>Цель</h2>" in page.content.decode()
    assert reader.get(draft.get_absolute_url()).status_code == 404
    assert login(mentor2).get(draft.get_absolute_url()).status_code == 404
    listing = reader.get("/kb/").content.decode()
    assert practice.title in listing and draft.title not in listing


def test_anonymous_visitors_are_sent_to_log_in(client, practice):
    response = client.get(practice.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_mentor_writes_a_practice_in_sections(login, mentor):
    client = login(mentor)
    assert "section_goal" in client.get("/kb/new/?kind=practice").content.decode()
    response = client.post(
        "/kb/new/",
        {
            "kind": "practice",
            "title": "Наставник на час",
            "section_goal": "Помочь быстро",
            "section_steps": "Позвонить",
            "note": "",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response.url == article.get_absolute_url()
    assert article.kind == "practice" and article.sections["steps"] == "Позвонить"


def test_newcomers_cannot_open_the_editor(login, newcomer, practice):
    client = login(newcomer)
    assert client.get("/kb/new/").status_code == 403
    assert client.get(f"/kb/a/{practice.slug}/edit/").status_code == 404


def test_an_edit_over_a_newer_revision_shows_both_versions_and_keeps_the_text(
    login, practice, mentor, mentor2
):
    form = {
        "kind": "practice",
        "title": practice.title,
        "base_revision": 1,
        "section_goal": "Моя правка",
        "note": "",
    }
    services.article_revise(
        editor=mentor2,
        article=practice,
        base_revision=1,
        content=Content(title=practice.title, sections={"goal": "Их правка"}),
    )
    response = login(mentor).post(f"/kb/a/{practice.slug}/edit/", form)
    page = response.content.decode()
    assert response.status_code == 409 and 'id="edit-conflict"' in page
    assert "Моя правка" in page and "Их правка" in page  # the diff and the kept text
    assert 'name="base_revision" value="2"' in page
    practice.refresh_from_db()
    assert practice.sections["goal"] == "Их правка"

    # Saving the merged text again on top of revision 2 goes through.
    form.update(base_revision=2, section_goal="Их правка и моя")
    assert login(mentor).post(f"/kb/a/{practice.slug}/edit/", form).status_code == 302
    practice.refresh_from_db()
    assert (practice.revision, practice.sections["goal"]) == (3, "Их правка и моя")


def test_history_compares_two_revisions_and_escapes_the_text(login, draft, mentor):
    services.article_revise(
        editor=mentor,
        article=draft,
        base_revision=1,
        content=Content(title=draft.title, body="<script>x</script>"),
    )
    page = login(mentor).get(f"/kb/a/{draft.slug}/history/?from=1&to=2").content.decode()
    assert 'class="diff-insert"' in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x</script>" not in page


def test_a_restore_needs_post_and_makes_a_new_revision(login, draft, mentor):
    client = login(mentor)
    services.article_revise(
        editor=mentor, article=draft, base_revision=1, content=Content(title="Новое", body="Новое")
    )
    assert client.get(f"/kb/a/{draft.slug}/restore/1/").status_code == 405
    client.post(f"/kb/a/{draft.slug}/restore/1/")
    draft.refresh_from_db()
    assert (draft.revision, draft.title) == (3, "Первый день наставника")
    assert client.post(f"/kb/a/{draft.slug}/restore/99/").status_code == 404


def test_verifying_shows_who_and_when_and_the_review_queue_empties(
    login, practice, mentor2, newcomer
):
    client = login(mentor2)
    assert practice.title in client.get("/kb/review/").content.decode()
    client.post(f"/kb/a/{practice.slug}/verify/", {"review_interval_days": 90})
    page = client.get(practice.get_absolute_url()).content.decode()
    assert f"Проверено: {mentor2.full_name}" in page
    assert practice.title not in client.get("/kb/review/").content.decode()
    login(newcomer).post(f"/kb/a/{practice.slug}/verify/", {"review_interval_days": 1})
    practice.refresh_from_db()
    assert practice.verified_by == mentor2


def test_publishing_a_draft_makes_it_readable(login, draft, mentor, newcomer):
    login(mentor).post(f"/kb/a/{draft.slug}/publish/")
    assert login(newcomer).get(draft.get_absolute_url()).status_code == 200


def test_profiles_show_the_articles_a_member_wrote(login, practice, mentor, newcomer):
    page = login(newcomer).get(mentor.get_absolute_url()).content.decode()
    assert 'id="activity-knowledge-articles"' in page and practice.title in page
