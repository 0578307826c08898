"""KPIs (indicators with a target) and their dated measurements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import Model, OrgScoped, Timestamped, UTCDateTime
from tracker.models.frameworks import Dimension

kpi_dimension = Table(
    "kpi_dimension",
    db.metadata,
    Column("kpi_id", ForeignKey("kpi.id", ondelete="CASCADE"), primary_key=True),
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
    # set when the KPI is archived: it leaves the lists, its measurements stay
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    dimensions: Mapped[list[Dimension]] = relationship(secondary=kpi_dimension)
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
