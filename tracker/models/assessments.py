"""Assessments (campaigns), respondents, ratings and evidence."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import Model, OrgScoped, Timestamped, UTCDateTime
from tracker.models.frameworks import Dimension, Framework

KINDS: tuple[str, ...] = ("diagnostic", "pulse")
STATUSES: tuple[str, ...] = ("draft", "open", "closed")
SOURCES: tuple[str, ...] = ("interview", "document", "observation", "survey")
PERSPECTIVES: tuple[str, ...] = ("client", "consultant")
TONES: tuple[str, ...] = ("strength", "pain", "neutral")


class Assessment(OrgScoped, Timestamped, Model):
    """One measurement campaign of one organization on one framework version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="diagnostic")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the campaign's calendar as the lead plans it, in the organization's days; the cockpit
    # counts the time left from it; opening and closing stay explicit acts
    planned_open_on: Mapped[date | None] = mapped_column(Date)
    planned_close_on: Mapped[date | None] = mapped_column(Date)

    framework: Mapped[Framework] = relationship()


class Respondent(OrgScoped, Timestamped, Model):
    """A person or source giving ratings in an assessment; names are unique within it."""

    # a unique index rather than a constraint: SQLite adds one without rebuilding the table
    __table_args__ = (Index("ix_respondent_assessment_id_name", "assessment_id", "name",
                            unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"),
                                               index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str | None] = mapped_column(String(100))
    team: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20), default="survey")
    # `client` or `consultant` in a cross self-assessment; null otherwise
    perspective: Mapped[str | None] = mapped_column(String(20))
    survey_token: Mapped[str] = mapped_column(String(64), unique=True)


class Rating(OrgScoped, Model):
    """One respondent's level for one dimension (null: "cannot say")."""

    __table_args__ = (UniqueConstraint("respondent_id", "dimension_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"),
                                               index=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id", ondelete="CASCADE"),
                                               index=True)
    dimension_id: Mapped[int] = mapped_column(ForeignKey("dimension.id", ondelete="CASCADE"),
                                              index=True)
    value: Mapped[float | None]
    comment: Mapped[str] = mapped_column(Text, default="")

    dimension: Mapped[Dimension] = relationship()


evidence_dimension = Table(
    "evidence_dimension",
    db.metadata,
    Column("evidence_id", ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
    Column("dimension_id", ForeignKey("dimension.id", ondelete="CASCADE"), primary_key=True),
)


class Evidence(OrgScoped, Timestamped, Model):
    """A verbatim or document excerpt, attached to dimensions, with its source and tone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"),
                                               index=True)
    respondent_id: Mapped[int | None] = mapped_column(
        ForeignKey("respondent.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="interview")
    tone: Mapped[str] = mapped_column(String(20), default="neutral")

    dimensions: Mapped[list[Dimension]] = relationship(secondary=evidence_dimension)
