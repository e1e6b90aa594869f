"""Messages as the realtime protocol sends them (docs/realtime-protocol.md)."""

from __future__ import annotations

from chat.models import Message


def quote(parent: Message) -> dict:
    """What a reply shows of the message it answers."""
    return {
        "id": parent.pk,
        "author": parent.author.full_name,
        "excerpt": parent.excerpt(),
        "deleted": parent.is_deleted,
    }


def message_event(message: Message, event_type: str = "message") -> dict:
    return {
        "type": event_type,
        "room_id": message.room_id,
        "id": message.pk,
        "seq": message.seq,
        "created_seq": message.created_seq,
        "client_id": message.client_id,
        "author": {"id": message.author_id, "name": message.author.full_name},
        "html": "" if message.is_deleted else message.body_html,
        "reply_to": quote(message.reply_to) if message.reply_to else None,
        "created_at": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "deleted": message.is_deleted,
        "reactions": message.reaction_counts,
    }
