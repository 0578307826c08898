"""`tracker scheduler`: the scheduler alone, in the foreground (leader or standby)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.scheduler.runner import Runner


@click.command("scheduler")
@click.option("--retry", default=10.0, show_default=True,
              help="Seconds between tries to take the lead, as a standby.")
@with_appcontext
def scheduler_command(retry: float) -> None:
    """Run the scheduler alone, in the foreground (one leader however many are started)."""
    runner = Runner(current_app._get_current_object(), retry_seconds=retry).start()  # type: ignore[attr-defined]
    click.echo("Scheduler started (leader or standby); Ctrl+C stops it.")
    runner.wait()
