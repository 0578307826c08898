"""Pilots: an initiative tried on a small perimeter, then generalized, adjusted or stopped.

A `generalize` decision moves the initiative to `in_progress` (it is rolled out beyond the
pilot), whatever its status before, unless it is already done. Every move a pilot causes
carries its actual dates, as a user's move would (`lifecycle`). A `stop` decision drops the
initiative, unless `keep_initiative` is true: then it goes back to `proposed` if it was
`piloting`, and is left as is otherwise. `adjust` changes nothing on the initiative.

Starting a pilot (its status becomes `running`, at creation or later) moves the initiative
to `piloting` when `initiatives.TRANSITIONS` allows that move from its status (from
`proposed` or `approved`); an initiative already in progress, done or dropped is left as is.

Success criteria: `criteria` `[{kpi_id, threshold}]` is the judged form (DESIGN section 3,
"Pilot criteria"; `tracker.domain.follow.pilot_criteria`): each KPI must be one of the
organization's, not archived. The free-text `success_criteria`, `kpi` and `threshold` stay as
notes, readable but never judged. Reads (`judged`) add each criterion's verdict and the
suggested decision, from one query for the measurements of every criterion's KPI.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from tracker.domain.errors import InvalidInput
from tracker.domain.follow.pilot_criteria import Judgement, Reading, Verdict, judge
from tracker.extensions import db
from tracker.models import Initiative, Organization, Pilot, User
from tracker.models.kpis import Kpi, Measurement
from tracker.services.decide import lifecycle
from tracker.services.decide.initiatives import (
    TRANSITIONS,
    audit,
    emit_status_change,
    jsonable,
)
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy import webhooks
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

FIELDS: tuple[str, ...] = ("teams", "value_stream", "hypothesis", "success_criteria", "kpi",
                           "threshold", "start", "end", "status", "decision", "decision_date",
                           "rationale", "decided_by", "criteria")


@dataclass(frozen=True)
class JudgedPilot:
    """A pilot as read: its fields (through the pilot), its criteria's `verdicts` and the
    `suggested_decision`."""

    pilot: Pilot
    verdicts: list[Verdict]
    suggested_decision: str | None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pilot, name)


def judged(org: Organization, pilot_list: Iterable[Pilot]) -> list[JudgedPilot]:
    """The pilots with their verdicts and suggested decision; one query for the KPIs and
    one for the measurements of every criterion's KPI, whatever the number of pilots."""
    pilot_list = list(pilot_list)
    kpi_ids = sorted({int(c["kpi_id"]) for p in pilot_list for c in (p.criteria or [])})
    directions: dict[int, str] = {}
    readings: dict[int, list[Reading]] = {}
    if kpi_ids:
        directions = {kpi_id: direction for kpi_id, direction in db.session.execute(
            select(Kpi.id, Kpi.direction).where(Kpi.org_id == org.id, Kpi.id.in_(kpi_ids)))}
        for kpi_id, measured_at, value in db.session.execute(
                select(Measurement.kpi_id, Measurement.measured_at, Measurement.value)
                .where(Measurement.org_id == org.id, Measurement.kpi_id.in_(kpi_ids))
                .order_by(Measurement.measured_at, Measurement.id)):
            readings.setdefault(kpi_id, []).append(Reading(measured_at, value))
    today = lifecycle.today_in(org)
    return [_judged(pilot, judge(pilot.criteria or [], directions, readings, pilot.start,
                                 pilot.end, today)) for pilot in pilot_list]


def _judged(pilot: Pilot, judgement: Judgement) -> JudgedPilot:
    return JudgedPilot(pilot, judgement.verdicts, judgement.suggested_decision)


def judged_page(org: Organization, page: Page[Pilot]) -> Page[JudgedPilot]:
    """A page of pilots, judged."""
    return Page(items=judged(org, page.items), total=page.total, page=page.page,
                per_page=page.per_page)


def judged_one(org: Organization, pilot: Pilot) -> JudgedPilot:
    """One pilot, judged."""
    return judged(org, [pilot])[0]


def kpi_names(org: Organization, kpi_ids: Iterable[int]) -> dict[int, str]:
    """The names of these KPIs of the organization, archived ones too (old criteria)."""
    wanted = sorted(set(kpi_ids))
    if not wanted:
        return {}
    return {kpi_id: name for kpi_id, name in db.session.execute(
        select(Kpi.id, Kpi.name).where(Kpi.org_id == org.id, Kpi.id.in_(wanted)))}


def criteria_summaries(org: Organization, pilot_list: Iterable[Pilot]
                       ) -> dict[int, dict[str, Any]]:
    """By pilot id: its `verdicts` (each with its KPI's `kpi` name) and its
    `suggested_decision`, as the report shows them; fixed queries for any number of pilots."""
    judged_list = judged(org, pilot_list)
    names = kpi_names(org, [v.kpi_id for p in judged_list for v in p.verdicts])
    return {p.pilot.id: {
        "verdicts": [{"kpi_id": v.kpi_id, "kpi": names.get(v.kpi_id, f"#{v.kpi_id}"),
                      "threshold": v.threshold, "direction": v.direction,
                      "status": v.status, "value": v.value,
                      "measured_at": v.measured_at} for v in p.verdicts],
        "suggested_decision": p.suggested_decision} for p in judged_list}


def pilots_awaiting_decision(org: Organization) -> list[JudgedPilot]:
    """The pilots without a decision whose end has passed (on the organization's calendar)
    or whose every criterion has a verdict (at least one criterion, none `no_data`), judged,
    by end (those without an end last) then id; pilots of archived initiatives are left
    out. A pilot `p` of the list reads `p.verdicts`, `p.suggested_decision` and every
    pilot field (`p.id`, `p.initiative_id`, `p.teams`, `p.end`...)."""
    today = lifecycle.today_in(org)
    rows = db.session.scalars(
        select(Pilot).join(Initiative, Initiative.id == Pilot.initiative_id)
        .where(Pilot.org_id == org.id, Pilot.decision.is_(None),
               Initiative.archived_at.is_(None))
        .order_by(Pilot.end.is_(None), Pilot.end, Pilot.id))
    return [p for p in judged(org, rows)
            if (p.pilot.end is not None and p.pilot.end < today)
            or (p.verdicts and all(v.status != "no_data" for v in p.verdicts))]


def check_criteria(org: Organization, criteria: Sequence[Mapping[str, Any]]
                   ) -> list[dict[str, Any]]:
    """The criteria as stored `[{kpi_id, threshold}]`; 422 naming `criteria[i].kpi_id` for a
    KPI that is not the organization's or is archived (the schema checks the shapes)."""
    wanted = {int(c["kpi_id"]) for c in criteria}
    found = {k.id: k for k in db.session.scalars(
        select(Kpi).where(Kpi.org_id == org.id, Kpi.id.in_(wanted)))} if wanted else {}
    errors: dict[str, list[str]] = {}
    for n, criterion in enumerate(criteria):
        kpi = found.get(int(criterion["kpi_id"]))
        if kpi is None:
            errors[f"criteria[{n}].kpi_id"] = [f"Unknown KPI: {criterion['kpi_id']}."]
        elif kpi.archived_at is not None:
            errors[f"criteria[{n}].kpi_id"] = [f"The KPI {kpi.name!r} is archived."]
    if errors:
        raise InvalidInput("A success criterion names a KPI that cannot be used.",
                           errors=errors)
    return [{"kpi_id": int(c["kpi_id"]), "threshold": float(c["threshold"])} for c in criteria]


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
    if "criteria" in data:
        data = {**data, "criteria": check_criteria(org, data["criteria"] or [])}
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
    if "criteria" in changes:
        changes = {**changes, "criteria": check_criteria(org, changes["criteria"] or [])}
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


#: The audit's name of `criteria` (the initiatives' audit already uses `criteria` for their
#: scorecard scores).
AUDIT_NAMES = {"criteria": "kpi_thresholds"}


def _state(pilot: Pilot) -> dict[str, Any]:
    return jsonable({AUDIT_NAMES.get(name, name): getattr(pilot, name) for name in FIELDS})


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
    if pilot.decision:
        webhooks.emit(org.id, "pilot.decided", {
            "pilot_id": pilot.id, "initiative_id": initiative.id,
            "initiative_title": initiative.title, "decision": pilot.decision,
            "decision_date": pilot.decision_date, "initiative_status": initiative.status})


def _move(org: Organization, actor: User | None, initiative: Initiative, pilot: Pilot,
          changes: dict[str, Any]) -> None:
    """Apply a status move a pilot causes, with the actual dates it carries
    (`lifecycle.with_move_dates`), audited old → new with the pilot's id."""
    changes, before = lifecycle.with_move_dates(org, initiative, changes), initiative.status
    audit(org, actor, "initiative", initiative.id, initiative.id, "update",
          {**{name: [getattr(initiative, name), value] for name, value in changes.items()},
           "pilot_id": pilot.id})
    for name, value in changes.items():
        setattr(initiative, name, value)
    emit_status_change(org, initiative, before, initiative.status, pilot_id=pilot.id)


def org_pilots(org: Organization, limit: int = 200) -> list[tuple[Pilot, str]]:
    """The organization's pilots with their initiative's title, latest start first (the
    barometer page lists their outcomes); one query."""
    rows = db.session.execute(
        select(Pilot, Initiative.title).join(Initiative, Initiative.id == Pilot.initiative_id)
        .where(Pilot.org_id == org.id)
        .order_by(Pilot.start.desc(), Pilot.id.desc()).limit(limit))
    return [(pilot, title) for pilot, title in rows]
