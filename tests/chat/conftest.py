"""Rooms for the chat tests: an open channel, a mentors' channel and a private group."""

from __future__ import annotations

import uuid
from unittest import mock

import pytest

from chat import services
from chat.models import Room


@pytest.fixture
def general(mentor, mentor2, newcomer) -> Room:
    """«Общий»: Алия created it; Рустем and Тимур joined."""
    room = services.channel_create(creator=mentor, name="Общий")
    services.room_join(user=mentor2, room=room)
    services.room_join(user=newcomer, room=room)
    return room


@pytest.fixture
def mentors_channel(mentor, mentor2) -> Room:
    room = services.channel_create(creator=mentor, name="Наставники", access=Room.Access.MENTORS)
    services.room_join(user=mentor2, room=room)
    return room


def send(author, room, body="Привет!", client_id=None, **kwargs):
    message, _new = services.message_send(
        author=author, room=room, body=body, client_id=client_id or uuid.uuid4().hex, **kwargs
    )
    return message


@pytest.fixture
def no_chat_rate_limit():
    """For tests that need more messages than one member may send in ten seconds."""
    with mock.patch("chat.services.rate_limit_hit"):
        yield
