"""`tracker outbox flush`, `tracker barometer send` and `tracker scheduler`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.models import Organization
from tracker.scheduler.runner import Runner
from tracker.services import barometer_mail, outbox


@click.group(name="outbox")
def outbox_group() -> None:
    """Queued emails."""


@outbox_group.command("flush")
@with_appcontext
def flush() -> None:
    """Deliver every due pending email now (SMTP, or .eml files without an SMTP host)."""
    result = outbox.deliver_pending(current_app.config)
    click.echo(f"sent {result.sent}, to retry {result.retried}, failed {result.failed}")



@click.group(name="barometer")
def barometer_group() -> None:
    """The barometer email."""


@barometer_group.command("send")
@click.option("--org", "org_id", type=int, required=True, help="Organization id.")
@click.option("--to", "recipients", multiple=True,
              help="Recipient (repeatable); default: the org's barometer schedules.")
@click.option("--period", default=None, help="Period label; default: the current quarter.")
@click.option("--dry-run", is_flag=True, help="Print the email instead of queueing it.")
@with_appcontext
def send(org_id: int, recipients: tuple[str, ...], period: str | None, dry_run: bool) -> None:
    """Render the barometer email now and queue it (never twice per period and recipient)."""
    org = db.session.get(Organization, org_id)
    if org is None:
        raise click.ClickException(f"No organization {org_id}.")
    result = barometer_mail.send_barometer(org, current_app.config, list(recipients) or None,
                                           period, dry_run=dry_run)
    if dry_run:
        click.echo(f"Subject: {result.subject}\n\n{result.text}")
        return
    skipped = f"; already sent to {', '.join(result.already_sent)}" if result.already_sent else ""
    click.echo(f"{result.period}: queued for {len(result.queued)} recipient(s){skipped}. "
               "Run `tracker outbox flush` to deliver now.")



@click.command("scheduler")
@click.option("--retry", default=10.0, show_default=True,
              help="Seconds between tries to take the lead, as a standby.")
@with_appcontext
def scheduler_command(retry: float) -> None:
    """Run the scheduler alone, in the foreground (one leader however many are started)."""
    runner = Runner(current_app._get_current_object(), retry_seconds=retry).start()  # type: ignore[attr-defined]
    click.echo("Scheduler started (leader or standby); Ctrl+C stops it.")
    runner.wait()


COMMANDS = (outbox_group, barometer_group, scheduler_command)
