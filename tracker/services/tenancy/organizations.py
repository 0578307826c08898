"""Organizations, their settings and their members."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from tracker.domain.errors import Conflict, InvalidInput, NotFound
from tracker.extensions import db
from tracker.models import Membership, Organization, User
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy import accounts
from tracker.services.unit_of_work import transaction


def create_organization(creator: User, data: Mapping[str, Any]) -> Organization:
    """Create an organization; its creator becomes its lead."""
    with transaction() as session:
        org = Organization(**data)
        session.add(org)
        session.flush()
        session.add(Membership(org_id=org.id, user_id=creator.id, role="lead"))
    return org


def list_organizations(user: User, page: int, per_page: int) -> Page[Organization]:
    """The organizations the user belongs to (all of them for an instance admin)."""
    stmt = select(Organization).order_by(Organization.name, Organization.id)
    if not user.is_admin:
        stmt = stmt.join(Membership).where(Membership.user_id == user.id)
    return paginate(stmt, page, per_page)


def find_organization(name: str) -> Organization | None:
    """The organization with this name (the oldest if several share it), if any; how a
    seed knows it was loaded already."""
    return db.session.scalar(select(Organization).where(Organization.name == name)
                             .order_by(Organization.id).limit(1))


def update_organization(org: Organization, changes: Mapping[str, Any]) -> Organization:
    """Change an organization's name or settings."""
    with transaction():
        for key, value in changes.items():
            setattr(org, key, value)
    return org


def list_members(org: Organization, page: int, per_page: int) -> Page[Membership]:
    """The organization's memberships, by email."""
    stmt = (select(Membership).join(User).where(Membership.org_id == org.id)
            .order_by(User.email))
    return paginate(stmt, page, per_page)


def add_member(org: Organization, email: str, role: str) -> Membership:
    """Give an existing user a role in the organization."""
    user = accounts.find_user(email)
    if user is None:
        raise InvalidInput(f"No user with email {email}; create the account first.",
                           errors={"email": ["No such user."]})
    if _membership(org, user.id) is not None:
        raise Conflict(f"{email} is already a member.", errors={"email": ["Already a member."]})
    with transaction() as session:
        membership = Membership(org_id=org.id, user_id=user.id, role=role)
        session.add(membership)
    return membership


def change_member_role(org: Organization, user_id: int, role: str) -> Membership:
    """Change a member's role; the organization always keeps at least one lead."""
    membership = _require_membership(org, user_id)
    with transaction():
        if role != "lead":
            _ensure_other_lead(org, user_id)
        membership.role = role
    return membership


def remove_member(org: Organization, user_id: int) -> None:
    """Remove a member; the last lead cannot be removed."""
    membership = _require_membership(org, user_id)
    with transaction() as session:
        _ensure_other_lead(org, user_id)
        session.delete(membership)


def _membership(org: Organization, user_id: int) -> Membership | None:
    return db.session.scalar(select(Membership).where(Membership.org_id == org.id,
                                                      Membership.user_id == user_id))


def _require_membership(org: Organization, user_id: int) -> Membership:
    membership = _membership(org, user_id)
    if membership is None:
        raise NotFound(f"User {user_id} is not a member of this organization.")
    return membership


def _ensure_other_lead(org: Organization, user_id: int) -> None:
    """409 when `user_id` is the organization's last lead, as the database says now.

    The lead memberships are locked first (`FOR UPDATE`, until the transaction ends; nothing
    on SQLite, which lets one writer in at a time), so two leads demoting or removing each
    other at the same instant queue up, and the second one counts without the first."""
    leads = set(db.session.scalars(select(Membership.user_id).where(
        Membership.org_id == org.id, Membership.role == "lead").with_for_update()))
    if leads == {user_id}:
        raise Conflict("An organization keeps at least one lead.",
                       errors={"role": ["This is the last lead."]})
