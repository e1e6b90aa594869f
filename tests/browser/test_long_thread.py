"""A 300-reply topic in a real browser: the first chunk, «Показать ещё», a permalink deep
in the thread, and reactions sent with a mouse click without a reload."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import MENTOR_EMAIL, log_in, start_thread

pytestmark = pytest.mark.browser

# Three hundred replies the fast way: every fourth answers the thread, the others nest.
GROW = """
from community import markup
from forum.models import Post, Thread, tree_path
from profiles.models import User
thread = Thread.objects.get(title={title!r})
opening = thread.posts.get(number=1)
authors = list(User.objects.filter(is_active=True).order_by("pk")[:5])
cooked = markup.cook("Ответ номер {{n}}")
parent, added = opening, []
for n in range(300):
    parent = opening if n % 4 == 0 else added[-1]
    number = thread.post_sequence + n + 1
    text = f"Ответ номер {{number}}"
    added.append(Post.objects.create(
        thread=thread, number=number, parent=parent, depth=parent.depth + 1,
        path=tree_path(parent.path, number), author=authors[n % len(authors)],
        body=text, body_html=markup.cook(text)["html"], body_markup_version=cooked["version"],
    ))
Thread.objects.filter(pk=thread.pk).update(
    post_sequence=thread.post_sequence + 300, reply_count=300
)
print(added[249].pk)
"""


@pytest.fixture
def long_thread(page: Page, live_app) -> tuple[str, int]:
    """A topic of 300 replies; its address and the id of its 251st post."""
    title = f"Длинная тема о командировках {uuid.uuid4().hex[:6]}"
    log_in(page, live_app, MENTOR_EMAIL)
    url = start_thread(page, title=title, body="Собираем здесь всё о командировках.")
    output = live_app.manage("shell", "--no-imports", "-c", GROW.format(title=title))
    deep = int(output.strip().splitlines()[-1])
    return url, deep


def test_the_first_chunk_then_more_with_a_click(page: Page, live_app, long_thread):
    url, _deep = long_thread
    page.goto(url)
    replies = page.locator("#replies article.post")
    expect(replies).to_have_count(50)
    page.locator("#replies-more a").click()
    expect(replies).to_have_count(100)
    expect(page.locator("#replies-more a")).to_be_visible()
    assert page.url == url  # loaded in place, not a new page


def test_a_permalink_deep_in_the_thread_opens_its_chunk(page: Page, live_app, long_thread):
    _url, deep = long_thread
    page.goto(f"/forum/p/{deep}/")
    expect(page).to_have_url(re.compile(r"\?at=251#post-251$"))
    post = page.locator("#post-251")
    expect(post).to_be_visible()
    expect(post).to_be_in_viewport()
    expect(page.get_by_role("link", name="Показать ответы с начала")).to_be_visible()


def test_a_reaction_is_sent_with_the_mouse_without_a_reload(page: Page, live_app, long_thread):
    url, _deep = long_thread
    page.goto(url)
    page.evaluate("window.notReloaded = true")
    # Another member's post (one's own cannot be reacted to).
    value = page.locator(".reactions button[value$=':thanks']:not([disabled])").first.get_attribute(
        "value"
    )
    thanks = page.locator(f".reactions button[value='{value}']")
    expect(thanks).to_have_attribute("aria-pressed", "false")
    thanks.click()
    expect(thanks).to_have_attribute("aria-pressed", "true")
    expect(thanks).to_have_attribute("aria-label", "Спасибо: 1")
    expect(thanks).to_contain_text("1")
    assert page.evaluate("window.notReloaded") is True
