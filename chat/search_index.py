"""Chat messages in the community search: found only by members of their room."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chat import rules
from chat.models import Message, Room
from community import search


def _document(message: Message) -> search.Document | None:
    if message.is_deleted:
        return None
    return search.Document(
        title=message.room.name or gettext("Direct conversation"),
        body=message.body,
        created_at=message.created_at,
        author_id=message.author_id,
        room_id=message.room_id,
    )


def _rooms_of(user) -> Q:
    return Q(room_id__in=Room.objects.filter(rules.readable_rooms(user)).values("pk"))


MESSAGES = search.SearchKind(
    key="chat.message",
    label=_("Chat messages"),
    model=Message,
    document=_document,
    visible_to=_rooms_of,
    url=lambda m: f"{reverse('chat:room', args=[m.room_id])}#message-{m.pk}",
    order=40,
)
