"""Findings: diagnostic conclusions people write, and those the rules suggest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import selectinload

from tracker.domain.constants import BLIND_SPOT_GAP, TENSION_STDEV
from tracker.domain.errors import DependencyCycle, InvalidInput
from tracker.domain.findings import suggest_findings
from tracker.domain.perception import ATTRIBUTES
from tracker.extensions import db
from tracker.models import (
    Assessment,
    Dimension,
    Evidence,
    Finding,
    Initiative,
    Organization,
    User,
    finding_root_cause,
)
from tracker.models.findings import finding_dimension
from tracker.services.audit import audit
from tracker.services.diagnose import perception
from tracker.services.diagnose.finding_texts import suggestion_texts
from tracker.services.diagnose.scores import scored_assessment
from tracker.services.frame import frameworks
from tracker.services.locks import lock_organization_graphs
from tracker.services.observe import assessments
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

#: The statuses a suggestion may be reviewed to, one at a time or several at once.
REVIEW_STATUSES: tuple[str, ...] = ("accepted", "dismissed")


@dataclass(frozen=True)
class SuggestResult:
    """What a suggestion run stored, and how many suggestions were already there."""

    created: list[Finding]
    skipped: int
    skipped_dismissed: int


def _with_links() -> tuple[Any, ...]:
    return (selectinload(Finding.dimensions), selectinload(Finding.evidence))


def list_findings(org: Organization, page: int, per_page: int,
                  filters: Mapping[str, Any]) -> Page[Finding]:
    """The organization's findings, optionally of one assessment, kind or status."""
    stmt = (select(Finding).where(Finding.org_id == org.id).options(*_with_links())
            .order_by(Finding.id))
    for name in ("assessment_id", "kind", "status"):
        if filters.get(name) is not None:
            stmt = stmt.where(getattr(Finding, name) == filters[name])
    return paginate(stmt, page, per_page)


def get_finding(org: Organization, finding_id: int) -> Finding:
    """One of the organization's findings (404 otherwise)."""
    return get_owned(Finding, org, finding_id, "Finding")


def create_finding(org: Organization, data: Mapping[str, Any]) -> Finding:
    """Write a finding on dimensions (of its assessment's framework) with evidence."""
    assessment = _assessment(org, data.get("assessment_id"))
    dimensions = _dimensions(org, assessment, data.get("dimensions", []))
    evidence = _evidence(org, assessment, data.get("evidence_ids", []))
    with transaction() as session:
        finding = Finding(org_id=org.id, assessment_id=assessment.id if assessment else None,
                          kind=data["kind"], title=data["title"],
                          description=data.get("description") or "",
                          status=data.get("status") or "accepted", metrics={},
                          dimensions=dimensions, evidence=evidence)
        session.add(finding)
    return finding


def update_finding(org: Organization, finding_id: int, changes: Mapping[str, Any]) -> Finding:
    """Edit a finding, or accept or dismiss a suggested one."""
    finding = get_finding(org, finding_id)
    assessment = _assessment(org, finding.assessment_id)
    dimensions = (_dimensions(org, assessment, changes["dimensions"])
                  if "dimensions" in changes else None)
    evidence = (_evidence(org, assessment, changes["evidence_ids"])
                if "evidence_ids" in changes else None)
    with transaction():
        for name in ("kind", "title", "description", "status"):
            if name in changes:
                setattr(finding, name, changes[name])
        if dimensions is not None:
            finding.dimensions = dimensions
        if evidence is not None:
            finding.evidence = evidence
    return finding


def review_suggestions(org: Organization, finding_ids: Sequence[int],
                       status: str) -> list[Finding]:
    """Accept or dismiss several suggested findings at once, all or nothing: if one id is
    not a suggestion of the organization (unknown, or already reviewed), none changes."""
    if status not in REVIEW_STATUSES:
        raise InvalidInput("Choose accept or dismiss.",
                           errors={"status": ["Must be accepted or dismissed."]})
    ids = list(dict.fromkeys(finding_ids))
    if not ids:
        raise InvalidInput("Select at least one suggestion.",
                           errors={"finding_ids": ["Select at least one suggestion."]})
    found = {f.id: f for f in db.session.scalars(
        select(Finding).where(Finding.org_id == org.id, Finding.id.in_(ids),
                              Finding.status == "suggested"))}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise InvalidInput(f"Not a suggestion awaiting review: {', '.join(missing)}.",
                           errors={"finding_ids": [
                               f"Not a suggestion awaiting review: {', '.join(missing)}."]})
    with transaction():
        for finding in found.values():
            finding.status = status
    return [found[i] for i in ids]


def merged_into(finding: Finding) -> int | None:
    """The id of the finding this one was merged into, if it was."""
    target = (finding.metrics or {}).get("merged_into")
    return int(target) if target is not None else None


def merge_findings(org: Organization, keep_id: int, merged_id: int,
                   actor: User | None) -> Finding:
    """Merge the finding `merged_id` into `keep_id`, both of one assessment: its evidence,
    initiatives and root-cause links (as root cause and as symptom) move to the kept one,
    which also gains its dimensions. The merged finding is never deleted, so decisions and
    reports that cite it still resolve: it is dismissed, marked `merged_into` in its
    metrics, and the move is audited (`finding` / `merge`, with every link that moved).
    Refused (409) if joining the two would close a root-cause cycle."""
    keep, merged = _mergeable(org, keep_id, merged_id)
    with transaction():
        lock_organization_graphs(org)
        causes, symptoms = _move_root_causes(org, keep, merged)
        initiative_ids = _move_initiatives(org, keep, merged, actor)
        evidence_ids = [e.id for e in merged.evidence]
        keep.evidence = list(dict.fromkeys([*keep.evidence, *merged.evidence]))
        keep.dimensions = list(dict.fromkeys([*keep.dimensions, *merged.dimensions]))
        merged.evidence = []
        audit(org, actor, "finding", merged.id, None, "merge", {
            "merged_into": [None, keep.id], "status": [merged.status, "dismissed"],
            "evidence_ids": [evidence_ids, []], "initiative_ids": [initiative_ids, []],
            "root_cause_ids": [causes, []], "symptom_ids": [symptoms, []]})
        merged.status = "dismissed"
        merged.metrics = {**(merged.metrics or {}), "merged_into": keep.id}
    return keep


def _mergeable(org: Organization, keep_id: int, merged_id: int) -> tuple[Finding, Finding]:
    """The two findings of a merge, if they may be merged (errors keyed by field)."""
    keep = get_finding(org, keep_id)
    merged = get_finding(org, merged_id)
    errors: dict[str, list[str]] = {}
    if keep.id == merged.id:
        errors["merged_id"] = ["Choose another finding than the one kept."]
    elif keep.assessment_id != merged.assessment_id:
        errors["merged_id"] = ["Only findings of the same assessment can be merged."]
    for field, finding in (("keep_id", keep), ("merged_id", merged)):
        if merged_into(finding) is not None:
            errors.setdefault(field, []).append("This finding was already merged.")
    if errors:
        raise InvalidInput("These findings cannot be merged.", errors=errors)
    return keep, merged


def _move_root_causes(org: Organization, keep: Finding,
                      merged: Finding) -> tuple[list[int], list[int]]:
    """Move the merged finding's root-cause links to the kept one (a link between the two
    disappears); the merged one's root causes and symptoms before the move."""
    rows = list(db.session.execute(
        select(finding_root_cause.c.root_cause_id, finding_root_cause.c.symptom_id)
        .join(Finding, Finding.id == finding_root_cause.c.symptom_id)
        .where(Finding.org_id == org.id)))
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from([keep.id, merged.id])
    graph.add_edges_from((cause, symptom) for cause, symptom in rows)
    causes = sorted(graph.predecessors(merged.id))
    symptoms = sorted(graph.successors(merged.id))
    joined = nx.contracted_nodes(graph, keep.id, merged.id, self_loops=False)
    if not nx.is_directed_acyclic_graph(joined):
        cycle = [edge[0] for edge in nx.find_cycle(joined)]
        raise DependencyCycle([*cycle, cycle[0]], detail=(
            "Merging these findings would close a root-cause cycle: remove a root-cause "
            "link between them first."))
    new = ({(c, keep.id) for c in causes if c != keep.id}
           | {(keep.id, s) for s in symptoms if s != keep.id}) - set(graph.edges)
    db.session.execute(delete(finding_root_cause).where(or_(
        finding_root_cause.c.symptom_id == merged.id,
        finding_root_cause.c.root_cause_id == merged.id)))
    if new:
        db.session.execute(insert(finding_root_cause), [
            {"root_cause_id": c, "symptom_id": s} for c, s in sorted(new)])
    return causes, symptoms


def _move_initiatives(org: Organization, keep: Finding, merged: Finding,
                      actor: User | None) -> list[int]:
    """Link the merged finding's initiatives to the kept one instead, each change in the
    initiative's audit trail; their ids."""
    moved = list(db.session.scalars(
        select(Initiative).where(Initiative.org_id == org.id,
                                 Initiative.findings.any(Finding.id == merged.id))
        .options(selectinload(Initiative.findings)).order_by(Initiative.id)))
    for initiative in moved:
        before = sorted(f.id for f in initiative.findings)
        initiative.findings = list(dict.fromkeys(
            keep if f.id == merged.id else f for f in initiative.findings))
        audit(org, actor, "initiative", initiative.id, initiative.id, "update",
              {"finding_ids": [before, sorted(f.id for f in initiative.findings)]})
    return [i.id for i in moved]


def suggest(org: Organization, assessment_id: int) -> SuggestResult:
    """Store the findings the rules suggest for an assessment (status `suggested`, with the
    numbers that triggered them); a suggestion already stored, even dismissed, is skipped.
    Titles and descriptions are written in the organization's language now, once: a
    stored finding keeps its words.

    New findings are written in two bulk statements, so the number of queries does not grow
    with the number of respondents or of suggestions.
    """
    scored = scored_assessment(org, assessment_id)
    grid = perception.grid_from(scored)
    gaps_by = {by: perception.dimension_gaps(org, grid, by)
               for by in ATTRIBUTES}
    suggestions = suggest_findings(
        scored.scores, scored.targets, gaps_by,
        perception.dimension_leader_gaps(org, grid),
        tension_stdev=TENSION_STDEV, blind_spot_gap=BLIND_SPOT_GAP,
        source_spread_threshold=org.perception_gap_threshold)
    known: dict[str | None, str] = {key: status for key, status in db.session.execute(
        select(Finding.suggestion_key, Finding.status)
        .where(Finding.assessment_id == scored.assessment.id,
               Finding.suggestion_key.is_not(None)))}
    dimension_ids = {code: d.id for code, d in
                     frameworks.dimensions_by_code(scored.framework).items()}
    fresh = [s for s in suggestions if s.key not in known]
    created_ids: dict[str, int] = {}
    if fresh:
        texts = suggestion_texts(fresh, scored.framework, org.locale or "en")
        with transaction() as session:
            session.execute(insert(Finding), [
                {"org_id": org.id, "assessment_id": scored.assessment.id, "kind": s.kind,
                 "title": texts[s.key].title[:300], "description": texts[s.key].description,
                 "status": "suggested", "suggestion_key": s.key, "metrics": s.metrics}
                for s in fresh])
            created_ids = {key: finding_id for finding_id, key in session.execute(
                select(Finding.id, Finding.suggestion_key)
                .where(Finding.assessment_id == scored.assessment.id,
                       Finding.suggestion_key.in_([s.key for s in fresh])))
                if key is not None}  # never None: selected among the keys
            session.execute(insert(finding_dimension), [
                {"finding_id": created_ids[s.key], "dimension_id": dimension_ids[s.dimension]}
                for s in fresh])
    skipped = [known[s.key] for s in suggestions if s.key in known]
    return SuggestResult(_reloaded(list(created_ids.values())), len(skipped),
                         skipped.count("dismissed"))


def _reloaded(ids: Sequence[int]) -> list[Finding]:
    """Committed findings with their links, in three queries however many there are."""
    if not ids:
        return []
    return list(db.session.scalars(select(Finding).where(Finding.id.in_(list(ids)))
                                   .options(*_with_links()).order_by(Finding.id)))


def _assessment(org: Organization, assessment_id: int | None) -> Assessment | None:
    if assessment_id is None:
        return None
    return assessments.get_assessment(org, assessment_id)


def _dimensions(org: Organization, assessment: Assessment | None,
                codes: Sequence[str]) -> list[Dimension]:
    if not codes:
        return []
    framework_id = assessment.framework_id if assessment else _latest_framework_id(org)
    if framework_id is None:
        raise InvalidInput("Give the assessment_id whose framework holds these dimensions.",
                           errors={"assessment_id": ["Required to name dimensions."]})
    by_code = frameworks.dimensions_by_code(frameworks.load_framework(framework_id))
    unknown = [code for code in codes if code not in by_code]
    if unknown:
        raise InvalidInput(f"Unknown dimension code(s): {', '.join(unknown)}.",
                           errors={"dimensions": [f"Unknown: {', '.join(unknown)}."]})
    return [by_code[code] for code in dict.fromkeys(codes)]


def _latest_framework_id(org: Organization) -> int | None:
    return db.session.scalar(select(Assessment.framework_id).where(Assessment.org_id == org.id)
                             .order_by(Assessment.created_at.desc(), Assessment.id.desc())
                             .limit(1))


def _evidence(org: Organization, assessment: Assessment | None,
              ids: Sequence[int]) -> list[Evidence]:
    if not ids:
        return []
    stmt = select(Evidence).where(Evidence.org_id == org.id, Evidence.id.in_(list(ids)))
    if assessment is not None:
        stmt = stmt.where(Evidence.assessment_id == assessment.id)
    found = {e.id: e for e in db.session.scalars(stmt)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise InvalidInput(f"Unknown evidence id(s): {', '.join(missing)}.",
                           errors={"evidence_ids": [f"Unknown: {', '.join(missing)}."]})
    return [found[i] for i in dict.fromkeys(ids)]
