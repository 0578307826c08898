"""`tracker members add`: give an existing user a role in an organization from the server,
without an invitation (setup and scripts); it creates nothing else."""

from __future__ import annotations

import click

from tracker.cli.base import fail
from tracker.domain.errors import TrackerError
from tracker.extensions import db
from tracker.models import Organization
from tracker.models.organizations import ROLES
from tracker.services.tenancy import organizations


@click.group("members")
def members_group() -> None:
    """Organization memberships."""


@members_group.command("add")
@click.argument("email")
@click.option("--org", "org_id", type=int, required=True, help="The organization's id.")
@click.option("--role", type=click.Choice(ROLES), required=True)
def add_member(email: str, org_id: int, role: str) -> None:
    """Give the existing user EMAIL the role ROLE in organization ORG_ID at once."""
    org = db.session.get(Organization, org_id)
    if org is None:
        raise click.ClickException(f"No organization with id {org_id}.")
    try:
        membership = organizations.add_member(org, email, role)
    except TrackerError as error:
        fail(error)
    click.echo(f"{membership.user.email} is now {role} of {org.name} (id {org.id}).")
