"""Chat pages: server-rendered history, a plain form that posts, channels, invitations."""

from __future__ import annotations

import pytest

from chat import services
from chat.models import Membership, Message, Room
from tests.chat.conftest import send

pytestmark = pytest.mark.django_db


def test_the_room_page_shows_history_and_reads_it(login, general, mentor, mentor2):
    for n in range(3):
        send(mentor, general, f"Сообщение **{n}**")
    response = login(mentor2).get(f"/chat/r/{general.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-message-id=") == 3
    assert "<strong>2</strong>" in html
    assert Membership.objects.get(room=general, user=mentor2).last_read_seq == 3


def test_a_room_one_is_not_in_is_a_404(login, general, mentors_channel, newcomer, stranger):
    assert login(newcomer).get(f"/chat/r/{mentors_channel.pk}/").status_code == 404
    assert login(stranger).get(f"/chat/r/{general.pk}/").status_code == 404
    assert (
        login(stranger)
        .post(f"/chat/r/{general.pk}/send/", {"body": "x", "client_id": "c-1"})
        .status_code
        == 404
    )
    assert not Message.objects.exists()


def test_the_plain_form_posts_once_even_when_sent_twice(login, general, newcomer):
    client = login(newcomer)
    data = {"body": "Без JavaScript", "client_id": "form-123"}
    first = client.post(f"/chat/r/{general.pk}/send/", data)
    second = client.post(f"/chat/r/{general.pk}/send/", data)
    assert first.status_code == second.status_code == 302
    assert Message.objects.filter(body="Без JavaScript").count() == 1


def test_an_oversize_message_from_the_form_is_refused_with_a_message(login, general, newcomer):
    response = login(newcomer).post(
        f"/chat/r/{general.pk}/send/", {"body": "я" * 4001, "client_id": "form-big"}, follow=True
    )
    assert not Message.objects.exists()
    assert list(response.context["messages"])


@pytest.mark.usefixtures("no_chat_rate_limit")
def test_earlier_messages_page_backwards(login, general, mentor):
    for n in range(60):
        send(mentor, general, f"№{n}")
    client = login(mentor)
    page = client.get(f"/chat/r/{general.pk}/")
    assert page.context["older"] == 11
    older = client.get(f"/chat/r/{general.pk}/", {"before": 11}, HTTP_HX_REQUEST="true")
    assert "<html" not in older.content.decode()
    assert [m.body for m in older.context["history"]][-1] == "№9"


def test_channels_page_lists_what_one_may_join(login, general, mentors_channel, stranger, newcomer):
    joinable = list(login(stranger).get("/chat/channels/").context["joinable"])
    assert general in joinable and mentors_channel not in joinable
    assert login(newcomer).post(f"/chat/r/{mentors_channel.pk}/join/").status_code == 404
    assert login(stranger).post(f"/chat/r/{general.pk}/join/").status_code == 302
    assert Membership.objects.filter(room=general, user=stranger).exists()


def test_creating_a_channel_and_a_group(login, newcomer):
    client = login(newcomer)
    assert (
        client.post("/chat/channels/", {"name": "Новички-2026", "access": "members"}).status_code
        == 302
    )
    assert client.post("/chat/groups/new/", {"name": "Наш отдел"}).status_code == 302
    assert Room.objects.filter(kind="channel", name="Новички-2026").exists()
    assert Room.objects.get(kind="group").memberships.get().role == "owner"


def test_a_group_owner_invites_by_profile_address(login, mentor, mentor2, newcomer):
    group = services.group_create(creator=mentor, name="Группа", members=[])
    login(mentor).post(f"/chat/r/{group.pk}/invite/", {"member": newcomer.slug})
    assert Membership.objects.filter(room=group, user=newcomer).exists()
    response = login(newcomer).post(f"/chat/r/{group.pk}/invite/", {"member": mentor2.slug})
    assert response.status_code == 403


def test_writing_to_a_colleague_opens_one_conversation(login, mentor, newcomer):
    client = login(newcomer)
    first = client.post("/chat/direct/", {"member": mentor.slug})
    second = client.post("/chat/direct/", {"member": mentor.slug})
    assert first["Location"] == second["Location"]
    assert client.post("/chat/direct/", {"member": newcomer.slug}).status_code == 403
    assert client.post("/chat/direct/", {"member": "nobody"}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, general):
    for path in ["/chat/", "/chat/channels/", f"/chat/r/{general.pk}/"]:
        assert client.get(path).status_code == 302


@pytest.mark.usefixtures("no_chat_rate_limit")
def test_the_room_page_uses_a_fixed_number_of_queries(
    login, general, mentor, mentor2, django_assert_num_queries
):
    client = login(mentor2)
    for n in range(3):
        send(mentor, general, f"{n}")
    client.get(f"/chat/r/{general.pk}/")
    with django_assert_num_queries(15) as few:
        client.get(f"/chat/r/{general.pk}/")
    for n in range(40):
        send(mentor2 if n % 2 else mentor, general, f"ещё {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(f"/chat/r/{general.pk}/")


def test_the_sidebar_costs_the_same_however_many_conversations(
    login, general, mentor, newcomer, division, django_assert_num_queries
):
    from tests.conftest import make_member

    client = login(mentor)
    client.get(f"/chat/r/{general.pk}/")
    with django_assert_num_queries(15) as few:
        client.get(f"/chat/r/{general.pk}/")
    for n in range(6):
        other = make_member(
            f"dm{n}@example.com", f"Собеседник {n}", "newcomer", department=division
        )
        services.direct_open(user=mentor, others=[other])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(f"/chat/r/{general.pk}/")
