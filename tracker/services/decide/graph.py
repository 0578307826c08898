"""Loading an organization's dependency graph: shared by the backlog and the roadmap.

The graph is loaded as rows (one Core SELECT of the initiatives' columns, one of the edges)
and built once per version of the organization's data (`tracker.services.derived`): every
read, page, report and email of that version shares it. What it returns is shared, so never
change it: `tracker.domain.graph.drop_nodes` copies, and a write loads the ORM objects it
changes itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import NamedTuple

import networkx as nx
from sqlalchemy import select

from tracker.domain.graph import build_graph, drop_nodes
from tracker.extensions import db
from tracker.models import Dependency, Initiative, Organization
from tracker.services import derived


class InitiativeRow(NamedTuple):
    """An initiative as the graph, the backlog and the plan read it: the columns they use
    (not its description, external links, version, links, uplifts or raters), under the
    names of `tracker.models.Initiative` (a tuple: 30,000 of them are made in a few
    milliseconds)."""

    id: int
    title: str
    status: str
    owner: str | None
    duration_weeks: float | None
    estimate_optimistic: float | None
    estimate_likely: float | None
    estimate_pessimistic: float | None
    load: float | None
    business_value: float | None
    time_criticality: float | None
    risk_reduction: float | None
    job_size: float | None
    reach: float | None
    impact: float | None
    confidence: float | None
    effort: float | None
    ease: float | None
    class_override: str | None
    pinned_start: date | None
    actual_start: date | None
    actual_end: date | None
    archived_at: datetime | None

    @property
    def estimate(self) -> dict[str, float] | None:
        """The three-point estimate as the API shows it (see `Initiative.estimate`)."""
        points = (self.estimate_optimistic, self.estimate_likely, self.estimate_pessimistic)
        if points[0] is None or points[1] is None or points[2] is None:
            return None
        return {"optimistic": float(points[0]), "likely": float(points[1]),
                "pessimistic": float(points[2])}


#: The columns loaded, in the order of `InitiativeRow`'s fields.
COLUMNS = tuple(getattr(Initiative, name) for name in InitiativeRow._fields)

Graph = tuple[nx.DiGraph, dict[int, InitiativeRow]]


def load_graph(org: Organization) -> Graph:
    """The organization's dependency graph (edge prerequisite → dependent, `lag` in weeks)
    over all its initiatives, and the initiatives by id (rows, in id order): two queries
    once per version of the organization's data, none after. Shared: never change them.

    Dropped initiatives stay in the graph (callers decide what to do with them, e.g.
    `tracker.domain.graph.drop_nodes`); uplifts and findings are not loaded.
    """
    return derived.cached(org, "graph", None, lambda: _load(org))


def _load(org: Organization) -> Graph:
    connection = db.session.connection()  # Core rows: no ORM loading on the way
    make = InitiativeRow._make
    initiatives = {row[0]: make(row) for row in connection.execute(
        select(*COLUMNS).where(Initiative.org_id == org.id).order_by(Initiative.id))}
    edges: list[tuple[int, int, float]] = [(p, d, lag) for p, d, lag in connection.execute(
        select(Dependency.prerequisite_id, Dependency.dependent_id, Dependency.lag_weeks)
        .where(Dependency.org_id == org.id))]
    return build_graph(initiatives, edges), initiatives


def load_active_graph(org: Organization) -> Graph:
    """`load_graph` without the archived initiatives: what the backlog and the plan work on
    (computed once per version too; shared: never change it).

    An archived initiative leaves with its precedence kept, like a dropped one in the plan:
    its dependents then wait for its prerequisites (`tracker.domain.graph.drop_nodes`). The
    cycle check of a new dependency uses `load_graph`, archived initiatives included, so a
    restore never brings a cycle back.
    """
    return derived.cached(org, "active graph", None, lambda: _without(
        load_graph(org), lambda row: row.archived_at is not None))


def load_plan_graph(org: Organization) -> Graph:
    """`load_active_graph` without the dropped initiatives either, their precedence kept:
    the graph the backlog ranks and the roadmap plans (once per version; shared)."""
    return derived.cached(org, "plan graph", None, lambda: _without(
        load_active_graph(org), lambda row: row.status == "dropped"))


def _without(loaded: Graph, leaves: Callable[[InitiativeRow], bool]) -> Graph:
    """The graph and rows without the initiatives `leaves(row)` is true of (the same objects
    when none leaves)."""
    graph, initiatives = loaded
    gone = [n for n, row in initiatives.items() if leaves(row)]
    if not gone:
        return graph, initiatives
    graph = drop_nodes(graph, gone)
    return graph, {n: row for n, row in initiatives.items() if n in graph}
