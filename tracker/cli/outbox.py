"""`tracker outbox flush`: deliver the queued emails and webhook calls now."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.services.follow import outbox
from tracker.services.tenancy import webhooks


@click.group(name="outbox")
def outbox_group() -> None:
    """Queued emails."""


@outbox_group.command("flush")
@with_appcontext
def flush() -> None:
    """Deliver every due pending email now (SMTP, or .eml files without an SMTP host),
    then every due webhook call."""
    result = outbox.deliver_pending(current_app.config)
    click.echo(f"sent {result.sent}, to retry {result.retried}, failed {result.failed}")
    calls = webhooks.deliver_due(current_app.config)
    click.echo(f"webhooks: sent {calls.sent}, to retry {calls.retried}, failed {calls.failed}")
