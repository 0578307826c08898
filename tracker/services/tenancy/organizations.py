"""Organizations, their settings and their members; settings changes, role changes and
removals are audited (old → new), like invitations (`invitations`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.domain.errors import Conflict, InvalidInput, NotFound
from tracker.extensions import db
from tracker.models import AuditEvent, Membership, Organization, User
from tracker.services.audit import audit
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


def roles_of(user: User, org_ids: Iterable[int]) -> dict[int, str]:
    """The user's role in each of these organizations where they are a member (an
    instance admin may see others, without a role); one query, for the home page."""
    ids = list(org_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Membership.org_id, Membership.role).where(
        Membership.user_id == user.id, Membership.org_id.in_(ids)))
    return {org_id: role for org_id, role in rows}


def find_organization(name: str) -> Organization | None:
    """The organization with this name (the oldest if several share it), if any; how a
    seed knows it was loaded already."""
    return db.session.scalar(select(Organization).where(Organization.name == name)
                             .order_by(Organization.id).limit(1))


def update_organization(org: Organization, changes: Mapping[str, Any], *,
                        actor: User | None = None) -> Organization:
    """Change an organization's name or settings; what changed is audited (old → new)."""
    with transaction():
        diff = {key: [getattr(org, key), value] for key, value in changes.items()
                if getattr(org, key) != value}
        for key, value in changes.items():
            setattr(org, key, value)
        if diff:
            audit(org, actor, "organization", org.id, None, "settings", diff)
    return org


def list_members(org: Organization, page: int, per_page: int) -> Page[Membership]:
    """The organization's memberships, by email."""
    stmt = (select(Membership).join(User).where(Membership.org_id == org.id)
            .order_by(User.email))
    return paginate(stmt, page, per_page)


#: The most member names an owner picker offers (an organization has a few dozen members).
MAX_MEMBER_NAMES = 500


def member_names(org: Organization) -> list[str]:
    """The members' names (their email where they gave no name), by name, case ignored, in
    one query: the owners an initiative form offers (any other text is accepted too)."""
    rows = db.session.execute(select(User.name, User.email).join(Membership).where(
        Membership.org_id == org.id).order_by(User.email).limit(MAX_MEMBER_NAMES)).all()
    return sorted({(name or "").strip() or email for name, email in rows}, key=str.casefold)


def add_member(org: Organization, email: str, role: str, *,
               actor: User | None = None) -> Membership:
    """Give an existing user a role in the organization at once, without an invitation
    (the server's `tracker members add`, seeds and imports); audited."""
    user = accounts.find_user(email)
    if user is None:
        raise InvalidInput(_("No user with email %(email)s; create the account first.",
                             email=email), errors={"email": [_("No such user.")]})
    if _membership(org, user.id) is not None:
        raise Conflict(_("%(email)s is already a member.", email=email),
                       errors={"email": [_("Already a member.")]})
    with transaction() as session:
        membership = Membership(org_id=org.id, user_id=user.id, role=role)
        session.add(membership)
        _audit_member(org, actor, user, "add", {"role": role})
    return membership


def change_member_role(org: Organization, user_id: int, role: str, *,
                       actor: User | None = None) -> Membership:
    """Change a member's role; the organization always keeps at least one lead."""
    membership = _require_membership(org, user_id)
    with transaction():
        if role != "lead":
            _ensure_other_lead(org, user_id)
        if membership.role != role:
            _audit_member(org, actor, membership.user, "role", {"role": [membership.role, role]})
        membership.role = role
    return membership


def remove_member(org: Organization, user_id: int, *, actor: User | None = None) -> None:
    """Remove a member; the last lead cannot be removed."""
    membership = _require_membership(org, user_id)
    with transaction() as session:
        _ensure_other_lead(org, user_id)
        _audit_member(org, actor, membership.user, "remove", {"role": membership.role})
        session.delete(membership)


def _audit_member(org: Organization, actor: User | None, member: User, action: str,
                  changes: Mapping[str, Any]) -> None:
    """A membership event, filed under the member's user id with their email."""
    audit(org, actor, "member", member.id, None, action, {"email": member.email, **changes})


@dataclass(frozen=True)
class AuditEntry:
    """One event of the organization's audit log, with who did it (None: the system)."""

    id: int
    at: datetime
    actor_email: str | None
    actor_name: str | None
    entity: str
    entity_id: int
    action: str
    changes: dict[str, Any]


def audit_log(org: Organization, page: int, per_page: int, *, entity: str | None = None,
              action: str | None = None) -> Page[AuditEntry]:
    """The organization's audit events, newest first, optionally of one entity or action
    (three queries whatever the page: the events, their count, their actors)."""
    stmt = select(AuditEvent).where(AuditEvent.org_id == org.id)
    if entity:
        stmt = stmt.where(AuditEvent.entity == entity)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    events = paginate(stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()), page, per_page)
    actor_ids = {e.user_id for e in events.items if e.user_id is not None}
    actors = ({u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))}
              if actor_ids else {})
    items = [AuditEntry(e.id, e.at, getattr(actors.get(e.user_id), "email", None),
                        getattr(actors.get(e.user_id), "name", None), e.entity, e.entity_id,
                        e.action, e.changes or {}) for e in events.items]
    return Page(items=items, total=events.total, page=page, per_page=per_page)


def _membership(org: Organization, user_id: int) -> Membership | None:
    return db.session.scalar(select(Membership).where(Membership.org_id == org.id,
                                                      Membership.user_id == user_id))


def _require_membership(org: Organization, user_id: int) -> Membership:
    membership = _membership(org, user_id)
    if membership is None:
        raise NotFound(_("User %(id)d is not a member of this organization.", id=user_id))
    return membership


def _ensure_other_lead(org: Organization, user_id: int) -> None:
    """409 when `user_id` is the organization's last lead, as the database says now.

    The lead memberships are locked first (`FOR UPDATE`, until the transaction ends; nothing
    on SQLite, which lets one writer in at a time), so two leads demoting or removing each
    other at the same instant queue up, and the second one counts without the first."""
    leads = set(db.session.scalars(select(Membership.user_id).where(
        Membership.org_id == org.id, Membership.role == "lead").with_for_update()))
    if leads == {user_id}:
        raise Conflict(_("An organization keeps at least one lead."),
                       errors={"role": [_("This is the last lead.")]})
