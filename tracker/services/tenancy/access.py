"""Tenancy and roles: the one place that decides who may see and change an organization.

A caller who is not a member of an organization is told it does not exist (404), so its
existence does not leak; a member whose role is too low gets 403. Instance admins act as
leads everywhere. Every org-scoped lookup of a child record goes through `get_owned`, which
filters on the organization.
"""

from __future__ import annotations

from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.domain.errors import Forbidden, NotFound
from tracker.extensions import db
from tracker.models import Membership, Organization, User
from tracker.models.base import OrgScoped
from tracker.models.organizations import ROLES

ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(ROLES)}

Owned = TypeVar("Owned", bound=OrgScoped)


def role_in(user: User, org_id: int) -> str | None:
    """The user's role in the organization (`lead` for instance admins), or None."""
    if user.is_admin:
        return "lead"
    return db.session.scalar(select(Membership.role).where(Membership.org_id == org_id,
                                                           Membership.user_id == user.id))


def org_for(user: User, org_id: int, min_role: str = "viewer") -> Organization:
    """The organization, if `user` holds at least `min_role` in it.

    Raises NotFound when it does not exist or the user is not a member, Forbidden when the
    user's role is below `min_role`.
    """
    org = db.session.get(Organization, org_id)
    role = role_in(user, org_id) if org is not None else None
    if org is None or role is None:
        raise NotFound(f"Organization {org_id} not found.")
    if ROLE_RANK[role] < ROLE_RANK[min_role]:
        raise Forbidden(_("Your role in this organization is %(role)s; this action needs "
                          "%(required)s or above.", role=role, required=min_role),
                        role=role, required_role=min_role)
    return org


def get_owned(model: type[Owned], org: Organization, record_id: int,
              label: str | None = None) -> Owned:
    """The record of `model` with this id inside the organization, else NotFound."""
    # mypy has no way to say "a mapped class with an integer id" (a protocol's Mapped[int]
    # member never matches a model's); every model passed here has one.
    record_key = model.id  # type: ignore[attr-defined]
    record = db.session.scalar(select(model).where(record_key == record_id,
                                                   model.org_id == org.id))
    if record is None:
        raise NotFound(f"{label or model.__name__} {record_id} not found.")
    return record
