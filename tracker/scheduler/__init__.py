"""The scheduler: APScheduler setup, the schedules' triggers, the one table of periodic jobs,
their job functions and the leader lock."""

from __future__ import annotations

from flask import Flask

from tracker.scheduler import runner, triggers
from tracker.services.follow import recurrence


def init_app(app: Flask) -> None:
    """Make APScheduler the schedules' recurrence engine (always: the API and the pages show
    next run times whether this process runs a scheduler or not), then start the in-process
    scheduler where one runs (`runner.init_app`)."""
    recurrence.register(app, triggers)
    runner.init_app(app)
