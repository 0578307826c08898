"""KPIs (indicators with a target), their dated measurements, and the objectives they measure."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.backlog import Initiative
from tracker.models.base import Model, OrgScoped, Timestamped, UTCDateTime
from tracker.models.frameworks import Dimension

#: What a KPI measures, as the method groups them (DESIGN section 5, KPI fields).
KPI_FAMILIES: tuple[str, ...] = ("adoption", "business", "quality", "flow", "planning",
                                 "maturity", "people")
#: Where a KPI is measured: the whole organization, one team or one value stream.
PERIMETER_KINDS: tuple[str, ...] = ("organization", "team", "value_stream")

kpi_dimension = Table(
    "kpi_dimension",
    db.metadata,
    Column("kpi_id", ForeignKey("kpi.id", ondelete="CASCADE"), primary_key=True),
    Column("dimension_id", ForeignKey("dimension.id", ondelete="CASCADE"), primary_key=True),
)

kpi_initiative = Table(
    "kpi_initiative",
    db.metadata,
    Column("kpi_id", ForeignKey("kpi.id", ondelete="CASCADE"), primary_key=True),
    Column("initiative_id", ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True),
)

objective_kpi = Table(
    "objective_kpi",
    db.metadata,
    Column("objective_id", ForeignKey("objective.id", ondelete="CASCADE"), primary_key=True),
    Column("kpi_id", ForeignKey("kpi.id", ondelete="CASCADE"), primary_key=True),
)

objective_initiative = Table(
    "objective_initiative",
    db.metadata,
    Column("objective_id", ForeignKey("objective.id", ondelete="CASCADE"), primary_key=True),
    Column("initiative_id", ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True),
)

objective_dimension = Table(
    "objective_dimension",
    db.metadata,
    Column("objective_id", ForeignKey("objective.id", ondelete="CASCADE"), primary_key=True),
    Column("dimension_id", ForeignKey("dimension.id", ondelete="CASCADE"), primary_key=True),
)


class Kpi(OrgScoped, Timestamped, Model):
    """An indicator with a unit, a direction (`higher_is_better` / `lower_is_better`) and a
    target, optionally linked to the dimensions it evidences."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(50), default="")
    direction: Mapped[str] = mapped_column(String(20))
    target: Mapped[float | None]
    #: one of `KPI_FAMILIES`, or null while nobody classified it
    family: Mapped[str | None] = mapped_column(String(20))
    #: who answers for it (a name or an email; free text)
    owner: Mapped[str | None] = mapped_column(String(200))
    #: where it is measured: `PERIMETER_KINDS`; the team's or value stream's name beside
    perimeter_kind: Mapped[str] = mapped_column(String(20), default="organization",
                                                server_default="organization")
    perimeter_name: Mapped[str | None] = mapped_column(String(200))
    # set when the KPI is archived: it leaves the lists, its measurements stay
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    dimensions: Mapped[list[Dimension]] = relationship(secondary=kpi_dimension)
    initiatives: Mapped[list[Initiative]] = relationship(secondary=kpi_initiative)
    objectives: Mapped[list[Objective]] = relationship(secondary=objective_kpi,
                                                       back_populates="kpis")
    measurements: Mapped[list[Measurement]] = relationship(
        order_by=lambda: (Measurement.measured_at, Measurement.id), cascade="all, delete-orphan",
        back_populates="kpi")


class Measurement(OrgScoped, Timestamped, Model):
    """One dated value of a KPI."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    value: Mapped[float]
    measured_at: Mapped[date] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")

    kpi: Mapped[Kpi] = relationship(back_populates="measurements")


class Objective(OrgScoped, Timestamped, Model):
    """A measurable objective of the ambition ("cut story lead time by 30 %"), by a
    `horizon` date, measured by KPIs, served by initiatives, lifting dimensions; its status
    comes from its KPIs (DESIGN section 3, "Objective status")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    horizon: Mapped[date | None] = mapped_column(Date)

    kpis: Mapped[list[Kpi]] = relationship(secondary=objective_kpi,
                                           back_populates="objectives")
    initiatives: Mapped[list[Initiative]] = relationship(secondary=objective_initiative)
    dimensions: Mapped[list[Dimension]] = relationship(secondary=objective_dimension)
