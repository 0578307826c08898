"""Sending one claimed outbox message: build its MIME message (inline parts taken from the
batch's assets), send it through the transport, and say what became of it: sent, to retry
later (a transient error), or failed for good with the reason (it cannot be built, the
server refused it permanently, or its last allowed attempt failed). It never raises, so a
bad message is set aside and the others go.

No database here: the outbox service claims the rows, passes them in (anything with the
attributes of `Outgoing` and `Asset` will do) and records each outcome.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from tracker.adapters.email.transport import Bodies, Part, Transport, prepare_message

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
         assets: Mapping[str, Asset], max_attempts: int, bodies: Bodies | None = None
         ) -> Outcome:
    """Send `message` now and say what became of it: `failed` at once when it cannot be
    built (a line break in a header, an invalid address, a missing part) or when the server
    refuses it permanently (a 5xx reply to its recipient or its data); `retry` on any other
    SMTP or network error, a transient one, unless this was attempt number `max_attempts`
    (then `failed`). Nothing is raised: one bad message never holds back the others.
    `bodies` keeps the run's bodies, so a mailing's body is encoded once."""
    try:
        email = prepare_message(
            from_address, message.recipient, message.subject, message.text, message.html,
            [_part(assets[a["asset"]], a["cid"]) for a in message.attachments],
            message.dedupe_key, message.created_at, bodies)
    except Exception as error:  # any error here is this message's alone
        return Outcome("failed", clean(f"Cannot be built: {_describe(error)}"))
    try:
        transport.send(email)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
            smtplib.SMTPNotSupportedError) as error:
        return Outcome("failed" if _permanent(error) else _transient(message, max_attempts),
                       clean(_describe(error)))
    except (smtplib.SMTPException, OSError) as error:
        return Outcome(_transient(message, max_attempts), clean(_describe(error)))
    except Exception as error:  # the client library refused this message (an encoding)
        return Outcome("failed", clean(f"Cannot be sent: {_describe(error)}"))
    return Outcome("sent")


def _transient(message: Outgoing, max_attempts: int) -> Status:
    """After a transient error: `retry`, or `failed` once the attempts are used up."""
    return "failed" if message.attempts + 1 >= max_attempts else "retry"


def _permanent(error: smtplib.SMTPException) -> bool:
    """Whether the server refused this message for good: a 5xx reply to every recipient
    or to its data, or an extension the message needs (SMTPUTF8) that it does not offer.
    Errors of the server or the settings (connection, authentication, the sender) are
    transient for each message: they are retried, not burnt."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return True


def clean(reason: str, limit: int = 1000) -> str:
    """A reason as stored and shown: control characters escaped, at most `limit` long.

    >>> clean("550 no\\r\\nsuch user")
    '550 no\\\\r\\\\nsuch user'
    """
    escaped = "".join(char if char.isprintable() else repr(char)[1:-1] for char in reason)
    return escaped[:limit]


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
