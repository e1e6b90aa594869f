"""An email backend that puts messages in the outbox instead of sending them, for code
that sends through Django's email API itself (allauth's account emails)."""

from __future__ import annotations

import uuid

from django.core.mail.backends.base import BaseEmailBackend

from community.mailer.services import outbox_add


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        # Each message is new: nothing else would tell two password resets apart.
        return outbox_add((f"message:{uuid.uuid4().hex}", message) for message in email_messages)
