"""The `tracker` command: every `flask` command plus tracker's own admin and bulk work, one
module per command group."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from tracker import create_app
from tracker.cli import (
    barometer,
    frameworks,
    members,
    outbox,
    ratings,
    report,
    scheduler,
    seed,
    users,
    worker,
)


def _create_app(*_args: object) -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def cli() -> None:
    """tracker: transformation backlog and roadmap tracker."""


COMMANDS: tuple[click.Command, ...] = (
    users.users, users.tokens, seed.seed, frameworks.frameworks_group, ratings.ratings_group,
    report.report_command, outbox.outbox_group, barometer.barometer_group,
    scheduler.scheduler_command, members.members_group, worker.worker_command)


def init_app(app: Flask) -> None:
    """Add tracker's commands to `app.cli` (so `tracker` and `flask` both have them)."""
    for command in COMMANDS:
        app.cli.add_command(command)
