"""Schedules: an organization's recurring jobs (pulse, reminder, close, barometer,
committee pack); and background jobs, long work run outside the request with progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Model, OrgScoped, Timestamped, UTCDateTime

SCHEDULE_KINDS: tuple[str, ...] = ("pulse", "reminder", "close", "barometer", "committee_pack")
JOB_STATUSES: tuple[str, ...] = ("queued", "running", "done", "failed")


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


class BackgroundJob(Timestamped, Model):
    """Long work (a PDF report, a big import, a barometer campaign) run by a worker: RQ on
    Redis, or a thread of the web process. The row is the truth that `GET /api/v1/jobs/{id}`
    and the progress bar read: `status`, `progress` of `total`, then the `result` (JSON) or
    the file (`result_file`, `result_name`, `result_mime`), or the `error`. `key` is random,
    so a job's URL cannot be guessed; only its `user_id` (or a lead of `org_id`) reads it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    progress: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(300), default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    result_file: Mapped[bytes | None] = mapped_column(LargeBinary)
    result_name: Mapped[str | None] = mapped_column(String(200))
    result_mime: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
