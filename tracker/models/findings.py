"""Targets (the ambition) and findings (diagnostic conclusions)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.assessments import Evidence
from tracker.models.base import Model, OrgScoped, Timestamped
from tracker.models.frameworks import Dimension

FINDING_KINDS: tuple[str, ...] = ("strength", "gap", "tension", "blind_spot")
FINDING_STATUSES: tuple[str, ...] = ("suggested", "accepted", "dismissed")


class Target(OrgScoped, Timestamped, Model):
    """The organization's target level for one dimension, valid from a date."""

    __table_args__ = (UniqueConstraint("org_id", "dimension_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dimension_id: Mapped[int] = mapped_column(ForeignKey("dimension.id", ondelete="CASCADE"),
                                              index=True)
    level: Mapped[float]
    valid_from: Mapped[date] = mapped_column(Date, default=date.today)

    dimension: Mapped[Dimension] = relationship()


finding_dimension = Table(
    "finding_dimension",
    db.metadata,
    Column("finding_id", ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True),
    Column("dimension_id", ForeignKey("dimension.id", ondelete="CASCADE"), primary_key=True),
)

finding_evidence = Table(
    "finding_evidence",
    db.metadata,
    Column("finding_id", ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True),
    Column("evidence_id", ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
)


class Finding(OrgScoped, Timestamped, Model):
    """A diagnostic conclusion: `strength`, `gap`, `tension` or `blind_spot`.

    Suggested findings carry the `suggestion_key` of the rule that produced them (e.g.
    `gap:practices.discovery`), so suggesting again neither duplicates nor revives a
    dismissed one, and the `metrics` that triggered them.
    """

    __table_args__ = (UniqueConstraint("assessment_id", "suggestion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="accepted")
    suggestion_key: Mapped[str | None] = mapped_column(String(200))
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    dimensions: Mapped[list[Dimension]] = relationship(secondary=finding_dimension)
    evidence: Mapped[list[Evidence]] = relationship(secondary=finding_evidence)
