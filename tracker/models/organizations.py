"""Organizations (tenants), memberships and invitations (pending memberships)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.accounts import User
from tracker.models.base import Model, Timestamped, UTCDateTime

ROLES: tuple[str, ...] = ("viewer", "contributor", "ops", "lead")


class Organization(Timestamped, Model):
    """A client organisation: every diagnostic, backlog and roadmap record belongs to one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    min_group_size: Mapped[int] = mapped_column(default=3)
    perception_gap_threshold: Mapped[float] = mapped_column(default=1.0)
    default_method: Mapped[str] = mapped_column(String(20), default="wsjf")
    quick_win_max_weeks: Mapped[float] = mapped_column(default=6.0)
    structural_min_weeks: Mapped[float] = mapped_column(default=12.0)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    locale: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    # The current plan that the trajectory, the barometer's projection and the report
    # use (`services.plan.trajectory`); all null: start today, unlimited capacity.
    plan_start: Mapped[date | None] = mapped_column(default=None)
    plan_capacity: Mapped[int | None] = mapped_column(default=None)
    plan_points: Mapped[float | None] = mapped_column(default=None)
    # Bumped in the same transaction as every write of the organization's data, so what is
    # derived from it (graph, ranking, plan) is computed once per version
    # (`services.derived`).
    data_version: Mapped[int] = mapped_column(default=0, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(back_populates="organization",
                                                         cascade="all, delete-orphan")

    @property
    def zone(self) -> ZoneInfo:
        """The organization's time zone; UTC when the stored name is unknown, so a row
        written before names were checked never breaks a page, a plan or a job."""
        try:
            return ZoneInfo(self.timezone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


class Membership(Timestamped, Model):
    """A user's role in an organization: `viewer`, `contributor`, `ops` or `lead`."""

    __table_args__ = (UniqueConstraint("org_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"),
                                        index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    organization: Mapped[Organization] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class Invitation(Timestamped, Model):
    """A pending membership: an emailed secret link that the invited person accepts.

    Only the SHA-256 digest of the link's secret is stored. An invitation is pending until
    it is accepted, cancelled (by a lead, or replaced by a new one for the same email) or
    past `expires_at`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"),
                                        index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id",
                                                                 ondelete="SET NULL"))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship()
    invited_by: Mapped[User | None] = relationship()
