"""Initiatives (backlog items), their expected uplifts and dependencies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import Model, OrgScoped, Timestamped, UTCDateTime, utcnow
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


class Initiative(OrgScoped, Timestamped, Model):
    """A backlog item of the transformation, with the inputs of every prioritization method."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    #: who carries it: a member's name (the form offers the members) or free text
    owner: Mapped[str | None] = mapped_column(String(200))
    duration_weeks: Mapped[float | None]
    #: a three-point estimate in weeks (optimistic ≤ likely ≤ pessimistic) for the forecast
    estimate_optimistic: Mapped[float | None]
    estimate_likely: Mapped[float | None]
    estimate_pessimistic: Mapped[float | None]
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
    #: The playbook template the initiative was adopted from, if any.
    template_code: Mapped[str | None] = mapped_column(String(100))
    #: the item's key and address in the tool it came from or goes to (Jira's `Issue key`)
    external_key: Mapped[str | None] = mapped_column(String(100), index=True)
    external_url: Mapped[str | None] = mapped_column(String(2000))
    #: When it was archived: out of the backlog and the plan, kept with its history.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Counts the writes of the row, from 1: the ORM adds one at every UPDATE and refuses
    #: (`StaleDataError`) an UPDATE or DELETE of a row another transaction changed since it
    #: was read; services also add one for changes stored in other tables (links, uplifts,
    #: raters). Clients send it back (`If-Match`) so that a stale edit is refused.
    version: Mapped[int] = mapped_column(server_default="1")

    findings: Mapped[list[Finding]] = relationship(secondary=initiative_finding)
    uplifts: Mapped[list[Uplift]] = relationship(cascade="all, delete-orphan",
                                                 back_populates="initiative")
    criterion_scores: Mapped[list[CriterionScore]] = relationship(cascade="all, delete-orphan")
    rater_inputs: Mapped[list[RaterInput]] = relationship(cascade="all, delete-orphan",
                                                          order_by="RaterInput.rater")

    __mapper_args__ = {"version_id_col": version}

    @property
    def estimate(self) -> dict[str, float] | None:
        """The three-point estimate as the API shows it, or none while a point is missing."""
        points = {"optimistic": self.estimate_optimistic, "likely": self.estimate_likely,
                  "pessimistic": self.estimate_pessimistic}
        if any(value is None for value in points.values()):
            return None
        return {name: float(value) for name, value in points.items() if value is not None}


class Uplift(Model):
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


class Dependency(OrgScoped, Timestamped, Model):
    """`dependent` cannot start before `prerequisite` finishes (+ `lag_weeks`)."""

    __table_args__ = (UniqueConstraint("prerequisite_id", "dependent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prerequisite_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True)
    dependent_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"),
                                              index=True)
    lag_weeks: Mapped[float] = mapped_column(default=0.0)


class ScorecardCriterion(OrgScoped, Model):
    """One criterion of the organization's scorecard: a `benefit` or a `cost`, weighted."""

    __table_args__ = (UniqueConstraint("org_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(10))
    weight: Mapped[float] = mapped_column(default=1.0)
    position: Mapped[int] = mapped_column(default=0)
    # what a score means on this criterion ("1 = a team, 5 = the whole group"), shown to raters
    hint: Mapped[str] = mapped_column(String(300), default="", server_default="")


class CriterionScore(Model):
    """An initiative's score on one scorecard criterion."""

    __table_args__ = (UniqueConstraint("initiative_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"),
                                               index=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard_criterion.id", ondelete="CASCADE"), index=True)
    score: Mapped[float]

    criterion: Mapped[ScorecardCriterion] = relationship()


class RaterInput(Model):
    """One rater's method inputs for an initiative (planning poker); null means not given."""

    __table_args__ = (UniqueConstraint("initiative_id", "rater"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"),
                                               index=True)
    rater: Mapped[str] = mapped_column(String(200))
    business_value: Mapped[float | None]
    time_criticality: Mapped[float | None]
    risk_reduction: Mapped[float | None]
    job_size: Mapped[float | None]
    reach: Mapped[float | None]
    impact: Mapped[float | None]
    confidence: Mapped[float | None]
    effort: Mapped[float | None]
    ease: Mapped[float | None]


PILOT_STATUSES: tuple[str, ...] = ("planned", "running", "succeeded", "failed")
PILOT_DECISIONS: tuple[str, ...] = ("generalize", "adjust", "stop")


class Pilot(OrgScoped, Timestamped, Model):
    """A trial of an initiative on a small perimeter before generalizing it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"),
                                               index=True)
    teams: Mapped[list[str]] = mapped_column(JSON, default=list)
    value_stream: Mapped[str | None] = mapped_column(String(200))
    hypothesis: Mapped[str] = mapped_column(Text, default="")
    success_criteria: Mapped[str] = mapped_column(Text, default="")
    kpi: Mapped[str | None] = mapped_column(String(200))
    threshold: Mapped[float | None]
    #: success criteria as KPI thresholds: `[{"kpi_id": int, "threshold": float}]`
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_date: Mapped[date | None] = mapped_column(Date)
    rationale: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))


class AuditEvent(OrgScoped, Model):
    """Who changed what and when on initiatives, pilots, dependencies and assessments
    (reopenings and dates set by hand), old → new."""

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int] = mapped_column(index=True)
    initiative_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(10))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
