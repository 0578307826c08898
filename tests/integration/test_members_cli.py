"""`tracker members add`: an instance admin adds an existing user directly from the server
(issue 13, finding 8: the API only invites); it creates nothing else."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Invitation, Membership, Organization, User
from tracker.services.tenancy import accounts, organizations


def _org() -> Organization:
    lead = accounts.create_user("lead@example.org", "correct horse battery")
    return organizations.create_organization(lead, {"name": "Acme"})


def test_an_existing_user_is_added_with_the_role(app):
    org = _org()
    accounts.create_user("ann@example.org", "correct horse battery")
    result = app.test_cli_runner().invoke(args=[
        "members", "add", "Ann@Example.org", "--org", str(org.id), "--role", "ops"])
    assert result.exit_code == 0, result.output
    assert "ann@example.org is now ops of Acme" in result.output
    role = db.session.scalar(select(Membership.role).join(User).where(
        User.email == "ann@example.org", Membership.org_id == org.id))
    assert role == "ops"
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_an_unknown_user_or_organization_fails_and_creates_nothing(app):
    org = _org()
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["members", "add", "nobody@example.org", "--org", str(org.id),
                                  "--role", "viewer"])
    assert unknown.exit_code != 0 and "No user with email nobody@example.org" in unknown.output
    assert accounts.find_user("nobody@example.org") is None
    no_org = runner.invoke(args=["members", "add", "lead@example.org", "--org", "999",
                                 "--role", "viewer"])
    assert no_org.exit_code != 0 and "No organization with id 999" in no_org.output
    bad_role = runner.invoke(args=["members", "add", "lead@example.org", "--org", str(org.id),
                                   "--role", "owner"])
    assert bad_role.exit_code != 0
    assert db.session.scalar(select(func.count(Membership.id))) == 1
