"""`tracker outbox flush`: deliver the queued emails now."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.services.follow import outbox


@click.group(name="outbox")
def outbox_group() -> None:
    """Queued emails."""


@outbox_group.command("flush")
@with_appcontext
def flush() -> None:
    """Deliver every due pending email now (SMTP, or .eml files without an SMTP host)."""
    result = outbox.deliver_pending(current_app.config)
    click.echo(f"sent {result.sent}, to retry {result.retried}, failed {result.failed}")
