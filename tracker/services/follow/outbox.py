"""The outbox: emails are rows written in the same transaction as the work that causes
them, then delivered by `deliver_pending` with retries and exponential backoff.

A crash or an SMTP outage loses nothing (the row stays pending), and a re-run sends
nothing twice (the `dedupe_key` is unique and a sent row is never claimed again). On
PostgreSQL, rows are claimed with `FOR UPDATE SKIP LOCKED`, so several senders share the
work without sending a message twice. Building and sending each message, and telling a
retry from a failure, is the sender's (`tracker.adapters.email.sender`); this module
claims the rows and records the outcomes, with the backoff, one transaction per message:
a message is marked sent before the next is tried, so whatever happens to another one (a
message that cannot be built, a refusal, a crash) never sends it again, and a message that
cannot be built or is refused for good is marked `failed` with the reason while the others
go.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from tracker.adapters.email import sender
from tracker.adapters.email.transport import Bodies, Transport, transport_for
from tracker.extensions import db
from tracker.models.base import utcnow
from tracker.models.outbox import OutboxAsset, OutboxMessage
from tracker.services.pagination import Page, paginate
from tracker.services.unit_of_work import transaction

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=6)


@dataclass(frozen=True)
class Email:
    """A message to queue: `attachments` are `{cid, asset}` references to `OutboxAsset`s."""

    dedupe_key: str
    recipient: str
    subject: str
    text: str
    html: str | None = None
    attachments: tuple[Mapping[str, str], ...] = ()


@dataclass(frozen=True)
class FlushResult:
    """What one delivery run did."""

    sent: int
    retried: int
    failed: int


def enqueue(org_id: int | None, emails: Iterable[Email]) -> list[OutboxMessage]:
    """Queue messages in the caller's transaction (no commit here); a message whose
    `dedupe_key` is already in the outbox is skipped. Returns the rows added."""
    emails = list(emails)
    keys = [e.dedupe_key for e in emails]
    existing = set(db.session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))))
    added = []
    for email in emails:
        if email.dedupe_key in existing:
            continue
        existing.add(email.dedupe_key)
        added.append(OutboxMessage(org_id=org_id, dedupe_key=email.dedupe_key,
                                   recipient=email.recipient, subject=email.subject,
                                   text=email.text, html=email.html,
                                   attachments=[dict(a) for a in email.attachments],
                                   status="pending", attempts=0, next_attempt_at=utcnow()))
    db.session.add_all(added)
    return added


def store_asset(key: str, filename: str, content: bytes, mime: str = "image/png") -> None:
    """Keep a shared part (a chart) once, in the caller's transaction; kept if present."""
    if db.session.scalar(select(OutboxAsset.id).where(OutboxAsset.key == key)) is None:
        db.session.add(OutboxAsset(key=key, filename=filename, mime=mime, content=content))


def backoff(attempts: int) -> timedelta:
    """Delay before the next try: 30 s, 1 min, 2 min, ... capped at 6 h.

    >>> backoff(1), backoff(3)
    (datetime.timedelta(seconds=30), datetime.timedelta(seconds=120))
    """
    return min(BACKOFF_BASE * 2 ** (attempts - 1), BACKOFF_MAX)


def deliver_pending(config: Mapping[str, Any], now: datetime | None = None,
                    transport: Transport | None = None) -> FlushResult:
    """Deliver every due pending message, one by one over one connection, each outcome
    committed before the next message is claimed: sent, failed with its reason, or retried
    after the backoff. A body shared by many messages (a mailing) is encoded once."""
    now = now or utcnow()
    outcomes: Counter[str] = Counter()
    assets: dict[str, sender.Asset] = {}
    bodies = Bodies()
    active = transport or transport_for(config)
    with active:
        while (status := _deliver_next(config, active, assets, bodies, now)) is not None:
            outcomes[status] += 1
    return FlushResult(outcomes["sent"], outcomes["retry"], outcomes["failed"])


def _deliver_next(config: Mapping[str, Any], transport: Transport,
                  assets: dict[str, sender.Asset], bodies: Bodies,
                  now: datetime) -> str | None:
    """Claim the next due message, send it and record the outcome, in one transaction;
    the outcome's status, or None when no message is due."""
    with transaction():
        message = _claim(now)
        if message is None:
            return None
        outcome = sender.send(transport, config["TRACKER_MAIL_FROM"], message,
                              _load_assets(message, assets), MAX_ATTEMPTS, bodies)
        _record(message, outcome, now)
    return outcome.status


def _claim(now: datetime) -> OutboxMessage | None:
    """The oldest due pending row, locked until its outcome is committed (on PostgreSQL,
    rows another sender holds are skipped); a handled row leaves the due set (sent, failed,
    or retried later), so the loop of `deliver_pending` ends."""
    stmt = (select(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id).limit(1))
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return db.session.scalar(stmt)


def _record(message: OutboxMessage, outcome: sender.Outcome, now: datetime) -> None:
    """One more attempt on the row: sent, failed for good, or due again after the backoff."""
    message.attempts += 1
    message.last_error = outcome.error
    if outcome.status == "sent":
        message.status = "sent"
        message.sent_at = utcnow()
    elif outcome.status == "failed":
        message.status = "failed"
    else:
        message.next_attempt_at = now + backoff(message.attempts)


@dataclass(frozen=True)
class _Asset:
    """A shared part as read once per delivery run (the rows expire at each commit)."""

    filename: str
    mime: str
    content: bytes


def _load_assets(message: OutboxMessage,
                 assets: dict[str, sender.Asset]) -> dict[str, sender.Asset]:
    """`assets`, completed with the shared parts `message` names that it lacks: a chart
    every recipient's message shows is read once per run. A malformed reference is left
    to the sender, which marks the message failed."""
    wanted = {a.get("asset") for a in message.attachments or [] if isinstance(a, Mapping)}
    missing = wanted - set(assets)
    if missing:
        assets.update({a.key: _Asset(a.filename, a.mime, a.content) for a in db.session.scalars(
            select(OutboxAsset).where(OutboxAsset.key.in_(missing)))})
    return assets


def list_messages(org_id: int, page: int, per_page: int,
                  status: str | None = None) -> Page[OutboxMessage]:
    """The organization's emails, newest first, optionally of one status (`pending`,
    `sent`, `failed`): what the schedules page shows."""
    stmt = (select(OutboxMessage).where(OutboxMessage.org_id == org_id)
            .order_by(OutboxMessage.id.desc()))
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    return paginate(stmt, page, per_page)
