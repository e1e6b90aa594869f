"""A real SMTP server for the tests (aiosmtpd), on a free port of the loopback.

It can be stopped and started again on the same port, refuse recipients, and demand a
password, like the city's mail server on a bad day.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.chat.live import free_port


@dataclass
class Inbox:
    """What the server accepted, and the addresses it refuses (550)."""

    refused: set[str] = field(default_factory=set)
    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self) -> list[str]:
        with self.lock:
            return sorted(str(m["To"]) for m in self.messages)


class SMTPServer:
    def __init__(self, *, password: str | None = None) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.password = password
        self._controller: Controller | None = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == b"robot"
            and auth_data.password == (self.password or "").encode()
        )
        # handled=False: aiosmtpd answers a failure with 535 itself (handled=True stays silent).
        return AuthResult(success=ok, handled=False)

    def start(self) -> None:
        options: dict = {}
        if self.password is not None:
            options = {
                "authenticator": self._authenticate,
                "auth_required": True,
                "auth_require_tls": False,
            }
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def settings(self, **extra) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 5,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            **extra,
        }
