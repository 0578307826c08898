"""Pilots: an initiative tried on a small perimeter, then generalized, adjusted or stopped.

A `generalize` decision moves the initiative to `in_progress` (it is rolled out beyond the
pilot), whatever its status before, unless it is already done. Every move a pilot causes
carries its actual dates, as a user's move would (`lifecycle`). A `stop` decision drops the
initiative, unless `keep_initiative` is true: then it goes back to `proposed` if it was
`piloting`, and is left as is otherwise. `adjust` changes nothing on the initiative.

Starting a pilot (its status becomes `running`, at creation or later) moves the initiative
to `piloting` when `initiatives.TRANSITIONS` allows that move from its status (from
`proposed` or `approved`); an initiative already in progress, done or dropped is left as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Initiative, Organization, Pilot, User
from tracker.services.decide import lifecycle
from tracker.services.decide.initiatives import TRANSITIONS, audit, jsonable
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

FIELDS: tuple[str, ...] = ("teams", "value_stream", "hypothesis", "success_criteria", "kpi",
                           "threshold", "start", "end", "status", "decision", "decision_date",
                           "rationale", "decided_by")


def list_pilots(org: Organization, initiative_id: int, page: int, per_page: int) -> Page[Pilot]:
    """The initiative's pilots by id."""
    get_owned(Initiative, org, initiative_id, "Initiative")
    return paginate(select(Pilot).where(Pilot.org_id == org.id,
                                        Pilot.initiative_id == initiative_id)
                    .order_by(Pilot.id), page, per_page)


def create_pilot(org: Organization, actor: User | None, initiative_id: int,
                 data: Mapping[str, Any]) -> Pilot:
    """Start a pilot under an initiative (a decision given at once applies too)."""
    initiative = get_owned(Initiative, org, initiative_id, "Initiative")
    with transaction():
        pilot = Pilot(org_id=org.id, initiative_id=initiative.id,
                      **{k: data[k] for k in FIELDS if k in data})
        db.session.add(pilot)
        db.session.flush()
        audit(org, actor, "pilot", pilot.id, initiative.id, "create",
              {k: [None, v] for k, v in _state(pilot).items() if v not in (None, [], "")})
        if pilot.status == "running":
            _apply_start(org, actor, initiative, pilot)
        _apply_decision(org, actor, initiative, pilot, data)
    return pilot


def update_pilot(org: Organization, actor: User | None, pilot_id: int,
                 changes: Mapping[str, Any]) -> Pilot:
    """Change a pilot; a new decision moves its initiative on (see the module's doc)."""
    pilot = get_owned(Pilot, org, pilot_id, "Pilot")
    initiative = db.session.get_one(Initiative, pilot.initiative_id)
    with transaction():
        before = _state(pilot)
        for name in FIELDS:
            if name in changes:
                setattr(pilot, name, changes[name])
        after = _state(pilot)
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if diff:
            audit(org, actor, "pilot", pilot.id, pilot.initiative_id, "update", diff)
        if before["status"] != "running" and after["status"] == "running":
            _apply_start(org, actor, initiative, pilot)
        if "decision" in changes and before["decision"] != after["decision"]:
            _apply_decision(org, actor, initiative, pilot, changes)
    return pilot


def _state(pilot: Pilot) -> dict[str, Any]:
    return jsonable({name: getattr(pilot, name) for name in FIELDS})


def _apply_start(org: Organization, actor: User | None, initiative: Initiative,
                 pilot: Pilot) -> None:
    """A running pilot puts its initiative in `piloting` when the transition is allowed; an
    initiative without an actual start takes the pilot's start (else today)."""
    if initiative.status != "piloting" and "piloting" in TRANSITIONS[initiative.status]:
        began = ({"actual_start": pilot.start}
                 if pilot.start is not None and initiative.actual_start is None else {})
        _move(org, actor, initiative, pilot, {"status": "piloting", **began})


def _apply_decision(org: Organization, actor: User | None, initiative: Initiative,
                    pilot: Pilot, data: Mapping[str, Any]) -> None:
    status = initiative.status
    if pilot.decision == "generalize" and status != "done":
        status = "in_progress"
    elif pilot.decision == "stop":
        if not data.get("keep_initiative"):
            status = "dropped"
        elif status == "piloting":
            status = "proposed"
    if status != initiative.status:
        _move(org, actor, initiative, pilot, {"status": status})


def _move(org: Organization, actor: User | None, initiative: Initiative, pilot: Pilot,
          changes: dict[str, Any]) -> None:
    """Apply a status move a pilot causes, with the actual dates it carries
    (`lifecycle.with_move_dates`), audited old → new with the pilot's id."""
    changes = lifecycle.with_move_dates(org, initiative, changes)
    audit(org, actor, "initiative", initiative.id, initiative.id, "update",
          {**{name: [getattr(initiative, name), value] for name, value in changes.items()},
           "pilot_id": pilot.id})
    for name, value in changes.items():
        setattr(initiative, name, value)


def org_pilots(org: Organization, limit: int = 200) -> list[tuple[Pilot, str]]:
    """The organization's pilots with their initiative's title, latest start first (the
    barometer page lists their outcomes); one query."""
    rows = db.session.execute(
        select(Pilot, Initiative.title).join(Initiative, Initiative.id == Pilot.initiative_id)
        .where(Pilot.org_id == org.id)
        .order_by(Pilot.start.desc(), Pilot.id.desc()).limit(limit))
    return [(pilot, title) for pilot, title in rows]
