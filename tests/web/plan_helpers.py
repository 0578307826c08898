"""Helpers of the plan page tests: a fresh organization with its lead signed in, and the
test client signed in again as someone else (a member with a role, or an outsider with an
organization of their own)."""

from __future__ import annotations

from typing import Any

from tests.builders import add_member
from tests.web_helpers import sign_in
from tracker.seeding import demo
from tracker.services.tenancy import accounts, organizations


def lead_of_new_org(client: Any, email: str, name: str) -> int:
    """Create `email` as the lead of a new organization named `name` and sign them in."""
    user = accounts.create_user(email, demo.DEMO_PASSWORD)
    org_id = organizations.create_organization(user, {"name": name}).id
    sign_in(client, email)
    return org_id


def member_signed_in(client: Any, email: str, org_id: int, role: str) -> None:
    """Sign out, then in as a new user holding `role` in the organization."""
    accounts.create_user(email, demo.DEMO_PASSWORD)
    add_member(org_id, email, role)
    client.post("/logout")
    sign_in(client, email)


def outsider_signed_in(client: Any) -> int:
    """Sign out, then in as a new user of another organization; its id."""
    client.post("/logout")
    return lead_of_new_org(client, "out@elsewhere.example", "Elsewhere")
