"""The decision log: what committees decided, when, who was there and why."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Model, OrgScoped, Timestamped

COMMITTEES: tuple[str, ...] = ("strategic", "portfolio", "operational")


class Decision(OrgScoped, Timestamped, Model):
    """A committee decision, with the initiatives, pilots and findings it concerns (ids)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    committee: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    participants: Mapped[list[str]] = mapped_column(JSON, default=list)
    rationale: Mapped[str] = mapped_column(Text, default="")
    initiative_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    pilot_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    finding_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
