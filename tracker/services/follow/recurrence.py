"""The port through which the schedules learn when they fire.

Checking a cron expression and computing a schedule's next run time take a recurrence
engine: APScheduler's triggers, which belong to `tracker.scheduler`, a layer above the
services. So the services say here what they need (`Recurrence`), the scheduler registers
its implementation on the app at creation (`tracker.scheduler.init_app`, always called by
`create_app`, whether the scheduler runs or not), and the services find it through
`current()`, importing neither the scheduler nor APScheduler.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from flask import Flask, current_app

from tracker.models.schedules import Schedule

EXTENSION = "tracker.recurrence"


class Recurrence(Protocol):
    """What the schedules ask of the recurrence engine."""

    def check_cron(self, cron: str) -> None:
        """Raise `ValueError`, saying why, unless `cron` is a five-field cron expression."""

    def next_run_at(self, schedule: Schedule, zone: str, after: datetime) -> datetime | None:
        """The schedule's first run after `after`: its cron in the time zone `zone`, or
        every `interval_days` from its creation."""


def register(app: Flask, recurrence: Recurrence) -> None:
    """Give the app its recurrence engine (the scheduler does, at app creation)."""
    app.extensions[EXTENSION] = recurrence


def current() -> Recurrence:
    """The recurrence engine of the current app."""
    engine: Recurrence = current_app.extensions[EXTENSION]
    return engine
