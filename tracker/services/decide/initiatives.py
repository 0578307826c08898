"""Initiatives of the backlog: create, read, change, delete, with traceability to findings,
expected uplifts, scorecard scores, several raters and an audit trail.

Status transitions follow `TRANSITIONS` and carry their actual dates (`lifecycle`). Raters
add to the owner's method inputs and never erase them: the stored inputs are the owner's,
each rater's are stored beside them, and the value a method reads for a field is the median of
the raters who gave it, else the owner's (`effective_inputs`); the spread is per field.
Archiving, restoring and deleting are in `archive`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.domain import prioritization
from tracker.domain.errors import Conflict, InvalidInput, NotFound, StaleVersion
from tracker.domain.forecast import Estimate
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
from tracker.models.backlog import INITIATIVE_STATUSES
from tracker.services.audit import audit, jsonable
from tracker.services.decide import lifecycle
from tracker.services.decide.graph import InitiativeRow
from tracker.services.diagnose.scores import latest_target_gaps
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy import webhooks
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction
from tracker.services.upsert import upsert

#: Allowed status moves. `done` may be reopened and `dropped` revived as `proposed`.
TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    "proposed": ("approved", "piloting", "dropped"),
    "approved": ("proposed", "piloting", "in_progress", "dropped"),
    "piloting": ("approved", "in_progress", "dropped"),
    "in_progress": ("approved", "done", "dropped"),
    "done": ("in_progress",),
    "dropped": ("proposed",),
}
#: The three columns of a three-point estimate (the API's `estimate`).
ESTIMATE_FIELDS: tuple[str, ...] = ("estimate_optimistic", "estimate_likely",
                                    "estimate_pessimistic")
#: Plain columns written as given (relations are handled apart).
PLAIN_FIELDS: tuple[str, ...] = ("title", "description", "status", "owner", "duration_weeks",
                                 "load", "class_override", "pinned_start", "actual_start",
                                 "actual_end", "external_key", "external_url", *INPUT_FIELDS,
                                 *ESTIMATE_FIELDS)
_LOAD_ALL = (selectinload(Initiative.findings), selectinload(Initiative.rater_inputs),
             selectinload(Initiative.uplifts).selectinload(Uplift.dimension),
             selectinload(Initiative.criterion_scores).selectinload(CriterionScore.criterion))


def check_inputs(data: Mapping[str, Any], current: Initiative | None = None) -> None:
    """422 (per field) when the method inputs break the domain's rules, e.g. job size ≤ 0."""
    values = {name: data.get(name, getattr(current, name, None)) for name in INPUT_FIELDS}
    errors = validate_inputs(MethodInputs(**values))
    if errors:
        raise InvalidInput("Invalid prioritization inputs.", errors=errors)


def initiative_errors(org: Organization, data: Mapping[str, Any],
                      current: Initiative | None = None) -> dict[str, list[str]]:
    """Every field error the service finds in an initiative's data, all at once: a status move
    outside `TRANSITIONS`, method inputs out of range, unknown findings, dimensions or
    scorecard criteria, and actual dates out of order. `data` is a creation, or the changes
    of `current`; the schema has already shaped it (the pages pass what of a form the schema
    accepted, so its errors and these are shown together)."""
    data = lifecycle.with_move_dates(org, current, data)
    errors = _transition_errors(current, data.get("status"))
    for found in (_collected(check_inputs, data, current), _relation_errors(org, data),
                  lifecycle.date_errors(current, data)):
        for name, messages in found.items():
            errors.setdefault(name, []).extend(messages)
    return errors


def _checked(org: Organization, data: Mapping[str, Any],
             current: Initiative | None = None) -> dict[str, Any]:
    """`data` with the actual dates its status move sets, once `initiative_errors` finds
    nothing. An illegal status move alone is a 409 naming the allowed moves; any other error
    is a 422 carrying every field error (the status one among them)."""
    errors = initiative_errors(org, data, current)
    if current is not None and set(errors) == {"status"}:
        allowed = list(TRANSITIONS[current.status])
        raise Conflict(_("An initiative cannot go from %(current)s to %(status)s; allowed: "
                         "%(allowed)s.", current=current.status, status=data["status"],
                         allowed=", ".join(allowed)), allowed=allowed, errors=errors)
    if errors:
        raise InvalidInput(_("Some fields of the initiative are invalid."), errors=errors)
    return _with_estimate(lifecycle.with_move_dates(org, current, data))


def estimate_of(initiative: Initiative | InitiativeRow) -> Estimate | None:
    """The initiative's three-point estimate, or none while one of its points is missing."""
    points = (initiative.estimate_optimistic, initiative.estimate_likely,
              initiative.estimate_pessimistic)
    if points[0] is None or points[1] is None or points[2] is None:
        return None
    return Estimate(float(points[0]), float(points[1]), float(points[2]))


def _with_estimate(data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with its `estimate` (the schema's three columns, or null to clear them) spread
    over `ESTIMATE_FIELDS`."""
    spread = dict(data)
    if "estimate" in spread:
        spread.update(spread.pop("estimate") or dict.fromkeys(ESTIMATE_FIELDS))
    return spread


def _transition_errors(current: Initiative | None, status: str | None) -> dict[str, list[str]]:
    """The status error of a move outside `TRANSITIONS` (a creation may take any status)."""
    if current is None or status is None or status == current.status \
            or status in TRANSITIONS[current.status]:
        return {}
    return {"status": [f"Must be one of: {', '.join(TRANSITIONS[current.status])}."]}


def allowed_statuses(initiative: Initiative | None) -> list[str]:
    """The statuses an initiative may be given, in their usual order: its own and the moves
    `TRANSITIONS` allows from it (every status for a new one); what the status field offers."""
    if initiative is None:
        return list(INITIATIVE_STATUSES)
    return [status for status in INITIATIVE_STATUSES
            if status == initiative.status or status in TRANSITIONS[initiative.status]]


def _relation_errors(org: Organization, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Unknown findings, uplift dimensions and scorecard criteria named by `data`."""
    errors: dict[str, list[str]] = {}
    if "finding_ids" in data:
        errors.update(_collected(owned_findings, org, data["finding_ids"]))
    if "uplifts" in data:
        errors.update(_collected(org_dimensions, org, [
            u["dimension"] for u in data["uplifts"] if "dimension" in u]))
    if "criteria" in data:
        errors.update(_collected(org_criteria, org, data["criteria"]))
    return errors


def _collected(check: Callable[..., object], *args: Any) -> dict[str, list[str]]:
    """The field errors `check(*args)` raises as `InvalidInput` (none when it passes)."""
    try:
        check(*args)
    except InvalidInput as invalid:
        return {name: list(messages) for name, messages in invalid.errors.items()}
    return {}


def list_initiatives(org: Organization, page: int, per_page: int, finding_id: int | None = None,
                     status: str | None = None, archived: bool | None = None
                     ) -> Page[Initiative]:
    """The organization's initiatives by id (archived ones included); optionally those
    answering one finding, of one status, or only the archived (or not archived) ones."""
    stmt = (select(Initiative).where(Initiative.org_id == org.id).options(*_LOAD_ALL)
            .order_by(Initiative.id))
    if finding_id is not None:
        stmt = stmt.where(Initiative.findings.any(Finding.id == finding_id))
    if status is not None:
        stmt = stmt.where(Initiative.status == status)
    if archived is not None:
        stmt = stmt.where(Initiative.archived_at.is_not(None) if archived
                          else Initiative.archived_at.is_(None))
    return paginate(stmt, page, per_page)


def get_initiative(org: Organization, initiative_id: int, *,
                   for_update: bool = False) -> Initiative:
    """One initiative of the organization, with its relations loaded, as the database holds
    it now (what the session held of it is refreshed, its `version` included).

    `for_update` also locks its row until the transaction ends (`FOR UPDATE`; SQLite lets
    one writer in at a time anyway): how a write of the initiative begins, so that
    concurrent writes of one initiative queue up, each reading what the previous one wrote.
    """
    stmt = (select(Initiative).where(Initiative.id == initiative_id, Initiative.org_id == org.id)
            .options(*_LOAD_ALL).execution_options(populate_existing=True))
    initiative = db.session.scalar(stmt.with_for_update() if for_update else stmt)
    if initiative is None:
        raise NotFound(f"Initiative {initiative_id} not found.")
    return initiative


def create_initiative(org: Organization, actor: User | None, data: Mapping[str, Any]) -> Initiative:
    """Create an initiative (any starting status, with the actual dates it implies: see
    `lifecycle`) with its links, uplifts and scores; every field error at once."""
    data = _checked(org, data)
    with transaction():
        initiative = Initiative(org_id=org.id, **{k: data[k] for k in PLAIN_FIELDS if k in data})
        _set_relations(org, initiative, data)
        db.session.add(initiative)
        db.session.flush()
        audit(org, actor, "initiative", initiative.id, initiative.id, "create",
              {k: [None, v] for k, v in snapshot(initiative).items() if v not in (None, [], {})})
    return get_initiative(org, initiative.id)


def update_initiative(org: Organization, actor: User | None, initiative_id: int,
                      changes: Mapping[str, Any],
                      if_match: Set[int] | None = None) -> Initiative:
    """Change an initiative; a status move carries its actual dates (`lifecycle`); a move
    outside `TRANSITIONS` is a 409 naming the allowed ones; every field error at once.

    A `version` among the changes, or `if_match` (the versions an `If-Match` header names),
    makes it conditional: 412 when the initiative has moved on (`ensure_version`)."""
    initiative = get_initiative(org, initiative_id, for_update=True)
    ensure_version(initiative, changes.get("version"), if_match)
    changes = _checked(org, changes, initiative)
    with transaction():
        before, read_version = snapshot(initiative), initiative.version
        for name in PLAIN_FIELDS:
            if name in changes:
                setattr(initiative, name, changes[name])
        _set_relations(org, initiative, changes)
        db.session.flush()
        after = snapshot(initiative)
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if diff:
            initiative.version = read_version + 1  # also when only links or uplifts changed
            audit(org, actor, "initiative", initiative.id, initiative.id, "update", diff)
        if "status" in diff:
            emit_status_change(org, initiative, *diff["status"])
    return get_initiative(org, initiative.id)


def emit_status_change(org: Organization, initiative: Initiative, before: str, after: str,
                       **extra: Any) -> None:
    """Queue the `initiative.status_changed` webhooks of a status move, in the caller's
    transaction (`extra`: what caused it, e.g. a pilot's id)."""
    webhooks.emit(org.id, "initiative.status_changed", {
        "initiative_id": initiative.id, "title": initiative.title, "from": before,
        "to": after, "version": initiative.version, **extra})


def ensure_version(initiative: Initiative, version: int | None = None,
                   if_match: Set[int] | None = None) -> None:
    """412 when the writer's copy of the initiative is stale: `version` (sent with the
    changes) is not the current one, or `if_match` (from an `If-Match` header) does not
    name it. Without either, the write goes ahead on the current initiative, as it always
    did (so a client that sends neither keeps working, last write winning)."""
    current = initiative.version
    if (version is None or version == current) and (if_match is None or current in if_match):
        return
    raise StaleVersion(
        _("Initiative %(id)d has changed since this copy of it was read: it is at version "
          "%(version)d. Nothing was saved; read it again, then apply the change.",
          id=initiative.id, version=current),
        current_version=current, errors={"version": [_("The current version is %(version)d.",
                                                       version=current)]})


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


def own_inputs(initiative: Initiative) -> MethodInputs:
    """The initiative's own method inputs, as its owner gave them (raters never change them)."""
    return MethodInputs(**{name: getattr(initiative, name) for name in INPUT_FIELDS})


def effective_inputs(initiative: Initiative) -> MethodInputs:
    """The inputs the methods read: per field, the median of the raters who gave it, else the
    owner's value (`tracker.domain.prioritization.effective_inputs`). The backlog computes
    the same from rows (`services.decide.backlog.method_priorities`)."""
    return prioritization.effective_inputs(
        own_inputs(initiative), [_rater_inputs(r) for r in initiative.rater_inputs])


def _rater_inputs(rater: RaterInput) -> MethodInputs:
    return MethodInputs(**{name: getattr(rater, name) for name in INPUT_FIELDS})


def _rater_values(initiative: Initiative, rater: str) -> dict[str, float | None]:
    """One rater's current inputs by field (all null for a new rater)."""
    row = next((r for r in initiative.rater_inputs if r.rater == rater), None)
    return {name: getattr(row, name, None) for name in INPUT_FIELDS}


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
        criteria = org_criteria(org, data["criteria"])
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


def org_criteria(org: Organization, codes: Iterable[str]) -> dict[str, ScorecardCriterion]:
    """The organization's scorecard criteria by code, in one query; 422 naming the codes
    given that are not among them."""
    criteria = {c.code: c for c in db.session.scalars(
        select(ScorecardCriterion).where(ScorecardCriterion.org_id == org.id))}
    unknown = sorted(set(codes) - set(criteria))
    if unknown:
        raise InvalidInput("Unknown scorecard criteria.",
                           errors={"criteria": [f"Unknown criterion {c!r}." for c in unknown]})
    return criteria


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
    """Record one rater's inputs (those not given are null: this rater gave none), beside the
    owner's own, which stay as they are; the audit records the rater's old → new values.
    The inputs the methods read are then `effective_inputs`."""
    initiative = get_initiative(org, initiative_id, for_update=True)
    check_inputs({name: data.get(name) for name in INPUT_FIELDS}, None)
    with transaction():
        before = _rater_values(initiative, rater)
        upsert(RaterInput, [{"initiative_id": initiative.id, "rater": rater,
                             **{name: data.get(name) for name in INPUT_FIELDS}}],
               key=("initiative_id", "rater"))
        after = {name: data.get(name) for name in INPUT_FIELDS}
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if diff:
            initiative.version += 1
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
    """Replace the criteria (kept by code, so initiatives keep their scores on them); a
    criterion left out goes, with the initiatives' scores on it. `hint` (what a score
    means, for raters) is optional."""
    validate_criteria([Criterion(c["code"], c["kind"], c["weight"]) for c in criteria])
    with transaction():
        current = {c.code: c for c in scorecard(org)}
        for position, spec in enumerate(criteria):
            row = current.pop(spec["code"], None) or ScorecardCriterion(org_id=org.id,
                                                                        code=spec["code"])
            row.name, row.kind, row.weight, row.position = (spec["name"], spec["kind"],
                                                            spec["weight"], position)
            row.hint = spec.get("hint", "")
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


