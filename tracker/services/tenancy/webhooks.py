"""An organization's outgoing webhooks: their settings, the events they receive, and the
delivery of those events through the outbox.

`emit` writes one `WebhookDelivery` per active webhook subscribed to the event, in the
caller's transaction (an event is queued exactly when the write that causes it is stored),
with the exact body to post; its `dedupe_key` makes a repeated emit of the same event a
no-op. `deliver_due` (run by `tracker outbox flush` and the scheduler's outbox job) posts
the due deliveries one by one, each outcome committed before the next: sent, failed for
good, or retried after the outbox's exponential backoff until `MAX_ATTEMPTS`. Removing a
webhook archives it, so its delivery log stays readable.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from tracker.adapters import webhooks as adapter
from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import Organization, User
from tracker.models.base import utcnow
from tracker.models.outbox import WEBHOOK_EVENTS, WEBHOOK_FORMATS, Webhook, WebhookDelivery
from tracker.services.audit import audit, jsonable
from tracker.services.follow.outbox import backoff
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

log = logging.getLogger(__name__)

#: Tries of one delivery before it is marked failed (the last one about 16 min after the
#: first, with the outbox's backoff of 30 s, 1 min, 2 min...).
MAX_ATTEMPTS = 6
#: The event a "send a test" queues; no subscription needed.
TEST_EVENT = "webhook.test"
#: The fields a webhook's settings take.
FIELDS: tuple[str, ...] = ("url", "events", "format", "active", "secret")
#: The page of the record each event is about, under the organization's pages.
EVENT_PAGES: dict[str, str] = {
    "assessment.opened": "assessments/{assessment_id}",
    "assessment.closed": "assessments/{assessment_id}", "barometer.sent": "barometer",
    "initiative.status_changed": "initiatives/{initiative_id}",
    "pilot.decided": "initiatives/{initiative_id}", "decision.logged": "decisions",
    TEST_EVENT: "webhooks"}


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery run did."""

    sent: int
    retried: int
    failed: int


def new_secret() -> str:
    """A random signing secret (64 hex characters)."""
    return secrets.token_hex(32)


def masked(secret: str) -> str:
    """What is shown of a secret once created: its last four characters.

    >>> masked("0123456789abcdef")
    '…cdef'
    """
    return f"…{secret[-4:]}" if secret else ""


def settings_errors(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Every field error in a webhook's settings, by field (only the fields given)."""
    errors: dict[str, list[str]] = {}
    if "url" in data and not _is_web_url(data["url"]):
        errors["url"] = [_("Give an http:// or https:// address, such as "
                           "https://hooks.slack.com/services/…")]
    if "events" in data:
        events = list(data["events"] or [])
        unknown = sorted(set(events) - set(WEBHOOK_EVENTS))
        if unknown:
            errors["events"] = [_("Unknown events: %(events)s. Choose among %(known)s.",
                                  events=", ".join(unknown), known=", ".join(WEBHOOK_EVENTS))]
        elif not events:
            errors["events"] = [_("Choose at least one event.")]
    if "format" in data and data["format"] not in WEBHOOK_FORMATS:
        errors["format"] = [_("Choose json, slack or teams.")]
    if "secret" in data and data["secret"] is not None and len(data["secret"]) > 200:
        errors["secret"] = [_("A secret has at most 200 characters.")]
    return errors


def _is_web_url(url: Any) -> bool:
    """Whether `url` is an absolute http(s) address with a host."""
    if not isinstance(url, str) or len(url) > 2000:
        return False
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _checked(data: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of `data` (known fields only, the URL trimmed, events once each in
    the catalogue's order), or a 422 naming every bad field."""
    errors = settings_errors(data)
    if errors:
        raise InvalidInput(_("The webhook's settings are not valid."), errors=errors)
    clean = {name: data[name] for name in FIELDS if name in data}
    if "url" in clean:
        clean["url"] = clean["url"].strip()
    if "events" in clean:
        clean["events"] = [e for e in WEBHOOK_EVENTS if e in set(clean["events"])]
    return clean


def _audited(settings: Mapping[str, Any]) -> dict[str, Any]:
    """What the audit keeps of settings: everything but the secret's value."""
    return {k: ("***" if k == "secret" else v) for k, v in settings.items()}


def list_webhooks(org: Organization, page: int, per_page: int,
                  archived: bool = False) -> Page[Webhook]:
    """The organization's webhooks (or its archived ones), oldest first."""
    stmt = select(Webhook).where(Webhook.org_id == org.id).order_by(Webhook.id)
    stmt = stmt.where(Webhook.archived_at.is_not(None) if archived
                      else Webhook.archived_at.is_(None))
    return paginate(stmt, page, per_page)


def get_webhook(org: Organization, webhook_id: int) -> Webhook:
    """One of the organization's webhooks, archived ones included (404 otherwise)."""
    return get_owned(Webhook, org, webhook_id, "Webhook")


def create_webhook(org: Organization, actor: User | None,
                   data: Mapping[str, Any]) -> tuple[Webhook, str]:
    """Add a webhook (format `json` unless given); without a `secret`, one is generated.
    Answers the webhook and its secret, which the caller shows this once."""
    settings = {"format": "json", "active": True, **_checked(data)}
    if "url" not in settings or "events" not in settings:
        missing = [name for name in ("url", "events") if name not in settings]
        raise InvalidInput(_("The webhook's settings are not valid."),
                           errors={name: [_("This field is required.")] for name in missing})
    settings["secret"] = settings.get("secret") or new_secret()
    with transaction() as session:
        webhook = Webhook(org_id=org.id, **settings)
        session.add(webhook)
        session.flush()
        audit(org, actor, "webhook", webhook.id, None, "create",
              {k: [None, v] for k, v in _audited(settings).items()})
    return webhook, settings["secret"]


def update_webhook(org: Organization, actor: User | None, webhook_id: int,
                   changes: Mapping[str, Any]) -> Webhook:
    """Change a webhook's URL, events, format, secret or pause it (`active`); audited
    old → new (the secret only as changed). An archived webhook stays archived."""
    webhook = get_webhook(org, webhook_id)
    settings = _checked(changes)
    if not settings.get("secret", True):
        settings.pop("secret")
    with transaction():
        diff = {k: [getattr(webhook, k), v] for k, v in settings.items()
                if getattr(webhook, k) != v}
        for name, value in settings.items():
            setattr(webhook, name, value)
        if diff:
            audit(org, actor, "webhook", webhook.id, None, "update",
                  {k: (["***", "***"] if k == "secret" else v) for k, v in diff.items()})
    return webhook


def archive_webhook(org: Organization, actor: User | None, webhook_id: int) -> Webhook:
    """Archive a webhook: it receives nothing more, its pending deliveries are not sent
    (the next run marks them failed), and its delivery log stays."""
    webhook = get_webhook(org, webhook_id)
    with transaction():
        if webhook.archived_at is None:
            webhook.archived_at = utcnow()
            audit(org, actor, "webhook", webhook.id, None, "archive", {"url": webhook.url})
    return webhook


def list_deliveries(org: Organization, webhook_id: int, page: int,
                    per_page: int) -> Page[WebhookDelivery]:
    """A webhook's delivery log, newest first."""
    webhook = get_webhook(org, webhook_id)
    return paginate(select(WebhookDelivery).where(
        WebhookDelivery.org_id == org.id, WebhookDelivery.webhook_id == webhook.id)
        .order_by(WebhookDelivery.id.desc()), page, per_page)


def emit(org_id: int, event: str, data: Mapping[str, Any],
         key: str | None = None) -> list[WebhookDelivery]:
    """Queue `event` for every active webhook of the organization subscribed to it, in the
    caller's transaction (no commit here). The same event (the same `key`, by default the
    same event and data) is queued once per webhook: a retried emit adds nothing."""
    hooks = [h for h in db.session.scalars(select(Webhook).where(
        Webhook.org_id == org_id, Webhook.active.is_(True), Webhook.archived_at.is_(None))
        .order_by(Webhook.id)) if event in (h.events or [])]
    return _queue(org_id, hooks, event, jsonable(dict(data)), key) if hooks else []


def _queue(org_id: int, hooks: Sequence[Webhook], event: str, data: dict[str, Any],
           key: str | None) -> list[WebhookDelivery]:
    """One delivery per webhook of `hooks` not already holding this event, its body
    rendered in the webhook's format and the organization's language."""
    identity = key or json.dumps({"event": event, "data": data}, sort_keys=True, default=str)
    fingerprint = hashlib.sha256(identity.encode()).hexdigest()[:40]
    keys = {h.id: f"webhook:{h.id}:{event}:{fingerprint}" for h in hooks}
    queued = set(db.session.scalars(select(WebhookDelivery.dedupe_key).where(
        WebhookDelivery.dedupe_key.in_(list(keys.values())))))
    org = db.session.get_one(Organization, org_id)
    event_value = _event(org, event, data)
    added = []
    with force_locale(org.locale or "en"):
        for hook in hooks:
            if keys[hook.id] not in queued:
                added.append(WebhookDelivery(
                    org_id=org_id, webhook_id=hook.id, event=event, dedupe_key=keys[hook.id],
                    body=adapter.render(hook.format, event_value), status="pending",
                    attempts=0, next_attempt_at=utcnow()))
    db.session.add_all(added)
    return added


def _event(org: Organization, event: str, data: Mapping[str, Any]) -> adapter.Event:
    """The event as the adapter renders it, with the link to its record's page."""
    path = EVENT_PAGES.get(event, "").format_map(_Blank(data))
    link = f"{current_app.config['TRACKER_BASE_URL']}/orgs/{org.id}/{path}"
    return adapter.Event(event, org.id, org.name, utcnow(), data, link)


class _Blank(dict[str, Any]):
    """Data for a link's template: a missing id leaves an empty segment, never a crash."""

    def __missing__(self, key: str) -> str:
        return ""


def send_test(org: Organization, webhook_id: int, config: Mapping[str, Any]
              ) -> WebhookDelivery:
    """Queue a test message to the webhook (archived or not subscribed, whatever its
    events) and try it at once; answers the delivery with its outcome."""
    webhook = get_webhook(org, webhook_id)
    with transaction():
        delivery = _queue(org.id, [webhook], TEST_EVENT,
                          {"message": "test", "webhook_id": webhook.id},
                          f"test-{secrets.token_hex(8)}")[0]
    with transaction():
        _attempt(delivery, config, utcnow())
    return delivery


def deliver_due(config: Mapping[str, Any], now: datetime | None = None) -> DeliveryResult:
    """Post every due pending delivery, one by one, each outcome committed before the
    next is claimed: sent, failed (refused, archived, or out of tries), or retried later."""
    now = now or utcnow()
    outcomes = {"sent": 0, "retry": 0, "failed": 0}
    while (status := _deliver_next(config, now)) is not None:
        outcomes[status] += 1
    return DeliveryResult(outcomes["sent"], outcomes["retry"], outcomes["failed"])


def _deliver_next(config: Mapping[str, Any], now: datetime) -> str | None:
    """Claim the oldest due delivery, post it and record the outcome, in one transaction;
    the outcome (`sent`, `retry`, `failed`), or None when nothing is due."""
    with transaction():
        stmt = (select(WebhookDelivery).where(WebhookDelivery.status == "pending",
                                              WebhookDelivery.next_attempt_at <= now)
                .order_by(WebhookDelivery.id).limit(1))
        if db.session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        delivery = db.session.scalar(stmt)
        return None if delivery is None else _attempt(delivery, config, now)


def _attempt(delivery: WebhookDelivery, config: Mapping[str, Any], now: datetime) -> str:
    """One try of `delivery`, recorded on its row; a webhook archived since it was queued
    is not called (the delivery fails, saying so)."""
    webhook = db.session.get_one(Webhook, delivery.webhook_id)
    if webhook.archived_at is not None and delivery.event != TEST_EVENT:
        outcome = adapter.Outcome("failed", None, "The webhook is archived.")
    else:
        outcome = adapter.post(webhook.url, delivery.body, webhook.secret, delivery.event,
                               delivery.id, float(config["TRACKER_WEBHOOK_TIMEOUT"]),
                               bool(config.get("TRACKER_WEBHOOK_ALLOW_PRIVATE")))
    delivery.attempts += 1
    delivery.response_status = outcome.response_status
    delivery.last_error = outcome.error
    status = outcome.status
    if status == "retry" and delivery.attempts >= MAX_ATTEMPTS:
        status = "failed"
    if status == "sent":
        delivery.status, delivery.sent_at = "sent", utcnow()
    elif status == "failed":
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    log.info("webhook delivery %s (%s) attempt %s: %s %s", delivery.id, delivery.event,
             delivery.attempts, status, outcome.error or outcome.response_status)
    return status
