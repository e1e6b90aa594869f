"""Replies that quote their parent, without JavaScript too, and «Написать» on profiles."""

from __future__ import annotations

import pytest

from chat import services
from chat.models import Message, Room
from tests.chat.conftest import send


def test_the_room_page_quotes_a_replys_parent(login, general, mentor, mentor2):
    parent = send(mentor, general, "Где взять **шаблон** записки?")
    send(mentor2, general, "В разделе «Документы».", reply_to=parent)
    page = login(mentor).get(f"/chat/r/{general.pk}/").content.decode()
    assert 'class="chat-quote"' in page
    assert f'href="#message-{parent.pk}"' in page and "Где взять шаблон записки?" in page


def test_a_deleted_parent_is_quoted_as_deleted(login, general, mentor, mentor2):
    parent = send(mentor, general, "Секретный вопрос")
    send(mentor2, general, "Ответ", reply_to=parent)
    services.message_delete(actor=mentor, message=parent)
    page = login(mentor2).get(f"/chat/r/{general.pk}/").content.decode()
    assert "Секретный вопрос" not in page


def test_without_javascript_the_reply_link_prepares_the_form_and_the_form_replies(
    login, general, mentor, mentor2
):
    parent = send(mentor, general, "Кто ведёт приём?")
    client = login(mentor2)
    page = client.get(f"/chat/r/{general.pk}/?reply_to={parent.pk}").content.decode()
    assert f'name="reply_to" value="{parent.pk}"' in page
    assert "Кто ведёт приём?" in page.split('id="chat-replying"')[1].split("</p>")[0]

    response = client.post(
        f"/chat/r/{general.pk}/send/",
        {"body": "Я веду", "client_id": "form-reply-1", "reply_to": parent.pk},
    )
    reply = Message.objects.get(author=mentor2, client_id="form-reply-1")
    assert response.status_code == 302 and reply.reply_to == parent


def test_a_reply_to_a_message_the_member_cannot_read_is_refused(
    login, general, mentor, mentor2, stranger
):
    hidden_room = services.group_create(creator=stranger, name="Своё", members=[])
    hidden = send(stranger, hidden_room, "не для всех")
    client = login(mentor2)
    page = client.get(f"/chat/r/{general.pk}/?reply_to={hidden.pk}").content.decode()
    assert "не для всех" not in page and 'id="chat-replying" hidden' in " ".join(page.split())
    response = client.post(
        f"/chat/r/{general.pk}/send/",
        {"body": "Подсмотрел", "client_id": "form-reply-2", "reply_to": hidden.pk},
        follow=True,
    )
    assert not Message.objects.filter(author=mentor2).exists()
    assert (
        "no longer there" in response.content.decode() or "больше нет" in response.content.decode()
    )


def test_a_profile_offers_to_write_to_the_member_and_the_button_opens_one_conversation(
    login, mentor, mentor2
):
    client = login(mentor)
    page = client.get(mentor2.get_absolute_url()).content.decode()
    assert 'action="/chat/direct/"' in page and f'value="{mentor2.slug}"' in page
    first = client.post("/chat/direct/", {"member": mentor2.slug})
    again = client.post("/chat/direct/", {"member": mentor2.slug})
    room = Room.objects.get(kind=Room.Kind.DIRECT)
    assert first.url == again.url == f"/chat/r/{room.pk}/"


def test_your_own_profile_has_no_write_button(login, mentor):
    page = login(mentor).get(mentor.get_absolute_url()).content.decode()
    assert 'action="/chat/direct/"' not in page


@pytest.mark.parametrize("reply_to", ["abc", "0", "-1", "99999999999999999999"])
def test_a_malformed_reply_to_is_ignored_on_the_page(login, general, mentor, reply_to):
    response = login(mentor).get(f"/chat/r/{general.pk}/?reply_to={reply_to}")
    assert response.status_code == 200
    assert 'id="chat-replying" hidden' in " ".join(response.content.decode().split())
