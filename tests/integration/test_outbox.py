"""The outbox against a real SMTP server (aiosmtpd): delivery, retries with backoff after
a refusal, no loss and no duplicate; `.eml` files without SMTP. A message that cannot be
built (a poisoned header) or that the server refuses for good fails alone, with its reason:
the others are delivered, each once."""

from __future__ import annotations

import threading
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import select

from tests.smtp_server import SmtpServer
from tracker.adapters.email.transport import transport_for
from tracker.extensions import db
from tracker.models import Organization
from tracker.models.base import utcnow
from tracker.models.outbox import OutboxMessage
from tracker.services.follow import outbox
from tracker.services.follow.outbox import Email


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


def _queue(count: int, prefix: str = "test") -> None:
    outbox.enqueue(None, [Email(f"{prefix}:{k}", f"r{k}@example.org", f"Hello {k}",
                                f"Plain {k}", f"<p>Html {k}</p>") for k in range(count)])
    db.session.commit()


def test_queued_messages_are_delivered_once_over_smtp(app, smtp):
    _queue(3)
    _queue(3)  # same dedupe keys: nothing more is queued
    config = {**app.config, **smtp.config}
    assert outbox.deliver_pending(config) == outbox.FlushResult(3, 0, 0)
    assert outbox.deliver_pending(config) == outbox.FlushResult(0, 0, 0)
    received = smtp.collector.messages
    assert sorted(m["To"] for m in received) == [f"r{k}@example.org" for k in range(3)]
    body = received[0]
    assert body.is_multipart()
    assert [p.get_content_type() for p in body.walk()][1:] == ["text/plain", "text/html"]
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}


def test_a_refusing_server_loses_nothing_and_sends_nothing_twice_when_it_recovers(app, smtp):
    _queue(4)
    config = {**app.config, **smtp.config}
    smtp.collector.refusing = True
    start = utcnow()
    assert outbox.deliver_pending(config, now=start) == outbox.FlushResult(0, 4, 0)
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert {r.status for r in rows} == {"pending"}
    assert {r.last_error for r in rows} == {"451 4.3.0 try later"}
    assert {r.next_attempt_at for r in rows} == {start + timedelta(seconds=30)}
    smtp.collector.refusing = False
    # not due yet: the backoff holds them back
    assert outbox.deliver_pending(config, now=start + timedelta(seconds=10)).sent == 0
    assert outbox.deliver_pending(config, now=start + timedelta(seconds=31)).sent == 4
    assert outbox.deliver_pending(config, now=start + timedelta(hours=1)).sent == 0
    assert smtp.collector.refused == 4
    assert sorted(m["To"] for m in smtp.collector.messages) == [
        f"r{k}@example.org" for k in range(4)]
    db.session.expire_all()
    assert {(r.status, r.attempts) for r in db.session.scalars(select(OutboxMessage))} == {
        ("sent", 2)}


def test_a_message_refused_too_often_is_marked_failed_with_the_error(app, smtp):
    _queue(1)
    config = {**app.config, **smtp.config}
    smtp.collector.refusing = True
    moment = utcnow()
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.deliver_pending(config, now=moment)
        moment += outbox.BACKOFF_MAX
    row = db.session.scalar(select(OutboxMessage))
    assert (row.status, row.attempts, row.last_error) == (
        "failed", outbox.MAX_ATTEMPTS, "451 4.3.0 try later")


def test_without_smtp_host_messages_become_eml_files(app, tmp_path):
    _queue(2)
    config = {**app.config, "TRACKER_SMTP_HOST": None, "TRACKER_MAIL_DIR": str(tmp_path)}
    assert outbox.deliver_pending(config).sent == 2
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    assert "Subject: Hello 0" in files[0].read_text()


def test_outbox_flush_command_delivers(app, tmp_path, monkeypatch):
    _queue(1)
    monkeypatch.setitem(app.config, "TRACKER_MAIL_DIR", str(tmp_path))
    result = app.test_cli_runner().invoke(args=["outbox", "flush"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(list(tmp_path.glob("*.eml"))) == 1


def _orgs(*names: str) -> list[int]:
    """Organizations written straight to the database, their names unchecked (as rows
    stored before names were validated, or imported)."""
    orgs = [Organization(name=name) for name in names]
    db.session.add_all(orgs)
    db.session.commit()
    return [org.id for org in orgs]


# Messages no schema checked (rows stored before names were validated, or imported): the
# ways a header can be poisoned.
POISONS = {
    "CR/LF in the subject": Email(
        "poison", "r@example.org", "Acme\r\nBcc: victim@evil.test: maturity barometer", "T"),
    "a line separator in the subject": Email(
        "poison", "r@example.org", "Acme\u2028Bcc: victim@evil.test", "T"),
    "a list of recipients": Email("poison", "r@example.org, victim@evil.test", "Hi", "T"),
    "CR/LF in the recipient": Email(
        "poison", "r@example.org\r\nBcc: victim@evil.test", "Hi", "T"),
    "a missing inline part": Email("poison", "r@example.org", "Hi", "T", "<p>H</p>",
                                   ({"cid": "x@tracker", "asset": "gone"},)),
}


@pytest.mark.parametrize("poison", POISONS.values(), ids=POISONS.keys())
def test_a_message_that_cannot_be_built_fails_alone_and_the_others_are_sent_once(
        app, smtp, poison):
    first, bad, second = _orgs("Good One", "Acme\r\nBcc: victim@evil.test", "Good Two")
    outbox.enqueue(first, [Email("good:1", "one@example.org", "Good One: barometer", "1")])
    outbox.enqueue(bad, [poison])
    outbox.enqueue(second, [Email("good:2", "two@example.org", "Good Two: barometer", "2")])
    db.session.commit()
    config = {**app.config, **smtp.config}
    assert outbox.deliver_pending(config) == outbox.FlushResult(2, 0, 1)
    later = utcnow() + timedelta(days=1)
    assert outbox.deliver_pending(config, now=later) == outbox.FlushResult(0, 0, 0)
    assert sorted(m["To"] for m in smtp.collector.messages) == [
        "one@example.org", "two@example.org"]
    assert not any("victim" in str(m) for m in smtp.collector.messages)
    db.session.expire_all()
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == "poison"))
    assert (row.status, row.attempts, row.sent_at) == ("failed", 1, None)
    assert row.last_error.startswith("Cannot be built: ")
    assert "\n" not in row.last_error and "\r" not in row.last_error


def test_a_recipient_the_server_refuses_for_good_fails_and_the_others_are_delivered(
        app, smtp):
    smtp.collector.unknown_recipients = {"r1@example.org"}
    _queue(3)
    config = {**app.config, **smtp.config}
    assert outbox.deliver_pending(config) == outbox.FlushResult(2, 0, 1)
    later = utcnow() + timedelta(days=1)
    assert outbox.deliver_pending(config, now=later) == outbox.FlushResult(0, 0, 0)
    assert sorted(m["To"] for m in smtp.collector.messages) == [
        "r0@example.org", "r2@example.org"]
    db.session.expire_all()
    rows = {r.recipient: r for r in db.session.scalars(select(OutboxMessage))}
    assert (rows["r1@example.org"].status, rows["r1@example.org"].attempts) == ("failed", 1)
    assert rows["r1@example.org"].last_error == "r1@example.org: 550 5.1.1 no such user"
    assert {rows[f"r{k}@example.org"].status for k in (0, 2)} == {"sent"}


def test_a_sent_message_is_recorded_before_the_next_one_is_tried(app, smtp):
    _queue(2)
    config = {**app.config, **smtp.config}

    class Crashing:
        """The SMTP transport, with the process dying while the second message is sent."""

        def __init__(self) -> None:
            self.inner = transport_for(config)

        def __enter__(self) -> Crashing:
            self.inner.__enter__()
            return self

        def __exit__(self, *exc: Any) -> None:
            self.inner.__exit__(*exc)

        def send(self, message: EmailMessage) -> None:
            if message["To"] == "r1@example.org":
                raise KeyboardInterrupt
            self.inner.send(message)

    with pytest.raises(KeyboardInterrupt):
        outbox.deliver_pending(config, transport=Crashing())
    assert outbox.deliver_pending(config) == outbox.FlushResult(1, 0, 0)
    assert sorted(m["To"] for m in smtp.collector.messages) == [
        "r0@example.org", "r1@example.org"]


def test_two_senders_at_once_deliver_each_message_once(app, smtp):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several senders share the outbox on PostgreSQL (SKIP LOCKED)")
    _queue(40)
    config = {**app.config, **smtp.config}
    results: list[outbox.FlushResult] = []

    def flush() -> None:
        with app.app_context():
            results.append(outbox.deliver_pending(config))
            db.session.remove()

    threads = [threading.Thread(target=flush) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in results) == 40
    assert sorted(m["To"] for m in smtp.collector.messages) == sorted(
        f"r{k}@example.org" for k in range(40))
