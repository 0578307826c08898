"""A real SMTP server for tests and the bench: aiosmtpd on 127.0.0.1, collecting messages,
that can be told to refuse (451) and then to recover, and to refuse some recipients for good
(550)."""

from __future__ import annotations

import email
import socket
from email.message import Message
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


class Collector:
    """aiosmtpd handler: keeps every accepted message; answers 451 while `refusing`, and
    keeps the refused messages apart (`rejected`); answers 550 to the addresses of
    `unknown_recipients`."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.rejected: list[Message] = []
        self.refusing = False
        self.refused = 0
        self.unknown_recipients: set[str] = set()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.unknown_recipients:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default)
        if self.refusing:
            self.refused += 1
            self.rejected.append(message)
            return "451 4.3.0 try later"
        self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """A started aiosmtpd server with its collector; `config` points tracker at it."""

    def __init__(self) -> None:
        self.collector = Collector()
        self.port = free_port()
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    @property
    def config(self) -> dict[str, Any]:
        return {"TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_PORT": self.port,
                "TRACKER_SMTP_TLS": "off", "TRACKER_MAIL_FROM": "tracker@tracker.test"}
