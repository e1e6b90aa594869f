"""A mentor drops a Word file and a screenshot into a forum reply and into a chat message;
the picture shows inline, the document downloads under its own name, and a newcomer who
is not in the conversation gets a 404 for its file."""

from __future__ import annotations

import base64
import io
import re
import zipfile

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.actions import MENTOR_EMAIL, NEWCOMER_EMAIL, log_in

pytestmark = pytest.mark.browser

DOCX_NAME = "Шаблон служебной записки.docx"
PNG_NAME = "Скриншот СЭД.png"
SECOND_MENTOR_NAME = "Рустем Ильдарович Гарипов"


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document>Служебная записка</w:document>")
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 500), (11, 110, 79)).save(out, format="PNG")
    return out.getvalue()


FILES = [
    {
        "name": DOCX_NAME,
        "type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "b64": base64.b64encode(_docx()).decode(),
    },
    {"name": PNG_NAME, "type": "image/png", "b64": base64.b64encode(_png()).decode()},
]


def drop_files(page: Page, target: str) -> None:
    """What the browser does when files are dragged from the desktop onto `target`."""
    transfer = page.evaluate_handle(
        """(files) => {
        const transfer = new DataTransfer();
        for (const file of files) {
            const bytes = Uint8Array.from(atob(file.b64), (c) => c.charCodeAt(0));
            transfer.items.add(new File([bytes], file.name, { type: file.type }));
        }
        return transfer;
    }""",
        FILES,
    )
    page.dispatch_event(target, "dragover", {"dataTransfer": transfer})
    page.dispatch_event(target, "drop", {"dataTransfer": transfer})


def check_attachments(page: Page, container) -> str:
    """The picture shows as a thumbnail; the document downloads with its name. Returns the
    document's address."""
    thumbnail = container.locator("img[src$='/thumb/']")
    expect(thumbnail).to_have_count(1)
    expect(thumbnail).to_have_attribute("alt", PNG_NAME)
    # A message that just arrived live may still be fetching its picture: wait for it.
    assert (
        thumbnail.evaluate("""image => image.complete ? image.naturalWidth
        : new Promise((settled) => {
            image.addEventListener("load", () => settled(image.naturalWidth), {once: true});
            image.addEventListener("error", () => settled(0), {once: true});
        })""")
        > 0
    )
    document = container.locator("a", has_text=DOCX_NAME)
    with page.expect_download() as download:
        document.click()
    assert download.value.suggested_filename == DOCX_NAME
    return document.get_attribute("href")


def test_files_dropped_in_forum_and_chat_show_download_and_stay_private(
    page: Page, live_app, browser
):
    log_in(page, live_app, MENTOR_EMAIL)

    # The forum: drop both files on the reply box, then post.
    page.goto("/forum/")
    page.locator("main a[href^='/forum/t/']").first.click()
    # Dropping and the lightbox are attachments.js's: wait until the thread page has loaded
    # (on a busy machine, a parallel run, its scripts may still be on their way).
    page.wait_for_url("**/forum/t/**", wait_until="load")
    composer = page.locator(".composer-form textarea")
    composer.fill("Вот шаблон и скриншот, где его найти:")
    drop_files(page, ".composer-form textarea")
    expect(composer).to_have_value(re.compile(re.escape(DOCX_NAME)))
    expect(composer).to_have_value(re.compile(r"\[!\[.*\]\(/attachments/\w+.*/thumb/\)\]"))
    page.locator(".composer-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    page.wait_for_load_state("load")
    reply = page.locator("article.post").last
    check_attachments(page, reply)
    reply.locator("img[src$='/thumb/']").click()
    expect(page.locator("dialog.lightbox img")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("dialog.lightbox")).to_be_hidden()

    # Chat: a direct conversation with another mentor, files dropped on the message box.
    page.goto("/people/?q=Гарипов")
    page.locator("main a", has_text=SECOND_MENTOR_NAME).first.click()
    page.locator("main form[action='/chat/direct/'] button").click()
    expect(page.locator("body[data-realtime=connected]")).to_have_count(1)
    page.locator("#id_body").fill("Шаблон для вашего новичка")
    drop_files(page, "#id_body")
    expect(page.locator("#id_body")).to_have_value(re.compile(re.escape(PNG_NAME)))
    page.locator("#id_body").press("Enter")
    sent = page.locator("#chat-messages li", has_text="Шаблон для вашего новичка")
    expect(sent.locator("img[src$='/thumb/']")).to_have_count(1)
    room_document = check_attachments(page, sent)

    # A newcomer outside the conversation: the same address is a 404.
    newcomer = browser.new_context(base_url=live_app.url, locale="ru-RU").new_page()
    log_in(newcomer, live_app, NEWCOMER_EMAIL)
    response = newcomer.request.get(room_document)
    assert response.status == 404
    newcomer.context.close()
