"""Editing with revisions and diffs, deleting into tombstones, and who may do either."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied

from community import search
from forum import services
from forum.models import ModerationAction, PostRevision
from tests.forum.conftest import post_article, post_numbers, reply

pytestmark = pytest.mark.django_db


def test_editing_keeps_the_old_text_as_a_revision(answer, mentor):
    old_body = answer.body
    services.post_edit(editor=mentor, post=answer, body="Новый текст с **важным**.")
    answer.refresh_from_db()
    revision = PostRevision.objects.get(post=answer)
    assert (revision.number, revision.body, revision.edited_by) == (1, old_body, mentor)
    assert answer.body == "Новый текст с **важным**."
    assert "<strong>важным</strong>" in answer.body_html
    assert answer.edit_count == 1
    assert answer.edited_at is not None
    assert not ModerationAction.objects.exists()


def test_saving_the_same_text_writes_no_revision(answer, mentor):
    services.post_edit(editor=mentor, post=answer, body=answer.body)
    answer.refresh_from_db()
    assert answer.edit_count == 0
    assert not answer.revisions.exists()


def test_the_edit_form_saves_and_returns_to_the_post(login, answer, mentor):
    response = login(mentor).post(f"/forum/p/{answer.pk}/edit/", {"body": "Исправленный ответ"})
    answer.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == answer.get_absolute_url()
    assert answer.body == "Исправленный ответ"


def test_an_empty_edit_is_a_form_error_and_keeps_the_text(login, answer, mentor):
    old_body = answer.body
    response = login(mentor).post(f"/forum/p/{answer.pk}/edit/", {"body": "   "})
    answer.refresh_from_db()
    assert response.status_code == 400
    assert response.context["form"].errors["body"]
    assert answer.body == old_body
    assert not answer.revisions.exists()


def test_revisions_page_shows_removed_and_added_lines(login, answer, mentor, newcomer):
    services.post_edit(
        editor=mentor, post=answer, body="Первая строка\nвторая строка\nтретья строка"
    )
    services.post_edit(
        editor=mentor, post=answer, body="Первая строка\nвторая строка, исправленная\nтретья строка"
    )
    response = login(newcomer).get(f"/forum/p/{answer.pk}/revisions/")
    html = response.content.decode()
    entries = response.context["revisions"]
    assert response.status_code == 200
    assert [entry["revision"].number for entry in entries] == [1, 2]
    assert entries[-1]["after"] == answer.__class__.objects.get(pk=answer.pk).body
    rows = diff_rows(html)
    assert ("diff-removed", "вторая строка") in rows
    assert ("diff-added", "вторая строка, исправленная") in rows
    assert ("diff-same", "Первая строка") in rows
    assert ("diff-removed", "Первая строка") not in rows


def diff_rows(html: str) -> list[tuple[str, str]]:
    """(row class, line text) for each row of the diff tables on a page."""
    return [
        (kind, text)
        for kind, text in re.findall(r'<tr class="(diff-\w+)">.*?<td>(.*?)</td></tr>', html)
    ]


def test_an_edited_post_links_to_its_history(login, answer, mentor, newcomer):
    services.post_edit(editor=mentor, post=answer, body="Другой текст")
    html = login(newcomer).get(answer.thread.get_absolute_url()).content.decode()
    assert f'href="/forum/p/{answer.pk}/revisions/"' in post_article(html, answer.number)


def test_the_diff_escapes_the_texts(login, answer, mentor, newcomer):
    services.post_edit(editor=mentor, post=answer, body="<script>alert(1)</script>")
    html = login(newcomer).get(f"/forum/p/{answer.pk}/revisions/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_editing_the_opening_post_can_change_the_title(login, question, newcomer):
    opening = question.posts.get(number=1)
    response = login(newcomer).post(
        f"/forum/p/{opening.pk}/edit/",
        {"title": "Служебная записка о командировке", "body": opening.body},
    )
    question.refresh_from_db()
    assert response.status_code == 302
    assert question.title == "Служебная записка о командировке"
    # Search finds the thread by its new title.
    [group] = [g for g in search.search(newcomer, "командировки") if g.kind.key == "forum.thread"]
    assert [hit.title for hit in group.hits] == [question.title]


def test_the_edit_form_of_a_reply_has_no_title(login, answer, mentor):
    assert "title" not in login(mentor).get(f"/forum/p/{answer.pk}/edit/").context["form"].fields


def test_moderator_edits_another_members_post_and_it_is_logged(login, answer, coordinator):
    response = login(coordinator).post(f"/forum/p/{answer.pk}/edit/", {"body": "Без грубости"})
    answer.refresh_from_db()
    action = ModerationAction.objects.get()
    assert response.status_code == 302
    assert answer.body == "Без грубости"
    assert answer.revisions.get().edited_by == coordinator
    assert (action.actor, action.action, action.post, action.thread) == (
        coordinator,
        ModerationAction.Action.EDIT_POST,
        answer,
        answer.thread,
    )


def test_a_stranger_cannot_edit_or_delete_someone_elses_post(login, answer, stranger):
    client = login(stranger)
    old_body = answer.body
    assert client.get(f"/forum/p/{answer.pk}/edit/").status_code == 403
    assert client.post(f"/forum/p/{answer.pk}/edit/", {"body": "Чужой текст"}).status_code == 403
    assert client.post(f"/forum/p/{answer.pk}/delete/").status_code == 403
    answer.refresh_from_db()
    assert answer.body == old_body
    assert not answer.is_deleted


def test_an_author_cannot_edit_in_a_locked_thread_but_a_moderator_can(answer, mentor, coordinator):
    answer.thread.is_locked = True
    answer.thread.save()
    with pytest.raises(PermissionDenied):
        services.post_edit(editor=mentor, post=answer, body="Поздняя правка")
    services.post_edit(editor=coordinator, post=answer, body="Правка модератора")
    answer.refresh_from_db()
    assert answer.body == "Правка модератора"


def test_deleting_leaves_a_tombstone_and_keeps_the_children(login, discussion, mentor, newcomer):
    answer = discussion.posts.get(number=2)
    secret = "Шаблон лежит в СЭД"
    assert secret in answer.body
    response = login(mentor).post(f"/forum/p/{answer.pk}/delete/")
    answer.refresh_from_db()
    assert response.status_code == 302
    assert answer.is_deleted
    html = login(newcomer).get(discussion.get_absolute_url()).content.decode()
    assert secret not in html
    assert 'class="tombstone"' in post_article(html, answer.number)
    assert post_numbers(html) == [1, 2, 3, 4]
    assert "Спасибо! А кто согласует?" in post_article(html, 3)


def test_a_deleted_post_cannot_be_deleted_edited_or_reacted_to_again(answer, mentor, newcomer):
    services.post_delete(actor=mentor, post=answer)
    answer.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.post_delete(actor=mentor, post=answer)
    with pytest.raises(PermissionDenied):
        services.post_edit(editor=mentor, post=answer, body="Воскрешение")
    with pytest.raises(PermissionDenied):
        services.reaction_toggle(user=newcomer, post=answer, kind="like")


def test_the_history_of_a_deleted_post_is_gone_for_members(
    login, answer, mentor, newcomer, coordinator
):
    services.post_edit(editor=mentor, post=answer, body="Второй вариант ответа")
    services.post_delete(actor=mentor, post=answer)
    history = f'href="/forum/p/{answer.pk}/revisions/"'
    assert login(newcomer).get(f"/forum/p/{answer.pk}/revisions/").status_code == 404
    assert history not in login(newcomer).get(answer.thread.get_absolute_url()).content.decode()
    assert login(coordinator).get(f"/forum/p/{answer.pk}/revisions/").status_code == 200
    assert history in login(coordinator).get(answer.thread.get_absolute_url()).content.decode()


def test_the_asker_cannot_delete_an_answered_opening_post(login, question, answer, newcomer):
    opening = question.posts.get(number=1)
    response = login(newcomer).post(f"/forum/p/{opening.pk}/delete/")
    opening.refresh_from_db()
    assert response.status_code == 403
    assert not opening.is_deleted


def test_the_asker_may_delete_an_unanswered_opening_post(question, newcomer):
    opening = question.posts.get(number=1)
    services.post_delete(actor=newcomer, post=opening)
    opening.refresh_from_db()
    assert opening.is_deleted


def test_a_moderator_deletes_any_post_and_it_is_logged(question, answer, coordinator):
    opening = question.posts.get(number=1)
    services.post_delete(actor=coordinator, post=opening)
    opening.refresh_from_db()
    assert opening.is_deleted
    assert ModerationAction.objects.get().action == ModerationAction.Action.DELETE_POST


def test_deleting_the_accepted_answer_unsolves_the_question(question, answer, newcomer, mentor):
    services.answer_accept(actor=newcomer, post=answer)
    services.post_delete(actor=mentor, post=answer)
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_replies_to_a_deleted_post_keep_their_place(question, answer, newcomer, mentor):
    early = reply(newcomer, question, parent=answer, body="Ответ до удаления")
    services.post_delete(actor=mentor, post=answer)
    early.refresh_from_db()
    assert early.parent == answer
    assert early.path.startswith(answer.path)


def test_a_deleted_post_takes_no_new_replies(question, answer, newcomer, mentor):
    from django.core.exceptions import ValidationError

    services.post_delete(actor=mentor, post=answer)
    answer.refresh_from_db()
    with pytest.raises(ValidationError):
        reply(newcomer, question, parent=answer, body="Ответ под удалённым")
    assert not answer.children.exists()
