"""Initiatives (backlog items), their expected uplifts and dependencies."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import OrgScoped, Timestamped
from tracker.models.findings import Finding
from tracker.models.frameworks import Dimension

INITIATIVE_STATUSES: tuple[str, ...] = ("proposed", "approved", "in_progress", "piloting",
                                        "done", "dropped")
CLASSES: tuple[str, ...] = ("quick_win", "structural_lever", "standard")

initiative_finding = Table(
    "initiative_finding",
    db.metadata,
    Column("initiative_id", ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True),
    Column("finding_id", ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True),
)


class Initiative(OrgScoped, Timestamped, db.Model):
    """A backlog item of the transformation, with the inputs of every prioritization method."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    owner: Mapped[str | None] = mapped_column(String(200))
    duration_weeks: Mapped[float | None]
    load: Mapped[float | None]
    business_value: Mapped[float | None]
    time_criticality: Mapped[float | None]
    risk_reduction: Mapped[float | None]
    job_size: Mapped[float | None]
    reach: Mapped[float | None]
    impact: Mapped[float | None]
    confidence: Mapped[float | None]
    effort: Mapped[float | None]
    ease: Mapped[float | None]
    class_override: Mapped[str | None] = mapped_column(String(20))
    pinned_start: Mapped[date | None] = mapped_column(Date)
    actual_start: Mapped[date | None] = mapped_column(Date)
    actual_end: Mapped[date | None] = mapped_column(Date)

    findings: Mapped[list[Finding]] = relationship(secondary=initiative_finding)
    uplifts: Mapped[list[Uplift]] = relationship(cascade="all, delete-orphan",
                                                 back_populates="initiative")


class Uplift(db.Model):
    """The expected uplift of an initiative on one dimension (in scale levels)."""

    __table_args__ = (UniqueConstraint("initiative_id", "dimension_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"),
                                               index=True)
    dimension_id: Mapped[int] = mapped_column(ForeignKey("dimension.id", ondelete="CASCADE"),
                                              index=True)
    expected: Mapped[float]

    initiative: Mapped[Initiative] = relationship(back_populates="uplifts")
    dimension: Mapped[Dimension] = relationship()


class Dependency(OrgScoped, Timestamped, db.Model):
    """`dependent` cannot start before `prerequisite` finishes (+ `lag_weeks`)."""

    __table_args__ = (UniqueConstraint("prerequisite_id", "dependent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prerequisite_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True)
    dependent_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"),
                                              index=True)
    lag_weeks: Mapped[float] = mapped_column(default=0.0)
