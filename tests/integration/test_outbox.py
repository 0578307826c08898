"""The outbox against a real SMTP server (aiosmtpd): delivery, retries with backoff after
a refusal, no loss and no duplicate; `.eml` files without SMTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.smtp_server import SmtpServer
from tracker.extensions import db
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
