"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from tracker.extensions import db

if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as FlaskModel
    from sqlalchemy.orm import DeclarativeBase

    class Model(FlaskModel, DeclarativeBase):
        """`db.Model` as a type checker sees it: a declarative base (columns as keyword
        arguments, `__table__`, `metadata`) with Flask-SQLAlchemy's `query`. mypy cannot
        take an attribute such as `db.Model` as a base class (python/mypy#8603)."""

else:
    Model = db.Model


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (stored as such on every database)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is not None and value.tzinfo is None:
            raise ValueError("Naive datetimes are ambiguous; give a timezone.")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Timestamped:
    """Adds `created_at`, set when the row is inserted."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrgScoped:
    """Adds `org_id`: the row belongs to exactly one organization (tenant)."""

    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"),
                                        index=True)
