"""Schedules: an organization's recurring jobs (pulse, reminder, close, barometer,
committee pack)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Model, OrgScoped, Timestamped, UTCDateTime

SCHEDULE_KINDS: tuple[str, ...] = ("pulse", "reminder", "close", "barometer", "committee_pack")


class Schedule(OrgScoped, Timestamped, Model):
    """A recurring job: a five-field `cron` expression or every `interval_days`, in
    `timezone` (default: the organization's). `last_period` is the last period the job
    completed, so a re-run for the same period does nothing; `last_run_at` is when it
    last ran its work. `last_error` and `last_error_at` say why and when it last failed
    (a job, or the scheduler planning it); a run that succeeds clears them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    cron: Mapped[str | None] = mapped_column(String(100))
    interval_days: Mapped[int | None]
    timezone: Mapped[str | None] = mapped_column(String(64))
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    close_after_days: Mapped[int | None]
    #: for `committee_pack`: the committee whose next meeting's pack is emailed to its members
    committee_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee.id", ondelete="CASCADE"), index=True)
    paused: Mapped[bool] = mapped_column(default=False)
    last_period: Mapped[str | None] = mapped_column(String(20))
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
