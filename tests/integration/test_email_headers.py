"""Every email leaves with a `Date` (when it was queued) and a `Message-ID` that is unique
to its outbox message and the same on every attempt, as the real SMTP server (aiosmtpd)
receives them."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime

from sqlalchemy import select

from tests.smtp_server import SmtpServer
from tracker.extensions import db
from tracker.models.base import utcnow
from tracker.models.outbox import OutboxMessage
from tracker.services.follow import outbox
from tracker.services.follow.outbox import Email

# two keys that read alike once cleaned for a Message-ID ('+' and '.' both become '.')
KEYS = ("test:ann+news@example.org", "test:ann.news@example.org")


def _queue() -> dict[str, OutboxMessage]:
    """Two messages, to two addresses, queued now; their rows by recipient."""
    rows = outbox.enqueue(None, [Email(key, key.split(":")[1], "Hello", "Plain", "<p>Html</p>")
                                 for key in KEYS])
    db.session.commit()
    return {row.recipient: row for row in rows}


def test_messages_arrive_dated_when_queued_with_a_message_id_of_their_own(app):
    rows = _queue()
    with SmtpServer() as smtp:
        assert outbox.deliver_pending({**app.config, **smtp.config}).sent == 2
        received = {m["To"]: m for m in smtp.collector.messages}
    ids = {to: m["Message-ID"] for to, m in received.items()}
    assert len(set(ids.values())) == 2, ids
    for to, message in received.items():
        assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(
            "@tracker.test>")
        sent_date = parsedate_to_datetime(message["Date"])
        assert sent_date.tzinfo is not None
        assert abs(sent_date - rows[to].created_at) < timedelta(seconds=1)


def test_a_retried_message_keeps_its_date_and_message_id(app):
    _queue()
    start = utcnow()
    with SmtpServer() as smtp:
        config = {**app.config, **smtp.config}
        smtp.collector.refusing = True
        assert outbox.deliver_pending(config, now=start).retried == 2
        smtp.collector.refusing = False
        later = start + outbox.BACKOFF_BASE + timedelta(seconds=1)
        assert outbox.deliver_pending(config, now=later).sent == 2
        refused = {m["To"]: (m["Date"], m["Message-ID"]) for m in smtp.collector.rejected}
        accepted = {m["To"]: (m["Date"], m["Message-ID"]) for m in smtp.collector.messages}
    assert accepted == refused
    assert all(date and message_id for date, message_id in accepted.values())
    db.session.expire_all()
    assert {r.attempts for r in db.session.scalars(select(OutboxMessage))} == {2}
