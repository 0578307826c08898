"""What every command shares: turning a tracker error into a readable click error."""

from __future__ import annotations

import click

from tracker.domain.errors import TrackerError


def fail(error: TrackerError) -> None:
    """Stop the command with the error's message and every field's reasons."""
    details = "".join(f"\n  {field}: {'; '.join(map(str, messages))}"
                      for field, messages in error.errors.items())
    raise click.ClickException(f"{error.detail}{details}")
