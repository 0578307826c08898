"""Root causes: a finding marked as the symptom of another. The links form an acyclic graph
(edge root cause → symptom, refused like dependency cycles); findings are listed root causes
first, and initiatives that only answer symptoms are flagged with the root causes they leave
untreated.
"""

from __future__ import annotations

from typing import Any, cast

import networkx as nx
from sqlalchemy import CursorResult, delete, insert, select

from tracker.domain.errors import Conflict, DependencyCycle, InvalidInput, NotFound
from tracker.domain.graph import check_new_edge
from tracker.extensions import db
from tracker.models import Finding, Initiative, Organization, finding_root_cause
from tracker.models.backlog import initiative_finding
from tracker.services.locks import lock_organization_graphs
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction


def _links(org: Organization) -> list[tuple[int, int]]:
    """Every `(root_cause_id, symptom_id)` link of the organization, in one query."""
    rows = db.session.execute(
        select(finding_root_cause.c.root_cause_id, finding_root_cause.c.symptom_id)
        .join(Finding, Finding.id == finding_root_cause.c.symptom_id)
        .where(Finding.org_id == org.id))
    return [(cause, symptom) for cause, symptom in rows]


def _graph(org: Organization) -> tuple[nx.DiGraph[int], dict[int, Finding]]:
    findings = {f.id: f for f in db.session.scalars(
        select(Finding).where(Finding.org_id == org.id).order_by(Finding.id))}
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(findings)
    graph.add_edges_from(_links(org))
    return graph, findings


def add_root_cause(org: Organization, symptom_id: int, root_cause_id: int) -> dict[str, Any]:
    """Mark the finding `symptom_id` as a symptom of `root_cause_id`; 409 if the link exists
    or would close a cycle (`cycle`: the findings in order), 422 for a self-link. Checked
    under the organization's graph lock, so concurrent links cannot close a cycle together."""
    symptom = get_owned(Finding, org, symptom_id, "Finding")
    cause = get_owned(Finding, org, root_cause_id, "Finding")
    if symptom.id == cause.id:
        raise InvalidInput("A finding cannot be its own root cause.",
                           errors={"root_cause_id": ["must differ from the finding"]})
    with transaction() as session:
        lock_organization_graphs(org)
        graph, findings = _graph(org)
        if graph.has_edge(cause.id, symptom.id):
            raise Conflict(f"Finding {cause.id} is already a root cause of finding "
                           f"{symptom.id}.")
        try:
            check_new_edge(graph, cause.id, symptom.id)
        except DependencyCycle as cycle:
            cycle.extra["cycle_titles"] = [findings[n].title for n in cycle.cycle]
            raise
        session.execute(insert(finding_root_cause).values(symptom_id=symptom.id,
                                                          root_cause_id=cause.id))
    return finding_links(org, symptom.id)


def remove_root_cause(org: Organization, symptom_id: int, root_cause_id: int) -> None:
    """Remove the link; 404 if the finding is not a symptom of that root cause."""
    symptom = get_owned(Finding, org, symptom_id, "Finding")
    with transaction() as session:
        # a DELETE's result is a CursorResult, which Session.execute's types do not say
        result = cast(CursorResult[Any], session.execute(delete(finding_root_cause).where(
            finding_root_cause.c.symptom_id == symptom.id,
            finding_root_cause.c.root_cause_id == root_cause_id)))
        removed = result.rowcount
        if not removed:
            raise NotFound(f"Finding {root_cause_id} is not a root cause of finding "
                           f"{symptom.id}.")


def _view(finding: Finding, graph: nx.DiGraph[int]) -> dict[str, Any]:
    return {"id": finding.id, "kind": finding.kind, "title": finding.title,
            "status": finding.status, "root_causes": sorted(graph.predecessors(finding.id)),
            "symptoms": sorted(graph.successors(finding.id))}


def finding_links(org: Organization, finding_id: int) -> dict[str, Any]:
    """One finding with its root causes and its symptoms (ids)."""
    finding = get_owned(Finding, org, finding_id, "Finding")
    graph, _ = _graph(org)
    return _view(finding, graph)


def findings_root_causes_first(org: Organization) -> list[dict[str, Any]]:
    """Every finding of the organization, each after its root causes (a topological order
    of the links, by id among equals), with its root causes and symptoms."""
    graph, findings = _graph(org)
    return [_view(findings[n], graph) for n in nx.lexicographical_topological_sort(graph)]


def order_root_causes_first(org: Organization, findings: list[Finding]) -> tuple[list[Finding],
                                                                           dict[int, Any]]:
    """The assessment's findings ordered root causes first (the service's topological
    order), and each finding's root causes and symptoms among them, for a page
    that shows them in that order."""
    order = findings_root_causes_first(org)
    shown = {f.id: f for f in findings}
    ordered = [shown[row["id"]] for row in order if row["id"] in shown]
    ordered += [f for f in findings if f not in ordered]
    links = {row["id"]: {"root_causes": [shown[i] for i in row["root_causes"] if i in shown],
                         "symptoms": [shown[i] for i in row["symptoms"] if i in shown]}
             for row in order if row["id"] in shown}
    return ordered, links


def symptom_only_initiatives(org: Organization) -> list[dict[str, Any]]:
    """Initiatives (not dropped) whose findings are all symptoms and that leave a root cause
    of them answered by no initiative; each with those untreated root causes."""
    graph, findings = _graph(org)
    linked: dict[int, tuple[str, list[int]]] = {}
    for initiative_id, title, finding_id in db.session.execute(
            select(Initiative.id, Initiative.title, initiative_finding.c.finding_id)
            .join(initiative_finding, initiative_finding.c.initiative_id == Initiative.id)
            .where(Initiative.org_id == org.id, Initiative.status != "dropped")
            .order_by(Initiative.id)):
        linked.setdefault(initiative_id, (title, []))[1].append(finding_id)
    answered = {f for _title, ids in linked.values() for f in ids}
    flagged = []
    for initiative_id, (title, found) in linked.items():
        ids = sorted(found)
        if not ids or any(graph.in_degree(i) == 0 for i in ids):
            continue
        untreated = sorted({c for i in ids for c in graph.predecessors(i)} - answered)
        if untreated:
            flagged.append({"initiative_id": initiative_id, "title": title,
                            "finding_ids": ids,
                            "untreated_root_causes": [{"id": c, "title": findings[c].title}
                                                      for c in untreated]})
    return flagged
