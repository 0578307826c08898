"""History is kept: an initiative with history is archived, not deleted.

An archived initiative (`archived_at` set) leaves the backlog and the plan (the roadmap, its
critical path and the barometer's projection, through `graph.load_active_graph`), its
dependents waiting for its prerequisites as they did through it; it stays in the decision
log, in the audit trail and on its own page, and can be restored.

The rule for a hard delete: an initiative may be deleted only when it never had any history,
that is no pilot, no committee decision naming it, and nothing on its audit trail but its own
creation (or import) and the dependency links made to it. Those links are relations, not its
history: a hard delete removes them one by one, each removal audited on both initiatives'
trails (`dependencies.delete_dependency`). Anything else answers 409 and says to archive it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.domain.errors import Conflict
from tracker.extensions import db
from tracker.models import AuditEvent, Decision, Dependency, Initiative, Organization, Pilot, User
from tracker.models.base import utcnow
from tracker.services.audit import audit
from tracker.services.decide import dependencies
from tracker.services.decide.initiatives import get_initiative, snapshot
from tracker.services.unit_of_work import transaction

#: The audit actions that create an initiative (not history of it).
CREATION_ACTIONS: tuple[str, ...] = ("create", "import")


def archive_initiative(org: Organization, actor: User | None,
                       initiative_id: int) -> Initiative:
    """Archive an initiative (audited); 409 if it already is."""
    initiative = get_initiative(org, initiative_id)
    if initiative.archived_at is not None:
        raise Conflict(_("Initiative %(id)d is already archived.", id=initiative.id))
    with transaction():
        initiative.archived_at = utcnow()
        audit(org, actor, "initiative", initiative.id, initiative.id, "archive",
              {"archived_at": [None, initiative.archived_at.isoformat()]})
    return get_initiative(org, initiative.id)


def restore_initiative(org: Organization, actor: User | None,
                       initiative_id: int) -> Initiative:
    """Bring an archived initiative back to the backlog and the plan (audited); 409 if it is
    not archived."""
    initiative = get_initiative(org, initiative_id)
    if initiative.archived_at is None:
        raise Conflict(_("Initiative %(id)d is not archived.", id=initiative.id))
    with transaction():
        audit(org, actor, "initiative", initiative.id, initiative.id, "restore",
              {"archived_at": [initiative.archived_at.isoformat(), None]})
        initiative.archived_at = None
    return get_initiative(org, initiative.id)


def history(org: Organization, initiative_id: int) -> dict[str, int]:
    """What an initiative has had that a delete would lose (see the module's rule), counted:
    `pilots`, `decisions` naming it and audited `changes`, those it has only; empty when it
    may be deleted. Three queries."""
    pilots = db.session.scalar(select(func.count(Pilot.id)).where(
        Pilot.org_id == org.id, Pilot.initiative_id == initiative_id)) or 0
    decisions = sum(initiative_id in (ids or []) for ids in db.session.scalars(
        select(Decision.initiative_ids).where(Decision.org_id == org.id)))
    changes = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.org_id == org.id, AuditEvent.initiative_id == initiative_id,
        AuditEvent.entity != "dependency",
        ~((AuditEvent.entity == "initiative") & (AuditEvent.entity_id == initiative_id)
          & AuditEvent.action.in_(CREATION_ACTIONS)))) or 0
    counted = {"pilots": pilots, "decisions": decisions, "changes": changes}
    return {name: count for name, count in counted.items() if count}


def delete_initiative(org: Organization, actor: User | None, initiative_id: int) -> None:
    """Delete an initiative that never had any history, with its dependency links (each
    removal audited); 409 naming what it has had otherwise, saying to archive it."""
    initiative = get_initiative(org, initiative_id)
    had = history(org, initiative.id)
    if had:
        counts = ", ".join(f"{name}: {count}" for name, count in had.items())
        raise Conflict(_("Initiative %(id)d has history (%(counts)s): archive it instead; an "
                         "archived initiative leaves the backlog and the plan and keeps its "
                         "pilots, decisions and audit trail.", id=initiative.id, counts=counts),
                       history=had)
    links = db.session.scalars(select(Dependency.id).where(
        Dependency.org_id == org.id, (Dependency.prerequisite_id == initiative.id)
        | (Dependency.dependent_id == initiative.id)).order_by(Dependency.id)).all()
    with transaction():
        for link in links:
            dependencies.delete_dependency(org, actor, link)
        audit(org, actor, "initiative", initiative.id, initiative.id, "delete",
              {k: [v, None] for k, v in snapshot(initiative).items() if v not in (None, [], {})})
        db.session.delete(initiative)
