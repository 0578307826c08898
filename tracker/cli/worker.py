"""`tracker worker`: an RQ worker running tracker's background jobs from
`TRACKER_REDIS_URL` (without it, jobs run in the web process and no worker is needed)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.jobs import backends


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (tests, cron).")
@click.option("--queue", "queue_name", default=backends.QUEUE, show_default=True,
              help="The RQ queue to take jobs from.")
@with_appcontext
def worker_command(burst: bool, queue_name: str) -> None:
    """Run background jobs (report PDFs, big imports, barometer campaigns) from Redis."""
    url = current_app.config.get("TRACKER_REDIS_URL")
    if not url:
        click.echo("TRACKER_REDIS_URL is not set: background jobs run in the web process "
                   "(one at a time), so there is no worker to start.")
        return
    click.echo(f"Worker on queue {queue_name!r} of {backends.safe_url(url)}"
               + (" (burst: stops when the queue is empty)." if burst else "; Ctrl+C stops it."))
    backends.work(url, queue_name, burst=burst)
