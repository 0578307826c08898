"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (stored as such on every database)."""
    return datetime.now(UTC)


class Timestamped:
    """Adds `created_at`, set when the row is inserted."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrgScoped:
    """Adds `org_id`: the row belongs to exactly one organization (tenant)."""

    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"),
                                        index=True)
