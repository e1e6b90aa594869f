"""A bare link to a thread, post, article or profile shows its title, when that is public."""

from __future__ import annotations

import pytest

from community import markup
from forum import services as forum
from knowledge import services

SITE = "https://nastavnik.example.ru"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def link_text(source: str) -> str:
    html = markup.render(source)
    assert markup.sanitize(html) == html  # titling keeps the pipeline idempotent
    return html


def test_threads_and_posts_are_named(question):
    html = link_text(f"Смотрите {SITE}/forum/t/{question.pk}/{question.slug}/")
    assert f">{question.title}</a>" in html
    assert f">{question.title} #3</a>" in link_text(f"{SITE}/forum/t/{question.pk}/x/#post-3")
    assert f">{question.title}</a>" in link_text(f"<{SITE}/forum/t/{question.pk}/>")


def test_words_the_author_chose_stay(question):
    html = link_text(f"[вот тут]({SITE}/forum/t/{question.pk}/x/)")
    assert ">вот тут</a>" in html and question.title not in html


def test_a_mentors_only_thread_keeps_its_address(lounge_thread):
    # Everyone reads the cooked text: a title from the mentors' lounge must not leak into it.
    html = link_text(f"{SITE}/forum/t/{lounge_thread.pk}/x/")
    assert lounge_thread.title not in html


def test_articles_are_named_once_published_and_profiles_by_name(draft, mentor):
    url = f"{SITE}{draft.get_absolute_url()}"
    assert draft.title not in link_text(url)
    services.article_publish(actor=mentor, article=draft)
    assert f">{draft.title}</a>" in link_text(url)
    assert f">{mentor.full_name}</a>" in link_text(f"{SITE}/people/{mentor.slug}/")


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/people/{slug}/",
        "ftp://nastavnik.example.ru/people/{slug}/",
        "https://nastavnik.example.ru/people/nobody-here/",
    ],
)
def test_other_sites_and_unknown_pages_are_left_alone(mentor, url):
    assert mentor.full_name not in link_text(url.format(slug=mentor.slug))


def test_titles_are_escaped(mentor, newcomers_corner):
    thread = forum.thread_create(
        author=mentor,
        category=newcomers_corner,
        kind="discussion",
        title="<img src=x onerror=alert(1)>",
        body="текст",
    )
    html = link_text(f"{SITE}/forum/t/{thread.pk}/x/")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
