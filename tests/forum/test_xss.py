"""Hostile titles, bodies and tags render inert wherever the forum shows them."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from community.notifications.models import Notification
from forum import moderation, services
from profiles.models import ExpertiseTag
from tests.forum.conftest import reply

pytestmark = pytest.mark.django_db

TITLE = '<script>alert("title")</script><img src=x onerror=alert(1)>'
BODY = "\n\n".join(
    [
        '<script>alert("body")</script>',
        "[клик](javascript:alert(2))",
        "<img src=x onerror=alert(3)>",
        '<a href="javascript:alert(4)" onclick="alert(5)">ссылка</a>',
        '<svg onload=alert(6)></svg><iframe src="https://evil.example"></iframe>',
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)",
    ]
)
TAG = '<svg onload=alert("tag")>'
LIVE_MARKUP = [
    "<script>alert(",
    "<img src=x",
    "onerror=",
    "<svg onload",
    "<iframe",
    "javascript:",
    "onclick=",
    "data:text/html",
]


class _LiveMarkup(HTMLParser):
    """Collects what a browser would run: script text, event handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        if tag in {"iframe", "object", "embed"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value}")
            if name in {"href", "src", "action", "formaction"} and value.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert" in data:
            self.found.append(f"<script>{data.strip()[:40]}")


def assert_inert(html: str) -> None:
    parser = _LiveMarkup()
    parser.feed(html)
    parser.close()
    assert parser.found == []


@pytest.mark.parametrize("payload", [TITLE, BODY, TAG])
def test_the_inertness_check_catches_live_markup(payload):
    with pytest.raises(AssertionError):
        assert_inert(f"<p>{payload}</p>")


@pytest.fixture
def hostile_thread(newcomer, newcomers_corner, mentor):
    tag = ExpertiseTag.objects.create(name=TAG, slug="xss")
    thread = services.thread_create(
        author=newcomer,
        category=newcomers_corner,
        kind="question",
        title=TITLE,
        body=BODY,
        tags=[tag],
    )
    services.answer_accept(actor=newcomer, post=reply(mentor, thread, body=BODY))
    return thread


def test_stored_html_has_no_live_markup(hostile_thread):
    for post in hostile_thread.posts.all():
        for needle in LIVE_MARKUP:
            assert needle not in post.body_html


@pytest.mark.parametrize(
    "address",
    ["/forum/", "/forum/c/voprosy-novichkov/", "/forum/?order=newest", "/forum/?order=top"],
)
def test_lists_show_hostile_titles_and_tags_as_text(login, mentor2, hostile_thread, address):
    html = login(mentor2).get(address).content.decode()
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html
    assert "&lt;svg onload=alert(&quot;tag&quot;)&gt;" in html
    assert_inert(html)


def test_thread_page_shows_hostile_input_as_text(login, mentor2, hostile_thread):
    html = login(mentor2).get(hostile_thread.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html
    assert "&lt;svg onload=alert(&quot;tag&quot;)&gt;" in html
    assert 'class="accepted-answer"' in html
    assert_inert(html)


def test_notifications_show_hostile_titles_as_text(login, hostile_thread, newcomer, mentor2):
    reply(mentor2, hostile_thread, body=f"@{newcomer.slug} {BODY}")
    assert Notification.objects.filter(recipient=newcomer).exists()
    html = login(newcomer).get("/notifications/").content.decode()
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html
    assert_inert(html)
    assert_inert(login(newcomer).get("/").content.decode())


def test_similar_suggestions_show_hostile_titles_as_text(login, mentor2, hostile_thread):
    html = login(mentor2).get("/forum/similar/", {"title": "script alert title"}).content.decode()
    assert hostile_thread.get_absolute_url() in html
    assert_inert(html)


def test_moderation_pages_show_hostile_input_as_text(login, hostile_thread, coordinator, stranger):
    answer = hostile_thread.posts.get(number=2)
    moderation.flag_create(user=stranger, post=answer, reason="spam", comment=TITLE)
    moderation.thread_set_flags(moderator=coordinator, thread=hostile_thread, pinned=True)
    client = login(coordinator)
    assert_inert(client.get("/forum/moderation/").content.decode())
    assert_inert(client.get("/forum/moderation/log/").content.decode())


def test_revisions_and_fragments_show_hostile_input_as_text(login, hostile_thread, mentor, mentor2):
    answer = hostile_thread.posts.get(number=2)
    services.post_edit(editor=mentor, post=answer, body=f"{BODY}\n\nИсправлено")
    client = login(mentor2)
    assert_inert(client.get(f"/forum/p/{answer.pk}/revisions/").content.decode())
    assert_inert(client.get(f"/forum/p/{answer.pk}/fragment/").content.decode())
    assert_inert(client.get(f"/forum/p/{answer.pk}/reply/").content.decode())


def test_preview_of_hostile_input_is_inert(login, newcomer):
    html = login(newcomer).post("/forum/preview/", {"body": BODY}).content.decode()
    for needle in LIVE_MARKUP:
        assert needle not in html
