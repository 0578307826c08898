"""Loading an organization's dependency graph: shared by the backlog and the roadmap."""

from __future__ import annotations

import networkx as nx
from sqlalchemy import select

from tracker.domain.graph import build_graph, drop_nodes
from tracker.extensions import db
from tracker.models import Dependency, Initiative, Organization


def load_graph(org: Organization) -> tuple[nx.DiGraph, dict[int, Initiative]]:
    """The organization's dependency graph (edge prerequisite → dependent, `lag` in weeks)
    over all its initiatives, and the initiatives by id, in exactly two queries.

    Dropped initiatives stay in the graph (callers decide what to do with them, e.g.
    `tracker.domain.graph.drop_nodes`); uplifts and findings are not loaded.
    """
    initiatives = {initiative.id: initiative for initiative in db.session.scalars(
        select(Initiative).where(Initiative.org_id == org.id).order_by(Initiative.id))}
    edges = db.session.execute(
        select(Dependency.prerequisite_id, Dependency.dependent_id, Dependency.lag_weeks)
        .where(Dependency.org_id == org.id)).all()
    graph = build_graph(initiatives, [(p, d, lag) for p, d, lag in edges])
    return graph, initiatives


def load_active_graph(org: Organization) -> tuple[nx.DiGraph, dict[int, Initiative]]:
    """`load_graph` without the archived initiatives: what the backlog and the plan work on.

    An archived initiative leaves with its precedence kept, like a dropped one in the plan:
    its dependents then wait for its prerequisites (`tracker.domain.graph.drop_nodes`). The
    cycle check of a new dependency uses `load_graph`, archived initiatives included, so a
    restore never brings a cycle back.
    """
    graph, initiatives = load_graph(org)
    archived = [n for n, i in initiatives.items() if i.archived_at is not None]
    if not archived:
        return graph, initiatives
    graph = drop_nodes(graph, archived)
    return graph, {n: i for n, i in initiatives.items() if n in graph}
