"""Access ends when the grant ends (issue 20): the authorization matrix in time.

For each change that narrows what a member may read (an invitation that should not have
been possible, a demotion, logout, a new password, deactivation), what an already-open
page and an already-open socket can still do: nothing they may no longer do.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from chat import services as chat_services
from chat.models import Membership, Room
from community.attachments.parents import can_read_parent
from community.realtime.origins import origin_allowed
from profiles import services as profile_services
from profiles.models import User
from tests.chat.conftest import send
from tests.chat.sockets import post, subscribe
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_socket_db_connections"),
]

SECRET = "Секретный план наставников"


@pytest.fixture
def mentors_channel(mentor, mentor2) -> Room:
    room = chat_services.channel_create(
        creator=mentor, name="Наставники", access=Room.Access.MENTORS
    )
    chat_services.room_join(user=mentor2, room=room)
    return room


@pytest.fixture
def general(mentor, mentor2) -> Room:
    room = chat_services.channel_create(creator=mentor2, name="Общий")
    chat_services.room_join(user=mentor, room=room)
    return room


def demote(user: User) -> None:
    """What a coordinator does in the admin: the role changes, through user_save."""
    user = User.objects.get(pk=user.pk)
    user.role = User.Role.NEWCOMER
    profile_services.user_save(user=user)


def deactivate(user: User) -> None:
    user = User.objects.get(pk=user.pk)
    user.is_active = False
    profile_services.user_save(user=user)


# --- 1. An invitation cannot open a room to someone whose role may not read it ---------


def test_a_mentor_cannot_invite_a_newcomer_into_the_mentors_channel(
    mentor, mentor2, newcomer, mentors_channel, login
):
    message = send(mentor2, mentors_channel, SECRET)
    response = login(mentor).post(
        f"/chat/r/{mentors_channel.pk}/invite/", {"member": newcomer.slug}, follow=True
    )
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert any(newcomer.full_name in text for text in shown), shown
    assert not Membership.objects.filter(room=mentors_channel, user=newcomer).exists()
    reader = login(newcomer)
    assert reader.get(f"/chat/r/{mentors_channel.pk}/").status_code == 404
    found = reader.get("/search/", {"q": "Секретный план"}).content.decode()
    assert f"#message-{message.pk}" not in found


def test_the_service_refuses_the_invitation_with_a_clear_error(mentor, newcomer, mentors_channel):
    with pytest.raises(ValidationError) as refused:
        chat_services.member_invite(inviter=mentor, room=mentors_channel, invitee=newcomer)
    assert newcomer.full_name in refused.value.messages[0]


# --- 2. A demotion takes the mentors' channel away at every door ------------------------


def test_a_demoted_mentor_loses_the_channel_page_history_search_and_files(
    mentor, mentor2, mentors_channel, login
):
    message = send(mentor2, mentors_channel, SECRET)
    client = login(mentor)
    assert client.get(f"/chat/r/{mentors_channel.pk}/").status_code == 200
    found = f"#message-{message.pk}"
    assert found in client.get("/search/", {"q": "Секретный план"}).content.decode()

    demote(mentor)

    assert client.get(f"/chat/r/{mentors_channel.pk}/").status_code == 404
    assert client.get(f"/chat/r/{mentors_channel.pk}/?before=99").status_code == 404
    assert found not in client.get("/search/", {"q": "Секретный план"}).content.decode()
    assert f"/chat/r/{mentors_channel.pk}/" not in client.get("/chat/").content.decode()
    assert not can_read_parent(User.objects.get(pk=mentor.pk), "chat.message", message.pk)
    response = client.post(f"/chat/r/{mentors_channel.pk}/send/", {"body": "Ещё", "client_id": "x"})
    assert response.status_code == 404


def test_a_mentor_promoted_again_gets_the_channel_back(mentor, mentors_channel, login):
    demote(mentor)
    user = User.objects.get(pk=mentor.pk)
    user.role = User.Role.MENTOR
    profile_services.user_save(user=user)
    assert login(user).get(f"/chat/r/{mentors_channel.pk}/").status_code == 200


# --- 3. Open sockets re-check when the grant ends ---------------------------------------


@database_sync_to_async
def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


async def socket_of(client: Client) -> WebsocketCommunicator:
    from community.asgi import application

    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    socket = WebsocketCommunicator(
        application,
        "/ws/",
        headers=[
            (b"host", b"testserver"),
            (b"origin", b"http://testserver"),
            (b"cookie", cookie.encode()),
        ],
    )
    connected, _code = await socket.connect()
    assert connected
    assert (await socket.receive_json_from())["type"] == "hello"
    return socket


async def closed_with(socket: WebsocketCommunicator) -> int | None:
    """The close code the server sent within a second, skipping frames before it."""
    for _ in range(10):
        output = await socket.receive_output(timeout=1)
        if output["type"] == "websocket.close":
            return output.get("code")
    return None


@pytest.mark.asyncio
async def test_logging_out_closes_that_sessions_open_socket_at_once(mentor):
    client = await signed_in(mentor)
    other_tab_elsewhere = await socket_of(await signed_in(mentor))
    socket = await socket_of(client)

    await database_sync_to_async(client.post)("/accounts/logout/")

    assert await closed_with(socket) == 4401
    # The member's other browser stays signed in, and its socket open.
    assert await other_tab_elsewhere.receive_nothing(timeout=0.3)
    await other_tab_elsewhere.send_json_to({"type": "ping", "id": 1})
    assert (await other_tab_elsewhere.receive_json_from())["type"] == "pong"
    await other_tab_elsewhere.disconnect()


@pytest.mark.asyncio
async def test_a_new_password_closes_every_socket_opened_before_it(mentor):
    elsewhere = await socket_of(await signed_in(mentor))
    here = await signed_in(mentor)
    socket_here = await socket_of(here)

    response = await database_sync_to_async(here.post)(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "new-horse-battery-9",
            "password2": "new-horse-battery-9",
        },
    )
    assert response.status_code == 302

    assert await closed_with(elsewhere) == 4401
    # The browser that changed it got a new session key: its old socket closes, and it
    # connects again with the new cookie (the client reloads on 4401).
    assert await closed_with(socket_here) == 4401
    again = await socket_of(here)
    await again.send_json_to({"type": "ping", "id": 2})
    assert (await again.receive_json_from(timeout=2))["type"] == "pong"
    await again.disconnect()


@pytest.mark.asyncio
async def test_deactivation_closes_every_socket_of_the_member(mentor, coordinator):
    socket = await socket_of(await signed_in(mentor))
    await database_sync_to_async(deactivate)(mentor)
    assert await closed_with(socket) == 4401


@pytest.mark.asyncio
async def test_a_demoted_mentors_open_socket_leaves_the_channel_and_cannot_post(
    mentor, mentor2, mentors_channel, general
):
    socket = await socket_of(await signed_in(mentor))
    _replayed, subscribed = await subscribe(socket, (mentors_channel.pk, 0), (general.pk, 0))
    assert subscribed["refused"] == []

    await database_sync_to_async(demote)(mentor)

    assert (await socket.receive_json_from(timeout=1)) == {"type": "access_changed"}
    await post(mentor2, mentors_channel, SECRET)
    assert await socket.receive_nothing(timeout=0.3)  # the channel's news no longer arrive
    await socket.send_json_to(
        {"type": "send", "room_id": mentors_channel.pk, "body": "Ещё", "client_id": "late", "id": 3}
    )
    refused = await socket.receive_json_from(timeout=2)
    assert (refused["type"], refused["code"]) == ("error", "not_found")
    # The rooms they still read keep working on the same socket.
    await post(mentor2, general, "Для всех")
    assert (await socket.receive_json_from(timeout=2))["type"] == "message"
    _replayed, again = await subscribe(socket, (mentors_channel.pk, 0), ref=4)
    assert again["refused"] == [mentors_channel.pk]
    await socket.disconnect()


@pytest.mark.asyncio
async def test_a_profile_edit_changes_nothing_for_open_sockets(mentor, general):
    socket = await socket_of(await signed_in(mentor))
    await subscribe(socket, (general.pk, 0))

    @database_sync_to_async
    def edit() -> None:
        user = User.objects.get(pk=mentor.pk)
        user.position = "Главный специалист"
        profile_services.user_save(user=user)

    await edit()
    assert await socket.receive_nothing(timeout=0.3)
    await socket.send_json_to({"type": "ping", "id": 5})
    assert (await socket.receive_json_from())["type"] == "pong"
    await socket.disconnect()


# --- 4. Websockets only from this site's own pages --------------------------------------


def scope(origin: str | None, *, host: str = "testserver", scheme: str = "ws") -> dict:
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://testserver", True),
        ("HTTP://TestServer:80", True),  # the same origin, spelt otherwise
        ("http://testserver:9999", False),  # another port
        ("https://testserver", False),  # another scheme
        ("http://evil.example", False),  # another host
        ("http://testserver.evil.example", False),
        ("null", False),
        ("", False),
        (None, False),  # no Origin at all
    ],
)
def test_a_socket_origin_must_be_the_page_it_was_opened_from(origin, allowed):
    assert origin_allowed(scope(origin)) is allowed


def test_the_site_url_and_trusted_origins_are_exact_too(settings):
    settings.SITE_URL = "https://nastavnik.example.org"
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.city.example"]
    settings.ALLOWED_HOSTS = ["nastavnik.example.org"]
    behind_proxy = {"host": "127.0.0.1:8000"}  # the proxy's own address, not a site's
    assert origin_allowed(scope("https://nastavnik.example.org", **behind_proxy))
    assert origin_allowed(scope("https://portal.city.example", **behind_proxy))
    assert not origin_allowed(scope("http://nastavnik.example.org", **behind_proxy))
    assert not origin_allowed(scope("https://nastavnik.example.org:8443", **behind_proxy))
    assert not origin_allowed(scope("http://portal.city.example", **behind_proxy))
    # A page on another port of the server itself: its Host is not an allowed host.
    assert not origin_allowed(scope("http://127.0.0.1:1234", host="127.0.0.1:1234"))
    assert origin_allowed(
        scope("https://nastavnik.example.org", host="nastavnik.example.org", scheme="wss")
    )


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "origin",
    ["http://testserver:9999", "https://testserver", "http://localhost:1", "http://evil.example"],
)
async def test_the_handshake_from_another_origin_is_refused_with_a_valid_session(mentor, origin):
    from tests.helpers import open_socket

    socket, connected = await open_socket(mentor, origin=(b"origin", origin.encode()))
    assert connected is False
    await socket.disconnect()
