"""`tracker barometer send`: render the barometer email now and queue it."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.models import Organization
from tracker.services.follow import barometer_mail


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
