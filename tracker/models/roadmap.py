"""Roadmap phases (named date windows) and saved roadmap baselines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Model, OrgScoped, UTCDateTime, utcnow


class Phase(OrgScoped, Model):
    """A named window of the roadmap, `[start, end)`, in the order of `position`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    position: Mapped[int] = mapped_column(default=0)


class RoadmapBaseline(OrgScoped, Model):
    """A saved plan of record: the parameters it was planned with and each initiative's
    dates, to compare the current plan against."""

    __table_args__ = (UniqueConstraint("org_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    items: Mapped[list[BaselineItem]] = relationship(cascade="all, delete-orphan",
                                                     back_populates="baseline")


class BaselineItem(Model):
    """One initiative's planned dates in a baseline (kept if the initiative is deleted)."""

    __table_args__ = (UniqueConstraint("baseline_id", "initiative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    baseline_id: Mapped[int] = mapped_column(
        ForeignKey("roadmap_baseline.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int] = mapped_column(index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)

    baseline: Mapped[RoadmapBaseline] = relationship(back_populates="items")
