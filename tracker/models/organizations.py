"""Organizations (tenants) and memberships."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.accounts import User
from tracker.models.base import Model, Timestamped

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

    memberships: Mapped[list[Membership]] = relationship(back_populates="organization",
                                                         cascade="all, delete-orphan")


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
