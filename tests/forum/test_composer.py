"""The composer's helpers: preview, similar solved questions, mention suggestions."""

from __future__ import annotations

import pytest

from community import markup
from forum import services
from profiles.models import User
from tests.conftest import make_member
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db


def test_preview_returns_sanitized_html(login, newcomer):
    response = login(newcomer).post(
        "/forum/preview/", {"body": "**Жирный** <script>alert(1)</script> [x](javascript:alert(2))"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Жирный</strong>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html
    assert "<html" not in html


def test_preview_of_nothing_shows_no_html(login, newcomer):
    response = login(newcomer).post("/forum/preview/", {"body": "   "})
    assert response.status_code == 200
    assert response.context["html"] == ""


def test_preview_of_an_over_long_text_is_400(login, newcomer):
    response = login(newcomer).post(
        "/forum/preview/", {"body": "a" * (markup.MAX_SOURCE_LENGTH + 1)}
    )
    assert response.status_code == 400


def test_preview_is_post_only(login, newcomer):
    assert login(newcomer).get("/forum/preview/", {"body": "x"}).status_code == 405


@pytest.fixture
def solved_and_open(newcomer, mentor, newcomers_corner):
    """Two solved questions and an open one with overlapping words."""

    def ask(title, *, solve):
        thread = services.thread_create(
            author=newcomer, category=newcomers_corner, kind="question", title=title, body="Вопрос"
        )
        if solve:
            services.answer_accept(actor=newcomer, post=reply(mentor, thread))
        return thread

    return {
        "memo": ask("Как оформить служебную записку о командировке?", solve=True),
        "report": ask("Где найти отчёт по исполнению бюджета?", solve=True),
        "open": ask("Служебная записка на отпуск: кто подписывает?", solve=False),
    }


@pytest.mark.parametrize("title", ["служебная записка", "СЛУЖЕБНОЙ ЗАПИСКИ"])
def test_similar_finds_solved_and_open_questions_sharing_words(
    login, newcomer, solved_and_open, title
):
    response = login(newcomer).get("/forum/similar/", {"title": title})
    assert set(response.context["threads"]) == {solved_and_open["memo"], solved_and_open["open"]}
    items = response.content.decode().split("<li>")
    solved = next(i for i in items if solved_and_open["memo"].get_absolute_url() in i)
    still_open = next(i for i in items if solved_and_open["open"].get_absolute_url() in i)
    assert "Решено" in solved and "Открытый вопрос" not in solved
    assert "Открытый вопрос" in still_open


def test_similar_finds_a_question_by_another_of_its_words(login, newcomer, solved_and_open):
    response = login(newcomer).get("/forum/similar/", {"title": "Командировка: какие документы?"})
    assert list(response.context["threads"]) == [solved_and_open["memo"]]


def test_the_similar_questions_sit_right_under_the_title_field(login, newcomer, newcomers_corner):
    html = login(newcomer).get("/forum/new/").content.decode()
    title, box, body = (
        html.index(marker) for marker in ('id="id_title"', 'id="similar-questions"', 'id="id_body"')
    )
    assert title < box < body


def test_similar_folds_yo_into_ye(login, newcomer, solved_and_open):
    response = login(newcomer).get("/forum/similar/", {"title": "Нужен отчет"})
    assert list(response.context["threads"]) == [solved_and_open["report"]]


def test_similar_puts_the_best_overlap_first(
    login, newcomer, mentor, newcomers_corner, solved_and_open
):
    near = services.thread_create(
        author=newcomer,
        category=newcomers_corner,
        kind="question",
        title="Служебная записка: сроки согласования",
        body="Вопрос",
    )
    services.answer_accept(actor=newcomer, post=reply(mentor, near))
    response = login(newcomer).get(
        "/forum/similar/", {"title": "Сроки согласования служебной записки"}
    )
    threads = list(response.context["threads"])
    assert threads[0] == near
    assert set(threads[1:]) == {solved_and_open["memo"], solved_and_open["open"]}


@pytest.mark.parametrize("title", ["", "как где", "а б в г"])
def test_similar_with_no_real_words_suggests_nothing(login, newcomer, solved_and_open, title):
    response = login(newcomer).get("/forum/similar/", {"title": title})
    assert response.status_code == 200
    assert list(response.context["threads"]) == []
    assert response.content.decode().strip() == ""


def test_mention_suggestions_are_json_members_matching_the_start_of_a_name(
    login, newcomer, mentor, mentor2
):
    response = login(newcomer).get("/people/suggest/", {"q": "ал"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "members": [{"id": mentor.pk, "slug": mentor.slug, "name": mentor.full_name}]
    }


@pytest.mark.parametrize("query", ["АЛИЯ", "хасан", "aliia"])
def test_mention_suggestions_fold_case_and_match_slugs(login, newcomer, mentor, query):
    names = [
        m["name"] for m in login(newcomer).get("/people/suggest/", {"q": query}).json()["members"]
    ]
    assert names == [mentor.full_name]


def test_mention_suggestions_leave_out_inactive_members(login, newcomer, division):
    gone = make_member("gone@example.com", "Алексей Ушедший", User.Role.MENTOR, department=division)
    gone.is_active = False
    gone.save()
    slugs = [
        m["slug"] for m in login(newcomer).get("/people/suggest/", {"q": "ал"}).json()["members"]
    ]
    assert gone.slug not in slugs


def test_mention_suggestions_are_capped(login, newcomer, division):
    for n in range(12):
        make_member(
            f"al{n}@example.com", f"Алексей {n:02d}", User.Role.NEWCOMER, department=division
        )
    members = login(newcomer).get("/people/suggest/", {"q": "алексей"}).json()["members"]
    everyone = [f"Алексей {n:02d}" for n in range(12)]
    assert 0 < len(members) < len(everyone)
    assert [m["name"] for m in members] == everyone[: len(members)]
