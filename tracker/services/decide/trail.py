"""An initiative's audit trail with who made each change: the events on the initiative, its
pilots and its dependencies, oldest first, each with its author's email and name (none for
the system), as the organization's audit log gives them (`organizations.AuditEntry`)."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AuditEvent, Initiative, Organization, User
from tracker.services.tenancy.access import get_owned
from tracker.services.tenancy.organizations import AuditEntry

#: The most events an initiative's page shows (its oldest first).
TRAIL_LIMIT = 500


def initiative_trail(org: Organization, initiative_id: int,
                     limit: int = TRAIL_LIMIT) -> list[AuditEntry]:
    """The initiative's audited changes with their authors, oldest first (404 outside the
    organization); one query for the events and their authors together."""
    get_owned(Initiative, org, initiative_id, "Initiative")
    rows = db.session.execute(
        select(AuditEvent, User.email, User.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.org_id == org.id, AuditEvent.initiative_id == initiative_id)
        .order_by(AuditEvent.at, AuditEvent.id).limit(limit))
    return [AuditEntry(event.id, event.at, email, name, event.entity, event.entity_id,
                       event.action, event.changes or {}) for event, email, name in rows]
