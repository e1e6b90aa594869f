"""The relay: a worker's layer messages reach the web server's in-memory layer, signed."""

from __future__ import annotations

import http.server
import json
import threading
import time
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.test import AsyncClient

from community.realtime import relay
from community.realtime.events import (
    EVENT_MESSAGE_TYPE,
    layer_messages,
    send_to_layer,
    user_group,
)
from tests.helpers import joined_socket

URL = relay.RELAY_PATH


@pytest.fixture(autouse=True)
def in_memory_layer(settings):
    """The embedded default's layer, whatever the suite runs on: only it needs the relay."""
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "community.realtime.layers.InMemoryChannelLayer"}
    }


def event_for(user, text: str) -> list[tuple[str, dict]]:
    return list(layer_messages([user_group(user.pk)], {"type": "notification", "text": text}))


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_socket_db_connections")
class TestReceiving:
    async def test_a_signed_batch_reaches_the_members_open_sockets(self, mentor, mentor2):
        mine, theirs = await joined_socket(mentor), await joined_socket(mentor2)
        response = await AsyncClient().post(
            URL, relay.relay_sign(event_for(mentor, "Новый ответ")), content_type="text/plain"
        )
        assert response.status_code == 204
        assert await mine.receive_json_from() == {"type": "notification", "text": "Новый ответ"}
        assert await theirs.receive_nothing()
        await mine.disconnect()
        await theirs.disconnect()

    @pytest.mark.parametrize(
        "body",
        [
            "",
            "not a signed value",
            # Signed with another salt: a token meant for something else.
            signing.dumps([], salt="community.other"),
        ],
        # Named, not shown: a signed token carries the time, and pytest-xdist's workers
        # must collect the same test ids.
        ids=["empty", "unsigned", "another salt"],
    )
    async def test_an_unsigned_or_forged_batch_is_refused_and_sends_nothing(self, mentor, body):
        socket = await joined_socket(mentor)
        response = await AsyncClient().post(URL, body, content_type="text/plain")
        assert response.status_code == 403
        assert await socket.receive_nothing()
        await socket.disconnect()

    async def test_a_batch_signed_over_a_minute_ago_cannot_be_replayed(self, mentor):
        socket = await joined_socket(mentor)
        with mock.patch("django.core.signing.time.time", return_value=time.time() - 120):
            stale = relay.relay_sign(event_for(mentor, "Старое"))
        response = await AsyncClient().post(URL, stale, content_type="text/plain")
        assert response.status_code == 403
        assert await socket.receive_nothing()
        await socket.disconnect()

    @pytest.mark.parametrize(
        "batch",
        [
            {"not": "a list"},
            [["user.1"]],
            [[1, {"type": EVENT_MESSAGE_TYPE}]],
            # A message type the consumer has a handler for, but no worker may ask for.
            [["user.1", {"type": "websocket.close"}]],
        ],
    )
    async def test_a_signed_batch_that_is_not_layer_messages_is_a_clear_400(self, batch):
        token = signing.dumps(batch, salt=relay.SALT, compress=True)
        response = await AsyncClient().post(URL, token, content_type="text/plain")
        assert response.status_code == 400
        assert response.content

    async def test_only_a_post_is_accepted(self):
        assert (await AsyncClient().get(URL)).status_code == 405

    async def test_with_a_shared_layer_there_is_no_relay(self, mentor):
        # With Redis every process reaches the layer itself: the endpoint does not exist.
        with mock.patch("community.realtime.views.get_channel_layer", return_value=object()):
            response = await AsyncClient().post(
                URL, relay.relay_sign(event_for(mentor, "x")), content_type="text/plain"
            )
        assert response.status_code == 404


class Receiver(http.server.BaseHTTPRequestHandler):
    """A stand-in web server that keeps what it was posted."""

    bodies: list[bytes] = []

    def do_POST(self):
        Receiver.bodies.append((self.path, self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.bodies = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def relaying(settings):
    def start(url: str):
        settings.REALTIME_RELAY_URL = url
        relay.relay_from_worker()
        assert relay.relay_url() == url

    yield start
    relay.relay_stop()


@pytest.mark.django_db
class TestSending:
    def test_a_worker_posts_its_messages_signed_in_batches(self, receiver, relaying, mentor):
        relaying(f"http://127.0.0.1:{receiver.server_port}")
        messages = [
            message for n in range(relay.BATCH_SIZE + 5) for message in event_for(mentor, str(n))
        ]
        send_to_layer(messages)
        assert [path for path, _body in Receiver.bodies] == [URL, URL]
        received = [
            message
            for _path, body in Receiver.bodies
            for message in relay.relay_open(body.decode(), types={EVENT_MESSAGE_TYPE})
        ]
        assert [json.loads(m["text"])["text"] for _g, m in received] == [
            str(n) for n in range(relay.BATCH_SIZE + 5)
        ]

    def test_a_web_server_that_is_down_is_logged_and_the_task_goes_on(
        self, relaying, mentor, caplog
    ):
        relaying("http://127.0.0.1:9")  # the discard port: nothing listens
        send_to_layer(event_for(mentor, "x"))
        assert "Could not relay 1 message(s)" in caplog.text

    def test_without_a_relay_url_the_worker_says_its_events_reach_no_browser(
        self, settings, caplog
    ):
        settings.REALTIME_RELAY_URL = ""
        relay.relay_from_worker()
        assert relay.relay_url() == ""
        assert "reach no browser" in caplog.text

    def test_a_relay_url_that_is_not_http_is_a_configuration_error(self, settings):
        settings.REALTIME_RELAY_URL = "file:///etc/passwd"
        with pytest.raises(ImproperlyConfigured, match="REALTIME_RELAY_URL"):
            relay.relay_from_worker()
        assert relay.relay_url() == ""

    def test_with_a_shared_layer_the_worker_sends_for_itself(self, settings):
        settings.REALTIME_RELAY_URL = "http://127.0.0.1:8000"
        with mock.patch("channels.layers.get_channel_layer", return_value=object()):
            relay.relay_from_worker()
        assert relay.relay_url() == ""
