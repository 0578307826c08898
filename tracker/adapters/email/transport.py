"""Turning an outbox row into a MIME message, and delivering it: over SMTP (TLS `off`,
`starttls` or `ssl`, optional authentication) or, with no SMTP host, as `.eml` files.

A message's body (its text, HTML and inline images, encoded) is the costly part of building
it, and the same for every recipient of a mailing: `prepare_message` flattens it once per
content (`Bodies`, one per delivery run) and gives each recipient only their own headers
(To, Date, Message-ID), built and checked by the email package as before.
"""

from __future__ import annotations

import hashlib
import io
import re
import smtplib
import ssl
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
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
                  parts: Sequence[Part], message_key: str, created: datetime) -> EmailMessage:
    """A `multipart/alternative` message (plain text, then HTML with `multipart/related`
    inline images referenced as `cid:`), dated when it was queued (`created`, timezone
    aware) and with a Message-ID stable per outbox message (`message_id`).

    Headers are never pasted text: the recipient is one `Address` parsed from its
    `addr_spec` (a list, a display name or a line break is refused), the sender is parsed
    by the header registry (a display name is quoted or encoded), and a line break in the
    subject is refused, each with a `ValueError`: such a message cannot be built."""
    message = _headers(sender, recipient, subject, message_key, created)
    _set_body(message, text, html, parts)
    return message


def _headers(sender: str, recipient: str, subject: str, message_key: str,
             created: datetime) -> EmailMessage:
    """A message of the headers only (From, To, Subject, Date, Message-ID), checked."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(addr_spec=recipient)
    message["Subject"] = subject
    message["Date"] = format_datetime(created)
    domain = message["From"].addresses[0].domain if message["From"].addresses else ""
    message["Message-ID"] = message_id(message_key, created, domain or "localhost")
    return message


def _set_body(message: EmailMessage, text: str, html: str | None,
              parts: Sequence[Part]) -> None:
    """The text, the HTML alternative and its inline images, into `message`."""
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
        *_, html_part = message.iter_parts()
        for part in parts:
            maintype, _, subtype = part.mime.partition("/")
            html_part.add_related(part.content, maintype=maintype, subtype=subtype,
                                  cid=f"<{part.cid}>", filename=part.filename,
                                  disposition="inline")


@dataclass(frozen=True)
class Prepared:
    """A message ready to send: its envelope, its headers by name (`message["To"]`) and its
    bytes as sent (CRLF line ends); `built` is the whole message for one whose addresses are
    not ASCII (sent as built, over SMTPUTF8)."""

    envelope_from: str
    recipient: str
    headers: Mapping[str, str]
    data: bytes
    built: EmailMessage | None = None

    def __getitem__(self, name: str) -> str | None:
        return self.headers.get(name)

    def __bytes__(self) -> bytes:
        return self.data


class Bodies:
    """The flattened bodies of a delivery run, by content (the `size` most recent): a
    mailing's body is encoded once, whatever the number of its recipients."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self.built = 0
        self._bodies: OrderedDict[Hashable, bytes] = OrderedDict()
        self._common: dict[tuple[str, str], tuple[str, str, str, bytes, bytes, str]] = {}

    def headers(self, sender: str, subject: str, recipient: str, message_key: str,
                created: datetime) -> tuple[str, dict[str, str], bytes] | None:
        """A recipient's headers, the same bytes as `_headers` folded: From and Subject
        built and checked by the email package once per run (`_headers`), To, Date and
        Message-ID written as the package writes them when they are plain (a plain ASCII
        address, To and Date lines of at most 78 characters, a Message-ID of our own
        characters, which the package moves to a line of its own when that makes it fit);
        None for any other message, which is then built whole by the email package."""
        if not _PLAIN_ADDRESS.fullmatch(recipient):
            return None
        common = self._common.get((sender, subject))
        if common is None:
            head = _headers(sender, "probe@example.org", subject, "probe", _PROBE)
            envelope_from = getaddresses([str(head["From"])])[0][1]
            if not envelope_from.isascii() or not _PLAIN_DOMAIN.fullmatch(
                    head["From"].addresses[0].domain if head["From"].addresses else "x"):
                return None
            domain = head["From"].addresses[0].domain if head["From"].addresses else ""
            common = (envelope_from, str(head["From"]), str(head["Subject"]),
                      _folded_one(head, "From"), _folded_one(head, "Subject"),
                      domain or "localhost")
            self._common[(sender, subject)] = common
        envelope_from, from_text, subject_text, from_line, subject_line, domain = common
        date = format_datetime(created)
        identifier = message_id(message_key, created, domain)
        lines = [f"To: {recipient}", f"Date: {date}"]
        if any(len(line) > _LINE for line in lines):
            return None
        to_line, date_line = (f"{line}\r\n".encode() for line in lines)
        # one token, never cut: on its own line when the header's is too long and it fits
        id_line = (f"Message-ID:\r\n {identifier}\r\n"
                   if len(identifier) + 12 > _LINE and len(identifier) + 1 <= _LINE
                   else f"Message-ID: {identifier}\r\n").encode()
        headers = {"From": from_text, "To": recipient, "Subject": subject_text, "Date": date,
                   "Message-ID": identifier}
        return envelope_from, headers, from_line + to_line + subject_line + date_line + id_line

    def body(self, text: str, html: str | None, parts: Sequence[Part]) -> bytes:
        """The MIME headers and body of this content, flattened once."""
        key = (text, html, tuple((p.cid, p.filename, p.mime, id(p.content)) for p in parts))
        found = self._bodies.get(key)
        if found is None:
            template = EmailMessage()
            _set_body(template, text, html, parts)
            found = _flatten(template)
            self.built += 1
            self._bodies[key] = found
            while len(self._bodies) > self.size:
                self._bodies.popitem(last=False)
        else:
            self._bodies.move_to_end(key)
        return found


_PROBE = datetime(2000, 1, 1, tzinfo=UTC)


def _folded_one(head: EmailMessage, name: str) -> bytes:
    """One header of the message as `smtplib.send_message` sends it."""
    return head.policy.clone(linesep="\r\n").fold_binary(name, head[name])


def _flatten(message: EmailMessage) -> bytes:
    """The message's bytes as `smtplib.send_message` sends them (CRLF line ends)."""
    with io.BytesIO() as out:
        BytesGenerator(out).flatten(message, linesep="\r\n")
        return out.getvalue()


def prepare_message(sender: str, recipient: str, subject: str, text: str, html: str | None,
                    parts: Sequence[Part], message_key: str, created: datetime,
                    bodies: Bodies | None = None) -> Prepared:
    """`build_message`, ready to send: the same headers (checked the same way: a
    `ValueError` when it cannot be built) and the body of `bodies` (flattened once per
    content), or the whole message built for one whose addresses are not ASCII."""
    if (bodies is not None and (fast := bodies.headers(sender, subject, recipient,
                                                       message_key, created)) is not None):
        envelope_from, headers, own = fast
    else:
        head = _headers(sender, recipient, subject, message_key, created)
        envelope_from = getaddresses([str(head["From"])])[0][1]
        headers = {name: str(value) for name, value in head.items()}
        if not (envelope_from.isascii() and recipient.isascii()):
            _set_body(head, text, html, parts)
            return Prepared(envelope_from, recipient, headers, bytes(head), head)
        own = _folded(head)
    body = (bodies or Bodies()).body(text, html, parts)
    return Prepared(envelope_from, recipient, headers, own + body)


def _folded(head: EmailMessage) -> bytes:
    """The message's headers as `smtplib.send_message` sends them."""
    policy = head.policy.clone(linesep="\r\n")
    return b"".join(policy.fold_binary(name, value) for name, value in head.items())


#: An address whose header the email package writes as given: a plain ASCII
#: `local@domain` with no character to quote or encode.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                            r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PLAIN_DOMAIN = re.compile(r"[A-Za-z0-9.-]+")
#: Longest header line written as given (beyond, the email package folds).
_LINE = 78


class Transport(Protocol):
    """Sends messages; used as a context manager around a batch."""

    def __enter__(self) -> Transport: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def send(self, message: Prepared) -> None: ...


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

    def send(self, message: Prepared) -> None:
        """Send one message over the batch's connection; on any error the connection is
        dropped and the error raised (after a failure half-way through, the session is in
        no state to go on)."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            if message.built is not None:
                self._smtp.send_message(message.built)
            else:
                self._smtp.sendmail(message.envelope_from, [message.recipient], message.data)
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

    def send(self, message: Prepared) -> None:
        """Write the message under a name derived from its Message-ID (rewritten if the
        same message is delivered again, never duplicated)."""
        name = re.sub(r"[^A-Za-z0-9.-]", "_", (message["Message-ID"] or "").strip("<>"))
        (self.folder / f"{name}.eml").write_bytes(bytes(message))


def transport_for(config: Mapping[str, Any]) -> SmtpTransport | FileTransport:
    """SMTP when `TRACKER_SMTP_HOST` is set, `.eml` files in `TRACKER_MAIL_DIR` otherwise."""
    if config.get("TRACKER_SMTP_HOST"):
        return SmtpTransport(config)
    return FileTransport(config["TRACKER_MAIL_DIR"])
