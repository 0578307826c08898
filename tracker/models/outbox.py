"""The outbox: every email and every webhook call is a row first, then delivered (and
retried) by the sender."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Model, OrgScoped, Timestamped, UTCDateTime, utcnow

OUTBOX_STATUSES: tuple[str, ...] = ("pending", "sent", "failed")
WEBHOOK_EVENTS: tuple[str, ...] = ("assessment.opened", "assessment.closed", "barometer.sent",
                                   "initiative.status_changed", "pilot.decided",
                                   "decision.logged")
WEBHOOK_FORMATS: tuple[str, ...] = ("json", "slack", "teams")


class OutboxMessage(Timestamped, Model):
    """One email to one recipient; `dedupe_key` (e.g. `barometer:7:2026-Q4:ann@x.org`, and
    `...:ann@x.org#1` for its first resend) is unique, so the same message is never queued
    twice.

    `attachments` lists inline parts as `{cid, asset}`: `asset` is the key of an
    `OutboxAsset` (an image rendered once per organization and content, shared by every
    recipient's row).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxAsset(Timestamped, Model):
    """A binary part shared by many messages (a chart rendered once per organization and
    content: its key holds a hash of the chart's values), referenced from
    `OutboxMessage.attachments` by `key`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100), default="image/png")
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Webhook(OrgScoped, Timestamped, Model):
    """An organization's outgoing webhook: the `events` it receives, posted to `url` in a
    `format` (`json`, signed with `secret` as `X-Tracker-Signature`; or a Slack or Teams
    incoming-webhook message). Removing one archives it (`archived_at`), so its deliveries
    stay readable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(200), default="")
    format: Mapped[str] = mapped_column(String(10), default="json")
    active: Mapped[bool] = mapped_column(default=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookDelivery(OrgScoped, Timestamped, Model):
    """One event for one webhook: the exact `body` posted (what the signature covers), then
    its attempts: `status` (pending, sent, failed), the last `response_status` or error, and
    when the next retry is due. `dedupe_key` is unique, so an event is never queued twice."""

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id", ondelete="CASCADE"),
                                            index=True)
    event: Mapped[str] = mapped_column(String(50))
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    response_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
