"""The outbox: emails are rows written in the same transaction as the work that causes
them, then delivered by `deliver_pending` with retries and exponential backoff.

A crash or an SMTP outage loses nothing (the row stays pending), and a re-run sends
nothing twice (the `dedupe_key` is unique and a sent row is never claimed again). Rows
are claimed a batch at a time, in one committed transaction that moves their due time a
lease ahead (on PostgreSQL with `FOR UPDATE SKIP LOCKED`), so several senders share the
work without sending a message twice. Building and sending each message, and telling a
retry from a failure, is the sender's (`tracker.adapters.email.sender`); this module
claims the rows and records the outcomes, with the backoff, one transaction per message:
a message is marked sent before the next is tried, so whatever happens to another one (a
message that cannot be built, a refusal, a crash) never sends it again, and a message that
cannot be built or is refused for good is marked `failed` with the reason while the others
go.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, select, update

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
#: Rows claimed at once, then sent and recorded one by one.
BATCH = 100
#: How long claimed rows are kept from other senders: a batch stops after half of it.
LEASE = timedelta(minutes=10)
#: The outbox's table, as Core statements write it.
_TABLE = cast(Table, OutboxMessage.__table__)
#: The columns the sender reads of a claimed row.
_COLUMNS = ("id", "dedupe_key", "recipient", "subject", "text", "html", "attachments",
            "attempts", "created_at")


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
    committed before the next message is sent: sent, failed with its reason, or retried
    after the backoff. A body shared by many messages (a mailing) is encoded once."""
    now = now or utcnow()
    outcomes: Counter[str] = Counter()
    assets: dict[str, sender.Asset] = {}
    bodies = Bodies()
    active = transport or transport_for(config)
    with active:
        while batch := _claim(now):
            _deliver_batch(config, active, assets, bodies, now, batch, outcomes)
    return FlushResult(outcomes["sent"], outcomes["retry"], outcomes["failed"])


@dataclass(frozen=True)
class _Claimed:
    """A claimed row as the sender reads it, with the due time it had before the claim."""

    id: int
    dedupe_key: str
    recipient: str
    subject: str
    text: str
    html: str | None
    attachments: list[Any]
    attempts: int
    created_at: datetime
    due: datetime


def _claim(now: datetime) -> list[_Claimed]:
    """Claim the next `BATCH` due pending rows, oldest first, in one committed
    transaction: their due time moves to `now + LEASE`, so that no other sender takes them
    (on PostgreSQL, rows another sender is claiming are skipped). A row's outcome gives it
    its own due time; a row left unsent gets its old one back (`_release`), and after a
    hard crash it is due again once the lease is over."""
    table = _TABLE
    stmt = (select(*(table.c[name] for name in _COLUMNS), table.c.next_attempt_at.label("due"))
            .where(table.c.status == "pending", table.c.next_attempt_at <= now)
            .order_by(table.c.id).limit(BATCH))
    with transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        batch = [_Claimed(**row._mapping) for row in session.execute(stmt)]
        if batch:
            session.execute(update(table).where(table.c.id.in_([m.id for m in batch]))
                            .values(next_attempt_at=now + LEASE))
    return batch


def _deliver_batch(config: Mapping[str, Any], transport: Transport,
                   assets: dict[str, sender.Asset], bodies: Bodies, now: datetime,
                   batch: list[_Claimed], outcomes: Counter[str]) -> None:
    """Send the claimed messages in order, each outcome committed before the next message
    is sent; whatever is left unsent (an error, half the lease gone by) is released."""
    deadline = time.monotonic() + LEASE.total_seconds() / 2
    done = 0
    with db.engine.connect() as connection:
        try:
            for message in batch:
                if time.monotonic() > deadline:
                    break
                outcome = sender.send(transport, config["TRACKER_MAIL_FROM"], message,
                                      _load_assets(message, assets), MAX_ATTEMPTS, bodies)
                _record(connection, message, outcome, now)
                done += 1
                outcomes[outcome.status] += 1
        finally:
            _release(connection, batch[done:])


#: One attempt's outcome on its row, and a claimed row's due time given back.
_OUTCOME = (update(_TABLE)
            .where(_TABLE.c.id == bindparam("row_id"))
            .values(status=bindparam("status"), attempts=bindparam("attempts"),
                    last_error=bindparam("last_error"), sent_at=bindparam("sent_at"),
                    next_attempt_at=bindparam("due")))
_DUE = (update(_TABLE)
        .where(_TABLE.c.id == bindparam("row_id"))
        .values(next_attempt_at=bindparam("due")))


def _record(connection: Connection, message: _Claimed, outcome: sender.Outcome,
            now: datetime) -> None:
    """One more attempt on the row, committed at once (on the batch's connection: the
    session's unit of work holds nothing here): sent, failed for good, or due again after
    the backoff."""
    attempts = message.attempts + 1
    retry = outcome.status == "retry"
    params = {"row_id": message.id, "attempts": attempts, "last_error": outcome.error,
              "status": "pending" if retry else outcome.status,
              "sent_at": utcnow() if outcome.status == "sent" else None,
              "due": now + backoff(attempts) if retry else message.due}
    with connection.begin():
        connection.execute(_OUTCOME, params)


def _release(connection: Connection, unsent: Iterable[_Claimed]) -> None:
    """Give claimed rows that were not sent their due time back (committed)."""
    params = [{"row_id": m.id, "due": m.due} for m in unsent]
    if params:
        with connection.begin():
            connection.execute(_DUE, params)


@dataclass(frozen=True)
class _Asset:
    """A shared part as read once per delivery run (the rows expire at each commit)."""

    filename: str
    mime: str
    content: bytes


def _load_assets(message: _Claimed,
                 assets: dict[str, sender.Asset]) -> dict[str, sender.Asset]:
    """`assets`, completed with the shared parts `message` names that it lacks: a chart
    every recipient's message shows is read once per run. A malformed reference is left
    to the sender, which marks the message failed."""
    wanted = {a.get("asset") for a in message.attachments or [] if isinstance(a, Mapping)}
    missing = wanted - set(assets)
    if missing:
        with transaction() as session:
            assets.update({a.key: _Asset(a.filename, a.mime, a.content)
                           for a in session.scalars(
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
