"""Dependencies between initiatives: the edge list, with cycles refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from tracker.domain.errors import DependencyCycle
from tracker.domain.graph import check_new_edge
from tracker.extensions import db
from tracker.models import Dependency, Initiative, Organization, User
from tracker.services.decide.graph import load_graph
from tracker.services.decide.initiatives import audit
from tracker.services.locks import lock_organization_graphs
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction


def list_dependencies(org: Organization, page: int, per_page: int) -> Page[Dependency]:
    """The organization's dependencies by id."""
    return paginate(select(Dependency).where(Dependency.org_id == org.id)
                    .order_by(Dependency.id), page, per_page)


def add_dependency(org: Organization, actor: User | None,
                   data: Mapping[str, Any]) -> Dependency:
    """`dependent` waits for `prerequisite`: both of the organization (else 404); a
    self-dependency is 422, a duplicate 409, and a cycle 409 with `cycle` and `cycle_titles`.

    The graph is checked under the organization's graph lock, so two requests at the same
    instant (A → B and B → A) cannot both pass the check: the later one sees the first edge."""
    prerequisite = get_owned(Initiative, org, data["prerequisite_id"], "Initiative")
    dependent = get_owned(Initiative, org, data["dependent_id"], "Initiative")
    with transaction():
        lock_organization_graphs(org)
        graph, initiatives = load_graph(org)
        try:
            check_new_edge(graph, prerequisite.id, dependent.id, data.get("lag_weeks", 0.0))
        except DependencyCycle as cycle:
            cycle.extra["cycle_titles"] = [initiatives[node].title for node in cycle.cycle]
            raise
        edge = Dependency(org_id=org.id, prerequisite_id=prerequisite.id,
                          dependent_id=dependent.id, lag_weeks=data.get("lag_weeks", 0.0))
        db.session.add(edge)
        db.session.flush()
        _audit(org, actor, edge, "create")
    return edge


def delete_dependency(org: Organization, actor: User | None, dependency_id: int) -> None:
    """Remove a dependency."""
    edge = get_owned(Dependency, org, dependency_id, "Dependency")
    with transaction():
        _audit(org, actor, edge, "delete")
        db.session.delete(edge)


def _audit(org: Organization, actor: User | None, edge: Dependency, action: str) -> None:
    """One event on each initiative's trail."""
    state = {"prerequisite_id": edge.prerequisite_id, "dependent_id": edge.dependent_id,
             "lag_weeks": edge.lag_weeks}
    changes = {k: [None, v] if action == "create" else [v, None] for k, v in state.items()}
    for initiative_id in (edge.prerequisite_id, edge.dependent_id):
        audit(org, actor, "dependency", edge.id, initiative_id, action, changes)
