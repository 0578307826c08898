"""`tracker users create` and `tracker tokens create`: accounts and API tokens."""

from __future__ import annotations

import click

from tracker.cli.base import fail
from tracker.domain.errors import TrackerError
from tracker.services.tenancy import accounts


@click.group()
def users() -> None:
    """User accounts."""


@users.command("create")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="")
@click.option("--admin", is_flag=True, help="Instance admin: lead rights everywhere.")
def create_user(email: str, password: str, name: str, admin: bool) -> None:
    """Create a user."""
    try:
        user = accounts.create_user(email, password, name=name, admin=admin)
    except TrackerError as error:
        fail(error)
    click.echo(f"Created {'admin ' if admin else ''}user {user.email} (id {user.id}).")


@click.group()
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="cli")
def create_token(email: str, name: str) -> None:
    """Create an API token for a user; the token is the last line printed."""
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with email {email}.")
    token, secret = accounts.create_token(user, name)
    click.echo(f"Token {token.id} for {user.email} (shown once):")
    click.echo(secret)
