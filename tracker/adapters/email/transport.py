"""Turning an outbox row into a MIME message, and delivering it: over SMTP (TLS `off`,
`starttls` or `ssl`, optional authentication) or, with no SMTP host, as `.eml` files."""

from __future__ import annotations

import hashlib
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

TLS_MODES: tuple[str, ...] = ("off", "starttls", "ssl")


@dataclass(frozen=True)
class Part:
    """An inline image: its Content-ID, file name, MIME type and bytes."""

    cid: str
    filename: str
    mime: str
    content: bytes


def message_id(message_key: str, created: datetime, domain: str) -> str:
    """The Message-ID of one outbox message: readable from its key, and unique through a
    hash of the key and the message's creation time (cleaning the key alone could give two
    keys the same id, and a database started afresh reuses keys); the same on every
    attempt, so a receiver recognises a retried message.

    >>> from datetime import UTC
    >>> message_id("barometer:7:2026-Q4:ann@x.org", datetime(2026, 10, 1, 8, tzinfo=UTC),
    ...            "tracker.test")
    '<barometer.7.2026-Q4.ann.x.org.f201386fbbe49b8a@tracker.test>'
    """
    readable = re.sub(r"[^A-Za-z0-9.-]", ".", message_key)[:120]
    digest = hashlib.sha256(f"{message_key}|{created.isoformat()}".encode()).hexdigest()
    return f"<{readable}.{digest[:16]}@{domain}>"


def build_message(sender: str, recipient: str, subject: str, text: str, html: str | None,
                  parts: list[Part], message_key: str, created: datetime) -> EmailMessage:
    """A `multipart/alternative` message (plain text, then HTML with `multipart/related`
    inline images referenced as `cid:`), dated when it was queued (`created`, timezone
    aware) and with a Message-ID stable per outbox message (`message_id`).

    Headers are never pasted text: the recipient is one `Address` parsed from its
    `addr_spec` (a list, a display name or a line break is refused), the sender is parsed
    by the header registry (a display name is quoted or encoded), and a line break in the
    subject is refused, each with a `ValueError`: such a message cannot be built."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(addr_spec=recipient)
    message["Subject"] = subject
    message["Date"] = format_datetime(created)
    domain = message["From"].addresses[0].domain if message["From"].addresses else ""
    message["Message-ID"] = message_id(message_key, created, domain or "localhost")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
        *_, html_part = message.iter_parts()
        for part in parts:
            maintype, _, subtype = part.mime.partition("/")
            html_part.add_related(part.content, maintype=maintype, subtype=subtype,
                                  cid=f"<{part.cid}>", filename=part.filename,
                                  disposition="inline")
    return message


class Transport(Protocol):
    """Sends messages; used as a context manager around a batch."""

    def __enter__(self) -> Transport: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def send(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    """One SMTP connection for a batch of messages, opened lazily and reopened after an
    error (a failed message does not poison the next ones)."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host = config["TRACKER_SMTP_HOST"]
        self.port = int(config.get("TRACKER_SMTP_PORT") or 25)
        self.user = config.get("TRACKER_SMTP_USER")
        self.password = config.get("TRACKER_SMTP_PASSWORD")
        self.tls = (config.get("TRACKER_SMTP_TLS") or "off").lower()
        self.timeout = float(config.get("TRACKER_SMTP_TIMEOUT", 30))
        if self.tls not in TLS_MODES:
            raise ValueError(f"TRACKER_SMTP_TLS must be one of {', '.join(TLS_MODES)}.")
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._close()

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.tls == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                  context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.tls == "starttls":
                smtp.starttls(context=context)
        if self.user:
            smtp.login(self.user, self.password or "")
        return smtp

    def _close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def send(self, message: EmailMessage) -> None:
        """Send one message; on any error the connection is dropped and the error raised
        (after a failure half-way through, the session is in no state to go on)."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(message)
        except Exception:
            self._close()
            raise


class FileTransport:
    """Writes each message as an `.eml` file in a folder (no SMTP host configured)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def __enter__(self) -> FileTransport:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, message: EmailMessage) -> None:
        """Write the message under a name derived from its Message-ID (rewritten if the
        same message is delivered again, never duplicated)."""
        name = re.sub(r"[^A-Za-z0-9.-]", "_", message["Message-ID"].strip("<>"))
        (self.folder / f"{name}.eml").write_bytes(bytes(message))


def transport_for(config: Mapping[str, Any]) -> SmtpTransport | FileTransport:
    """SMTP when `TRACKER_SMTP_HOST` is set, `.eml` files in `TRACKER_MAIL_DIR` otherwise."""
    if config.get("TRACKER_SMTP_HOST"):
        return SmtpTransport(config)
    return FileTransport(config["TRACKER_MAIL_DIR"])
