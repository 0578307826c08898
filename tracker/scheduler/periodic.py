"""Every periodic job in one table, as redash's `periodic_job_definitions`: the system jobs
(the sync of the table into the scheduler, the outbox flush) and one job per schedule of
the organizations that is not paused. The runner builds the scheduler's jobs from it and
keeps them in sync with it. A schedule whose job cannot be planned (a cron stored unchecked)
is logged, recorded on the schedule and left out; the others are planned.

The schedules' jobs live in the persistent job store (the database), which keeps a job's
function by its import path (`tracker.scheduler.jobs:fire_schedule`) and its next run
time, so a run missed during downtime still fires once at start; the system jobs live in
memory and are rebuilt by every leader.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Organization
from tracker.models.schedules import Schedule
from tracker.scheduler import jobs, triggers
from tracker.services.follow import schedules

log = logging.getLogger(__name__)
PERSISTENT, VOLATILE = "default", "volatile"  # the job stores' aliases
MISFIRE_GRACE_SECONDS = 6 * 3600
SYNC_SECONDS = 60
OUTBOX_SECONDS = 60


@dataclass(frozen=True)
class PeriodicJob:
    """One row of the table: the job's id and name (default: the function's), the function
    APScheduler calls with its arguments, its trigger, its job store and its options (missed
    runs coalesce into one, never two at once, a run late by up to six hours still happens)."""

    id: str
    func: Callable[..., None]
    trigger: BaseTrigger
    args: tuple[int, ...] = ()
    name: str | None = None
    jobstore: str = PERSISTENT
    coalesce: bool = True
    max_instances: int = 1
    misfire_grace_time: int = MISFIRE_GRACE_SECONDS

    def add_job_arguments(self) -> dict[str, Any]:
        """The keyword arguments of APScheduler's `add_job` for this row (replacing the job
        of the same id)."""
        return {"func": self.func, "trigger": self.trigger, "args": list(self.args),
                "id": self.id, "name": self.name, "jobstore": self.jobstore,
                "coalesce": self.coalesce, "max_instances": self.max_instances,
                "misfire_grace_time": self.misfire_grace_time, "replace_existing": True}


def job_id(schedule_id: int) -> str:
    """The id of a schedule's job."""
    return f"schedule-{schedule_id}"


def system_jobs(sync: Callable[[], None]) -> list[PeriodicJob]:
    """The jobs of every leader, in memory: `sync` (the runner's upkeep of this table) and
    the delivery of the outbox, every minute each."""
    return [PeriodicJob("sync", sync, IntervalTrigger(seconds=SYNC_SECONDS), jobstore=VOLATILE),
            PeriodicJob("outbox", jobs.flush_outbox, IntervalTrigger(seconds=OUTBOX_SECONDS),
                        jobstore=VOLATILE)]


def schedule_job(schedule: Schedule, org: Organization) -> PeriodicJob:
    """A schedule's job: `fire_schedule(org id, schedule id)` on the schedule's trigger, in
    its time zone."""
    return PeriodicJob(job_id(schedule.id), jobs.fire_schedule,
                       triggers.trigger_for(schedule, schedules.zone_of(schedule, org)),
                       args=(schedule.org_id, schedule.id),
                       name=f"{schedule.kind} of organization {schedule.org_id}")


def schedule_jobs(app: Flask) -> list[PeriodicJob]:
    """One job per schedule that is not paused, read from the app's database; a schedule
    whose job cannot be built is recorded and skipped."""
    with app.app_context():
        try:
            rows = db.session.execute(select(Schedule, Organization).join(
                Organization, Organization.id == Schedule.org_id)
                .where(Schedule.paused.is_(False)).order_by(Schedule.id)).all()
            built = (_planned(schedule, org) for schedule, org in rows)
            return [job for job in built if job is not None]
        finally:
            db.session.remove()


def _planned(schedule: Schedule, org: Organization) -> PeriodicJob | None:
    """The schedule's job, or None (logged and recorded on it) when it cannot be built."""
    try:
        return schedule_job(schedule, org)
    except Exception as error:
        log.exception("schedule %s of organization %s cannot be planned", schedule.id,
                      schedule.org_id)
        jobs.record_failure(schedule.id, error)
        return None


def periodic_job_definitions(app: Flask, sync: Callable[[], None]) -> list[PeriodicJob]:
    """The table: the system jobs, then the schedules' jobs."""
    return [*system_jobs(sync), *schedule_jobs(app)]
