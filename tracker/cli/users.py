"""`tracker users create|password` and `tracker tokens create`: accounts, passwords and API
tokens."""

from __future__ import annotations

import click
from flask import current_app

from tracker.cli.base import fail
from tracker.domain.errors import TrackerError
from tracker.models import User
from tracker.services.tenancy import accounts, passwords


@click.group()
def users() -> None:
    """User accounts."""


def _user(email: str) -> User:
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with email {email}.")
    return user


@users.command("create")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 12 characters, not a common password, not the email.")
@click.option("--name", default="")
@click.option("--admin", is_flag=True, help="Instance admin: lead rights everywhere.")
def create_user(email: str, password: str, name: str, admin: bool) -> None:
    """Create a user."""
    try:
        user = accounts.create_user(email, password, name=name, admin=admin)
    except TrackerError as error:
        fail(error)
    click.echo(f"Created {'admin ' if admin else ''}user {user.email} (id {user.id}).")


@users.command("password")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 12 characters, not a common password, not the email.")
def set_password(email: str, password: str) -> None:
    """Set a user's password; their web sessions end (API tokens stay)."""
    user = _user(email)
    try:
        passwords.set_password(user, password)
    except TrackerError as error:
        fail(error)
    click.echo(f"Password of {user.email} changed; their sessions are signed out.")


@click.group()
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="cli")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Days before it expires (default and most: TRACKER_TOKEN_DAYS, 90).")
def create_token(email: str, name: str, days: int | None) -> None:
    """Create an API token for a user; the token is the last line printed."""
    user = _user(email)
    lifetime = accounts.token_days(days, current_app.config["TRACKER_TOKEN_DAYS"])
    token, secret = accounts.create_token(user, name, lifetime)
    click.echo(f"Token {token.id} for {user.email}, expires {token.expires_at:%Y-%m-%d} "
               f"(shown once):")
    click.echo(secret)
