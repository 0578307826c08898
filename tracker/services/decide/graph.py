"""Loading an organization's dependency graph: shared by the backlog and the roadmap."""

from __future__ import annotations

import networkx as nx
from sqlalchemy import select

from tracker.domain.graph import build_graph
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
