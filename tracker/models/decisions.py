"""Committees and the decision log: what they decided, when, who was there and why."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Model, OrgScoped, Timestamped

#: The three committee levels of the method: strategic, portfolio, operational product.
COMMITTEES: tuple[str, ...] = ("strategic", "portfolio", "operational")


class Committee(OrgScoped, Timestamped, Model):
    """A standing committee: its level (`COMMITTEES`), its meeting cadence (a five-field
    `cron` in `timezone`, default the organization's) and its members' emails, who receive
    the meeting pack."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    cron: Mapped[str | None] = mapped_column(String(100))
    timezone: Mapped[str | None] = mapped_column(String(64))
    member_emails: Mapped[list[str]] = mapped_column(JSON, default=list)


class Decision(OrgScoped, Timestamped, Model):
    """A committee decision, with the initiatives, pilots and findings it concerns (ids)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    #: the level of the committee that decided (`COMMITTEES`)
    committee: Mapped[str] = mapped_column(String(20))
    #: the committee record, when the decision was taken by one (null for older entries)
    committee_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee.id", ondelete="SET NULL"), index=True)
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    participants: Mapped[list[str]] = mapped_column(JSON, default=list)
    rationale: Mapped[str] = mapped_column(Text, default="")
    # the dossier a PMO prepares for the decision
    context: Mapped[str] = mapped_column(Text, default="", server_default="")
    options: Mapped[str] = mapped_column(Text, default="", server_default="")
    risks: Mapped[str] = mapped_column(Text, default="", server_default="")
    portfolio_impact: Mapped[str] = mapped_column(Text, default="", server_default="")
    success_indicators: Mapped[str] = mapped_column(Text, default="", server_default="")
    initiative_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    pilot_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    finding_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
