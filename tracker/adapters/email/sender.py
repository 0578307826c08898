"""Sending one claimed outbox message: build its MIME message (inline parts taken from the
batch's assets), send it through the transport, and say what became of it: sent, to retry
later, or failed for good once its last allowed attempt fails, with the server's error.

No database here: the outbox service claims the rows, passes them in (anything with the
attributes of `Outgoing` and `Asset` will do) and records each outcome.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from tracker.adapters.email.transport import Part, Transport, build_message

Status = Literal["sent", "retry", "failed"]


class Outgoing(Protocol):
    """What the sender reads of a claimed message; `attempts` counts the earlier tries,
    `attachments` lists `{cid, asset}` references to the batch's assets and `created_at`
    (when it was queued) dates it."""

    @property
    def dedupe_key(self) -> str: ...

    @property
    def recipient(self) -> str: ...

    @property
    def subject(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def html(self) -> str | None: ...

    @property
    def attachments(self) -> Sequence[Mapping[str, Any]]: ...

    @property
    def attempts(self) -> int: ...

    @property
    def created_at(self) -> datetime: ...


class Asset(Protocol):
    """A part shared by many messages (a chart), stored once."""

    @property
    def filename(self) -> str: ...

    @property
    def mime(self) -> str: ...

    @property
    def content(self) -> bytes: ...


@dataclass(frozen=True)
class Outcome:
    """What became of one message, with the error when it was not sent."""

    status: Status
    error: str | None = None


def send(transport: Transport, from_address: str, message: Outgoing,
         assets: Mapping[str, Asset], max_attempts: int) -> Outcome:
    """Send `message` now; an SMTP or network error makes it `retry` (or `failed` when this
    was attempt number `max_attempts`). Any other error (a message that cannot be built)
    is raised."""
    try:
        transport.send(build_message(
            from_address, message.recipient, message.subject, message.text, message.html,
            [_part(assets[a["asset"]], a["cid"]) for a in message.attachments],
            message.dedupe_key, message.created_at))
    except (smtplib.SMTPException, OSError) as error:
        status: Status = "failed" if message.attempts + 1 >= max_attempts else "retry"
        return Outcome(status, _describe(error))
    return Outcome("sent")


def _part(asset: Asset, cid: str) -> Part:
    """An inline part of the message, from a shared asset and the message's Content-ID."""
    return Part(cid, asset.filename, asset.mime, asset.content)


def _describe(error: BaseException) -> str:
    """The server's reply (`451 4.3.0 try later`), or the error's type and message."""
    if isinstance(error, smtplib.SMTPResponseException):
        detail = error.smtp_error.decode(errors="replace") if isinstance(
            error.smtp_error, bytes) else str(error.smtp_error)
        return f"{error.smtp_code} {detail}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{rcpt}: {code} {msg.decode(errors='replace')}"
                         for rcpt, (code, msg) in error.recipients.items())
    return f"{type(error).__name__}: {error}"
