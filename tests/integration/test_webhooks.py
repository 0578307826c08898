"""Outgoing webhooks against a real HTTP server on 127.0.0.1: signed JSON deliveries, retries
with the outbox's backoff then success, giving up, Slack and Teams bodies, dedupe, archive,
and `tracker outbox flush`."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tracker.extensions import db
from tracker.models import Organization, User
from tracker.models.outbox import WebhookDelivery
from tracker.services.decide import decisions
from tracker.services.tenancy import webhooks

SECRET = "s3cret-of-the-test"


class Receiver:
    """A real HTTP server in a thread: records every POST (path, headers, raw body) and
    answers the next status of `statuses` (200 once they run out)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": raw})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"boom")

            def log_message(self, *args: Any) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


def independent_signature(secret: str, body: bytes) -> str:
    """The signature computed here, apart from the code under test."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def org(app) -> Organization:
    org = Organization(name="Acme & Co")
    db.session.add(org)
    db.session.commit()
    return org


def _hook(org: Organization, url: str, events: list[str], fmt: str = "json") -> int:
    webhook, _ = webhooks.create_webhook(org, None, {"url": url, "events": events,
                                                     "format": fmt, "secret": SECRET})
    return webhook.id


def _log_decision(org: Organization, title: str = "Launch the pilots") -> int:
    return decisions.create_decision(org, {"title": title, "committee": "strategic",
                                           "decided_on": date(2026, 5, 28)}).id


def _deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_logged_decision_reaches_the_endpoint_signed(app, org, receiver):
    _hook(org, receiver.url, ["decision.logged"])
    decision_id = _log_decision(org)

    assert [d.status for d in _deliveries()] == ["pending"]  # queued with the decision
    result = webhooks.deliver_due(app.config)

    assert (result.sent, result.retried, result.failed) == (1, 0, 0)
    [call] = receiver.requests
    assert call["headers"]["X-Tracker-Signature"] == independent_signature(SECRET, call["body"])
    assert call["headers"]["X-Tracker-Event"] == "decision.logged"
    body = json.loads(call["body"])
    assert set(body) == {"event", "org_id", "occurred_at", "data"}
    assert (body["event"], body["org_id"]) == ("decision.logged", org.id)
    assert body["data"]["decision_id"] == decision_id
    assert body["data"]["title"] == "Launch the pilots"
    assert datetime.fromisoformat(body["occurred_at"]).tzinfo is not None
    [delivery] = _deliveries()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("sent", 1, 200)
    assert delivery.body.encode() == call["body"]  # the row keeps what was signed


def test_a_wrong_secret_does_not_verify(app, org, receiver):
    _hook(org, receiver.url, ["decision.logged"])
    _log_decision(org)
    webhooks.deliver_due(app.config)
    [call] = receiver.requests
    assert call["headers"]["X-Tracker-Signature"] != independent_signature("other",
                                                                            call["body"])


def test_a_failing_endpoint_is_retried_with_backoff_then_succeeds(app, org, receiver):
    receiver.statuses = [500, 503]
    _hook(org, receiver.url, ["decision.logged"])
    _log_decision(org)
    start = datetime(2030, 1, 1, tzinfo=UTC)

    first = webhooks.deliver_due(app.config, now=start)
    [delivery] = _deliveries()
    assert (first.retried, delivery.status, delivery.attempts) == (1, "pending", 1)
    assert delivery.response_status == 500
    assert delivery.last_error.startswith("HTTP 500")
    assert delivery.next_attempt_at == start + timedelta(seconds=30)

    assert webhooks.deliver_due(app.config, now=start + timedelta(seconds=29)).retried == 0
    assert len(receiver.requests) == 1  # not due yet

    second = start + timedelta(seconds=30)
    webhooks.deliver_due(app.config, now=second)
    [delivery] = _deliveries()
    assert (delivery.attempts, delivery.response_status) == (2, 503)
    assert delivery.next_attempt_at == second + timedelta(seconds=60)  # doubled

    third = webhooks.deliver_due(app.config, now=second + timedelta(seconds=60))
    [delivery] = _deliveries()
    assert (third.sent, delivery.status, delivery.attempts) == (1, "sent", 3)
    assert (delivery.response_status, delivery.last_error) == (200, None)
    assert len({r["body"] for r in receiver.requests}) == 1  # the same body each time


def test_a_delivery_gives_up_after_the_last_attempt(app, org, receiver):
    receiver.statuses = [500] * webhooks.MAX_ATTEMPTS
    _hook(org, receiver.url, ["decision.logged"])
    _log_decision(org)
    moment = datetime(2030, 1, 1, tzinfo=UTC)
    for _ in range(webhooks.MAX_ATTEMPTS):
        webhooks.deliver_due(app.config, now=moment)
        moment += timedelta(hours=7)  # past any backoff
    [delivery] = _deliveries()
    assert (delivery.status, delivery.attempts) == ("failed", webhooks.MAX_ATTEMPTS)
    assert webhooks.deliver_due(app.config, now=moment + timedelta(days=1)).failed == 0
    assert len(receiver.requests) == webhooks.MAX_ATTEMPTS


def test_an_unreachable_endpoint_is_logged_and_retried(app, org):
    with Receiver() as gone:
        url = gone.url
    _hook(org, url, ["decision.logged"])
    _log_decision(org)
    assert webhooks.deliver_due(app.config).retried == 1
    [delivery] = _deliveries()
    assert delivery.status == "pending"
    assert delivery.response_status is None
    assert "ConnectionError" in delivery.last_error


def test_a_refusing_endpoint_fails_at_once(app, org, receiver):
    receiver.statuses = [410]
    _hook(org, receiver.url, ["decision.logged"])
    _log_decision(org)
    assert webhooks.deliver_due(app.config).failed == 1
    [delivery] = _deliveries()
    assert (delivery.status, delivery.response_status) == ("failed", 410)


def test_a_local_address_is_refused_unless_the_operator_allows_it(app, org, receiver):
    _hook(org, receiver.url, ["decision.logged"])
    _log_decision(org)
    app.config["TRACKER_WEBHOOK_ALLOW_PRIVATE"] = False
    try:
        assert webhooks.deliver_due(app.config).failed == 1
    finally:
        app.config["TRACKER_WEBHOOK_ALLOW_PRIVATE"] = True
    [delivery] = _deliveries()
    assert receiver.requests == []
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, None)
    assert "127.0.0.1" in delivery.last_error
    assert "TRACKER_WEBHOOK_ALLOW_PRIVATE" in delivery.last_error


def test_slack_body_is_an_incoming_webhook_message(app, org, receiver):
    _hook(org, receiver.url, ["decision.logged"], fmt="slack")
    _log_decision(org, "Fund <the> platform")
    webhooks.deliver_due(app.config)
    body = json.loads(receiver.requests[0]["body"])
    assert body["text"] == "A decision is logged: “Fund <the> platform”."
    section, actions = body["blocks"]
    assert section["type"] == "section" and section["text"]["type"] == "mrkdwn"
    assert section["text"]["text"] == ("*Acme &amp; Co*\n"
                                       "A decision is logged: “Fund &lt;the&gt; platform”.")
    assert actions["elements"][0]["url"] == f"http://tracker.test/orgs/{org.id}/decisions"


def test_teams_body_is_an_adaptive_card(app, org, receiver):
    _hook(org, receiver.url, ["decision.logged"], fmt="teams")
    _log_decision(org)
    webhooks.deliver_due(app.config)
    body = json.loads(receiver.requests[0]["body"])
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    assert [b["text"] for b in card["body"]] == ["Acme & Co",
                                                 "A decision is logged: “Launch the pilots”."]
    assert card["actions"][0]["type"] == "Action.OpenUrl"


def test_chat_messages_speak_the_organizations_language(app, org, receiver):
    org.locale = "fr"
    db.session.commit()
    _hook(org, receiver.url, ["initiative.status_changed"], fmt="slack")
    webhooks.emit(org.id, "initiative.status_changed",
                  {"initiative_id": 1, "title": "Plateforme", "from": "approved",
                   "to": "in_progress", "version": 2})
    db.session.commit()
    webhooks.deliver_due(app.config)
    text = json.loads(receiver.requests[0]["body"])["text"]
    assert "en cours" in text and "in progress" not in text


def test_the_same_event_emitted_twice_is_queued_once(app, org, receiver):
    _hook(org, receiver.url, ["barometer.sent"])
    for _ in range(2):
        webhooks.emit(org.id, "barometer.sent", {"period": "2026-Q4", "recipients": 3})
        db.session.commit()
    assert len(_deliveries()) == 1


def test_only_active_subscribed_webhooks_get_the_event(app, org, receiver):
    wanted = _hook(org, receiver.url, ["decision.logged"])
    _hook(org, receiver.url, ["pilot.decided"])
    paused = _hook(org, receiver.url, ["decision.logged"])
    webhooks.update_webhook(org, None, paused, {"active": False})
    archived = _hook(org, receiver.url, ["decision.logged"])
    webhooks.archive_webhook(org, None, archived)
    other = Organization(name="Other")
    db.session.add(other)
    db.session.commit()
    _hook(other, receiver.url, ["decision.logged"])

    _log_decision(org)
    assert [d.webhook_id for d in _deliveries()] == [wanted]


def test_a_webhook_archived_after_queuing_is_not_called(app, org, receiver):
    hook = _hook(org, receiver.url, ["decision.logged"])
    _log_decision(org)
    webhooks.archive_webhook(org, None, hook)
    assert webhooks.deliver_due(app.config).failed == 1
    assert receiver.requests == []
    assert _deliveries()[0].last_error == "The webhook is archived."


def test_outbox_flush_delivers_webhooks(app, org, receiver):
    _hook(org, receiver.url, ["decision.logged"])
    _log_decision(org)
    result = app.test_cli_runner().invoke(args=["outbox", "flush"])
    assert result.exit_code == 0, result.output
    assert "webhooks: sent 1" in result.output
    assert len(receiver.requests) == 1


def test_the_scheduler_outbox_job_delivers_webhooks(app, org, receiver):
    from tracker.scheduler import jobs

    _hook(org, receiver.url, ["decision.logged"])
    _log_decision(org)
    jobs.bind(app)
    jobs.flush_outbox()
    assert len(receiver.requests) == 1


def test_a_test_message_is_sent_at_once(app, org, receiver):
    hook = _hook(org, receiver.url, ["pilot.decided"])
    delivery = webhooks.send_test(org, hook, app.config)
    assert (delivery.event, delivery.status) == ("webhook.test", "sent")
    assert json.loads(receiver.requests[0]["body"])["event"] == "webhook.test"


def test_settings_errors_name_the_field(org):
    with pytest.raises(webhooks.InvalidInput) as refused:
        webhooks.create_webhook(org, None, {"url": "ftp://x.org", "events": ["nope"],
                                            "format": "xml"})
    assert set(refused.value.errors) == {"url", "events", "format"}


def test_a_missing_secret_is_generated_and_kept(org, receiver):
    user = User(email="ann@example.org", password_hash="x")
    db.session.add(user)
    db.session.commit()
    webhook, secret = webhooks.create_webhook(org, user, {"url": receiver.url,
                                                          "events": ["decision.logged"]})
    assert len(secret) == 64 and webhook.secret == secret
    assert webhooks.masked(secret) == "…" + secret[-4:]
