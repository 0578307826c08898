"""The audit trail: who changed what and when (old → new), for every stage that keeps one
(initiatives, pilots and dependencies in `decide`, assessment corrections in `observe`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from tracker.extensions import db
from tracker.models import AuditEvent, Organization, User


def audit(org: Organization, actor: User | None, entity: str, entity_id: int,
          initiative_id: int | None, action: str, changes: Mapping[str, Any]) -> AuditEvent:
    """Add an audit event to the current transaction (who, what, old → new).

    `initiative_id` files the event under an initiative's trail (None for records that
    belong to none, such as an assessment); `actor` None is the system.
    """
    event = AuditEvent(org_id=org.id, entity=entity, entity_id=entity_id,
                       initiative_id=initiative_id, action=action,
                       changes=jsonable(changes), user_id=actor.id if actor else None)
    db.session.add(event)
    return event


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, tuples as lists: what a JSON column stores.

    >>> jsonable({"at": date(2026, 1, 2), "moves": ("open", "closed")})
    {'at': '2026-01-02', 'moves': ['open', 'closed']}
    """
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
