"""APScheduler's triggers for the schedules: a schedule's trigger in its time zone, the check
of a cron expression, the next run time. Cron expressions have the standard meaning
(`tracker.domain.follow.crontab`: 1 is Monday), not APScheduler's numbering of days.

The module is the services' recurrence engine (`tracker.services.follow.recurrence`):
`tracker.scheduler.init_app` registers it on every app.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from tracker.domain.follow.crontab import trigger_fields
from tracker.models.schedules import Schedule


def trigger_for(schedule: Schedule, zone: str) -> BaseTrigger:
    """The schedule's trigger: its cron in the time zone `zone`, or every `interval_days`
    (default 1) from its creation."""
    timezone = ZoneInfo(zone)
    if schedule.cron:
        return CronTrigger(**trigger_fields(schedule.cron), timezone=timezone)
    return IntervalTrigger(days=schedule.interval_days or 1, timezone=timezone,
                           start_date=schedule.created_at)


def check_cron(cron: str) -> None:
    """Raise `ValueError` with APScheduler's reason unless `cron` is a five-field cron
    expression (day of the week 0 or 7 = Sunday), so a schedule the scheduler could not plan
    is refused when written."""
    CronTrigger(**trigger_fields(cron))


def next_run_at(schedule: Schedule, zone: str, after: datetime) -> datetime | None:
    """When the schedule's trigger fires first after `after` (in the time zone `zone`)."""
    fire_time: datetime | None = trigger_for(schedule, zone).get_next_fire_time(None, after)
    return fire_time
