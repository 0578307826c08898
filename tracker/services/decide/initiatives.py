"""Initiatives of the backlog: create, read, change, delete, with traceability to findings,
expected uplifts, scorecard scores, several raters and an audit trail.

Status transitions follow `TRANSITIONS`. When raters exist, an initiative's method inputs
are the medians of their inputs (recomputed at each rating); the spread is shown beside them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.domain.errors import Conflict, InvalidInput, NotFound
from tracker.domain.prioritization import (
    INPUT_FIELDS,
    Criterion,
    MethodInputs,
    median_inputs,
    validate_criteria,
    validate_inputs,
)
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    CriterionScore,
    Dimension,
    Finding,
    Framework,
    Initiative,
    Organization,
    RaterInput,
    ScorecardCriterion,
    Uplift,
    User,
)
from tracker.services.diagnose.scores import latest_target_gaps
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

#: Allowed status moves. `done` may be reopened and `dropped` revived as `proposed`.
TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    "proposed": ("approved", "piloting", "dropped"),
    "approved": ("proposed", "piloting", "in_progress", "dropped"),
    "piloting": ("approved", "in_progress", "dropped"),
    "in_progress": ("approved", "done", "dropped"),
    "done": ("in_progress",),
    "dropped": ("proposed",),
}
#: Plain columns written as given (relations are handled apart).
PLAIN_FIELDS: tuple[str, ...] = ("title", "description", "status", "owner", "duration_weeks",
                                 "load", "class_override", "pinned_start", "actual_start",
                                 "actual_end", *INPUT_FIELDS)
_LOAD_ALL = (selectinload(Initiative.findings), selectinload(Initiative.rater_inputs),
             selectinload(Initiative.uplifts).selectinload(Uplift.dimension),
             selectinload(Initiative.criterion_scores).selectinload(CriterionScore.criterion))


def audit(org: Organization, actor: User | None, entity: str, entity_id: int,
          initiative_id: int | None, action: str, changes: Mapping[str, Any]) -> AuditEvent:
    """Add an audit event to the current transaction (who, what, old → new)."""
    event = AuditEvent(org_id=org.id, entity=entity, entity_id=entity_id,
                       initiative_id=initiative_id, action=action,
                       changes=jsonable(changes), user_id=actor.id if actor else None)
    db.session.add(event)
    return event


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, tuples as lists: what a JSON column stores."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def check_inputs(data: Mapping[str, Any], current: Initiative | None = None) -> None:
    """422 (per field) when the method inputs break the domain's rules, e.g. job size ≤ 0."""
    values = {name: data.get(name, getattr(current, name, None)) for name in INPUT_FIELDS}
    errors = validate_inputs(MethodInputs(**values))
    if errors:
        raise InvalidInput("Invalid prioritization inputs.", errors=errors)


def list_initiatives(org: Organization, page: int, per_page: int, finding_id: int | None = None,
                     status: str | None = None) -> Page[Initiative]:
    """The organization's initiatives by id; optionally those answering one finding."""
    stmt = (select(Initiative).where(Initiative.org_id == org.id).options(*_LOAD_ALL)
            .order_by(Initiative.id))
    if finding_id is not None:
        stmt = stmt.where(Initiative.findings.any(Finding.id == finding_id))
    if status is not None:
        stmt = stmt.where(Initiative.status == status)
    return paginate(stmt, page, per_page)


def get_initiative(org: Organization, initiative_id: int) -> Initiative:
    """One initiative of the organization, with its relations loaded."""
    initiative = db.session.scalar(select(Initiative).where(
        Initiative.id == initiative_id, Initiative.org_id == org.id).options(*_LOAD_ALL))
    if initiative is None:
        raise NotFound(f"Initiative {initiative_id} not found.")
    return initiative


def create_initiative(org: Organization, actor: User | None, data: Mapping[str, Any]) -> Initiative:
    """Create an initiative (any starting status) with its links, uplifts and scores."""
    check_inputs(data)
    with transaction():
        initiative = Initiative(org_id=org.id, **{k: data[k] for k in PLAIN_FIELDS if k in data})
        _set_relations(org, initiative, data)
        db.session.add(initiative)
        db.session.flush()
        audit(org, actor, "initiative", initiative.id, initiative.id, "create",
              {k: [None, v] for k, v in snapshot(initiative).items() if v not in (None, [], {})})
    return get_initiative(org, initiative.id)


def update_initiative(org: Organization, actor: User | None, initiative_id: int,
                      changes: Mapping[str, Any]) -> Initiative:
    """Change an initiative; a status move outside `TRANSITIONS` is a 409 naming the allowed."""
    initiative = get_initiative(org, initiative_id)
    new_status = changes.get("status", initiative.status)
    if new_status != initiative.status and new_status not in TRANSITIONS[initiative.status]:
        allowed = list(TRANSITIONS[initiative.status])
        raise Conflict(f"An initiative cannot go from {initiative.status} to {new_status}; "
                       f"allowed: {', '.join(allowed)}.", allowed=allowed,
                       errors={"status": [f"Must be one of: {', '.join(allowed)}."]})
    check_inputs(changes, initiative)
    with transaction():
        before = snapshot(initiative)
        for name in PLAIN_FIELDS:
            if name in changes:
                setattr(initiative, name, changes[name])
        _set_relations(org, initiative, changes)
        db.session.flush()
        after = snapshot(initiative)
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if diff:
            audit(org, actor, "initiative", initiative.id, initiative.id, "update", diff)
    return get_initiative(org, initiative.id)


def delete_initiative(org: Organization, actor: User | None, initiative_id: int) -> None:
    """Delete an initiative (its uplifts, scores, raters, pilots and links go with it)."""
    initiative = get_initiative(org, initiative_id)
    with transaction():
        audit(org, actor, "initiative", initiative.id, initiative.id, "delete",
              {k: [v, None] for k, v in snapshot(initiative).items() if v not in (None, [], {})})
        db.session.delete(initiative)


def snapshot(initiative: Initiative) -> dict[str, Any]:
    """The audited state of an initiative, JSON-ready."""
    state = {name: getattr(initiative, name) for name in PLAIN_FIELDS}
    state["finding_ids"] = finding_ids(initiative)
    state["uplifts"] = uplifts(initiative)
    state["criteria"] = criteria_scores(initiative)
    return jsonable(state)


def finding_ids(initiative: Initiative) -> list[int]:
    """The ids of the findings the initiative answers, sorted."""
    return sorted(f.id for f in initiative.findings)


def uplifts(initiative: Initiative) -> list[dict[str, Any]]:
    """`[{dimension, expected}]`, by dimension code."""
    return sorted(({"dimension": u.dimension.code, "expected": u.expected}
                   for u in initiative.uplifts), key=lambda u: u["dimension"])


def criteria_scores(initiative: Initiative) -> dict[str, float]:
    """The initiative's scorecard scores by criterion code."""
    return {s.criterion.code: s.score for s in initiative.criterion_scores}


def spread(initiative: Initiative) -> dict[str, float]:
    """max − min of the raters' inputs, per field some rater gave."""
    return median_inputs([_rater_inputs(r) for r in initiative.rater_inputs])[1]


def _rater_inputs(rater: RaterInput) -> MethodInputs:
    return MethodInputs(**{name: getattr(rater, name) for name in INPUT_FIELDS})


def _set_relations(org: Organization, initiative: Initiative, data: Mapping[str, Any]) -> None:
    """Replace the findings, uplifts and criterion scores that `data` gives."""
    if "finding_ids" in data:
        initiative.findings = owned_findings(org, data["finding_ids"])
    if "uplifts" in data:
        by_code = org_dimensions(org, [u["dimension"] for u in data["uplifts"]])
        current = {u.dimension_id: u for u in initiative.uplifts}
        wanted = {by_code[u["dimension"]].id: u["expected"] for u in data["uplifts"]}
        initiative.uplifts = [
            _uplift(current.get(dim_id), by_code, dim_id, expected)
            for dim_id, expected in wanted.items()]
    if "criteria" in data:
        criteria = {c.code: c for c in db.session.scalars(
            select(ScorecardCriterion).where(ScorecardCriterion.org_id == org.id))}
        unknown = sorted(set(data["criteria"]) - set(criteria))
        if unknown:
            raise InvalidInput("Unknown scorecard criteria.",
                               errors={"criteria": [f"Unknown criterion {c!r}." for c in unknown]})
        current_scores = {s.criterion_id: s for s in initiative.criterion_scores}
        scores = []
        for code, value in data["criteria"].items():
            score = current_scores.get(criteria[code].id) or CriterionScore(
                criterion=criteria[code])
            score.score = value
            scores.append(score)
        initiative.criterion_scores = scores


def _uplift(existing: Uplift | None, by_code: Mapping[str, Dimension], dim_id: int,
            expected: float) -> Uplift:
    if existing is not None:
        existing.expected = expected
        return existing
    dimension = next(d for d in by_code.values() if d.id == dim_id)
    return Uplift(dimension=dimension, expected=expected)


def owned_findings(org: Organization, ids: Iterable[int]) -> list[Finding]:
    """The organization's findings with these ids, in one query; 422 naming unknown ids."""
    wanted = sorted(set(ids))
    found = list(db.session.scalars(select(Finding).where(Finding.org_id == org.id,
                                                          Finding.id.in_(wanted))))
    unknown = sorted(set(wanted) - {f.id for f in found})
    if unknown:
        raise InvalidInput("Unknown findings.",
                           errors={"finding_ids": [f"Finding {i} not found." for i in unknown]})
    return found


def usable_dimensions(org: Organization, codes: Iterable[str] | None = None
                      ) -> dict[str, Dimension]:
    """Dimensions by code among the frameworks the organization may use (shared or its own),
    optionally only these codes, in one query; the most recent framework wins a code found
    in several. What an uplift may name (and what the initiative form offers)."""
    stmt = (select(Dimension).join(Framework, Framework.id == Dimension.framework_id)
            .where(Framework.org_id.is_(None) | (Framework.org_id == org.id))
            .order_by(Framework.id, Dimension.id))
    if codes is not None:
        stmt = stmt.where(Dimension.code.in_(set(codes)))
    return {d.code: d for d in db.session.scalars(stmt)}


def org_dimensions(org: Organization, codes: Iterable[str]) -> dict[str, Dimension]:
    """`usable_dimensions` with these codes; 422 naming the unknown ones."""
    wanted = set(codes)
    found = usable_dimensions(org, wanted)
    unknown = sorted(wanted - set(found))
    if unknown:
        raise InvalidInput("Unknown dimensions.",
                           errors={"uplifts": [f"Unknown dimension {c!r}." for c in unknown]})
    return found


def create_from_findings(org: Organization, actor: User | None,
                         ids: Sequence[int]) -> list[Initiative]:
    """One initiative per finding, titled after it, lifting its dimensions: expected uplift
    `min(1, target gap)` on the latest closed assessment, or 0.5 without a target or score."""

    findings = owned_findings(org, ids)
    for finding in findings:
        db.session.refresh(finding)
    gaps = latest_target_gaps(org)
    created: list[int] = []
    with transaction():
        for finding in sorted(findings, key=lambda f: f.id):
            initiative = Initiative(org_id=org.id, title=finding.title[:300],
                                    description=finding.description, findings=[finding])
            initiative.uplifts = [
                Uplift(dimension=d, expected=min(1.0, gap)
                       if (gap := gaps.get(d.code)) is not None else 0.5)
                for d in finding.dimensions]
            db.session.add(initiative)
            db.session.flush()
            audit(org, actor, "initiative", initiative.id, initiative.id, "create",
                  {"title": [None, initiative.title], "finding_ids": [None, [finding.id]]})
            created.append(initiative.id)
    return list(db.session.scalars(select(Initiative).where(Initiative.id.in_(created))
                                   .options(*_LOAD_ALL).order_by(Initiative.id)))


def rate(org: Organization, actor: User | None, initiative_id: int, rater: str,
         data: Mapping[str, Any]) -> Initiative:
    """Record one rater's inputs; the initiative's inputs become the raters' medians."""
    initiative = get_initiative(org, initiative_id)
    check_inputs({name: data.get(name) for name in INPUT_FIELDS}, None)
    with transaction():
        before = snapshot(initiative)
        row = next((r for r in initiative.rater_inputs if r.rater == rater), None)
        if row is None:
            row = RaterInput(rater=rater)
            initiative.rater_inputs.append(row)
        for name in INPUT_FIELDS:
            setattr(row, name, data.get(name))
        medians, _ = median_inputs([_rater_inputs(r) for r in initiative.rater_inputs])
        for name in INPUT_FIELDS:
            setattr(initiative, name, getattr(medians, name))
        after = snapshot(initiative)
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        audit(org, actor, "initiative", initiative.id, initiative.id, "rate",
              {"rater": rater, **diff})
    return get_initiative(org, initiative.id)


def scorecard(org: Organization) -> list[ScorecardCriterion]:
    """The organization's scorecard criteria, in their order."""
    return list(db.session.scalars(select(ScorecardCriterion).where(
        ScorecardCriterion.org_id == org.id).order_by(ScorecardCriterion.position)))


def domain_criteria(rows: Iterable[ScorecardCriterion]) -> list[Criterion]:
    """The criteria as the prioritization domain sees them."""
    return [Criterion(c.code, c.kind, c.weight) for c in rows]  # type: ignore[arg-type]


def replace_scorecard(org: Organization, criteria: Sequence[Mapping[str, Any]]
                      ) -> list[ScorecardCriterion]:
    """Replace the criteria (kept by code, so initiatives keep their scores on them)."""
    validate_criteria([Criterion(c["code"], c["kind"], c["weight"]) for c in criteria])
    with transaction():
        current = {c.code: c for c in scorecard(org)}
        for position, spec in enumerate(criteria):
            row = current.pop(spec["code"], None) or ScorecardCriterion(org_id=org.id,
                                                                        code=spec["code"])
            row.name, row.kind, row.weight, row.position = (spec["name"], spec["kind"],
                                                            spec["weight"], position)
            db.session.add(row)
        for row in current.values():
            db.session.delete(row)
    return scorecard(org)


def audit_trail(org: Organization, initiative_id: int, page: int,
                per_page: int) -> Page[AuditEvent]:
    """Every audited change on the initiative and its pilots and dependencies, oldest first."""
    get_owned(Initiative, org, initiative_id, "Initiative")
    return paginate(select(AuditEvent).where(AuditEvent.org_id == org.id,
                                             AuditEvent.initiative_id == initiative_id)
                    .order_by(AuditEvent.at, AuditEvent.id), page, per_page)


