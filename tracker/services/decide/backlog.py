"""The ranked backlog: every initiative scored by one method, classed, placed in a quadrant
and ranked by effective priority over the dependency graph (DESIGN section 3).

Loads in a constant number of queries (initiatives and edges, uplifts, criteria, criterion
scores, and for `gap` the latest closed assessment's scores and the targets), then computes
in `tracker.domain`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from sqlalchemy import select

from tracker.adapters.exporters import csv
from tracker.domain.errors import InvalidInput
from tracker.domain.graph import drop_nodes
from tracker.domain.prioritization import (
    INPUT_FIELDS,
    METHODS,
    MethodInputs,
    Priority,
    classify,
    gap_value,
    median,
    quadrant,
    score_initiative,
)
from tracker.domain.ranking import has_min_descendants, rank_backlog
from tracker.extensions import db
from tracker.models import (
    Axis,
    CriterionScore,
    Dimension,
    Initiative,
    Organization,
    ScorecardCriterion,
    Uplift,
)
from tracker.services.decide.graph import load_graph
from tracker.services.decide.initiatives import domain_criteria, scorecard
from tracker.services.diagnose.scores import latest_gaps_and_shares

CSV_COLUMNS = ("rank", "id", "title", "status", "value", "effort", "score", "missing",
               "effective_priority", "class", "computed_class", "quadrant", "actionable",
               "blocked_by")


@dataclass(frozen=True, slots=True)
class BacklogItem:
    """One line of the ranked backlog."""

    rank: int
    id: int
    title: str
    status: str
    value: float | None
    effort: float | None
    score: float | None
    missing: list[str]
    effective_priority: float | None
    class_: str
    computed_class: str
    quadrant: str | None
    actionable: bool
    blocked_by: list[int]


@dataclass(frozen=True, slots=True)
class Backlog:
    """The ranked backlog (one page of it) with the medians that split classes and quadrants."""

    method: str
    median_value: float | None
    median_effort: float | None
    items: list[BacklogItem]
    total: int
    page: int = 1
    per_page: int = 0


def load_uplifts(org: Organization) -> tuple[dict[int, dict[str, float]], dict[int, set[int]]]:
    """Expected uplift per initiative and dimension code, and the axes each initiative
    lifts, in one query."""
    lifted: dict[int, dict[str, float]] = defaultdict(dict)
    axes_of: dict[int, set[int]] = defaultdict(set)
    for initiative_id, code, axis_id, expected in db.session.execute(
            select(Uplift.initiative_id, Dimension.code, Axis.id, Uplift.expected)
            .join(Dimension, Dimension.id == Uplift.dimension_id)
            .join(Axis, Axis.id == Dimension.axis_id)
            .join(Initiative, Initiative.id == Uplift.initiative_id)
            .where(Initiative.org_id == org.id)):
        lifted[initiative_id][code] = expected
        axes_of[initiative_id].add(axis_id)
    return lifted, axes_of


def method_priorities(org: Organization, graph: nx.DiGraph, initiatives: dict[int, Initiative],
                      method: str, lifted: dict[int, dict[str, float]]) -> dict[int, Priority]:
    """Value, effort and score of every initiative of `graph` under `method`, loading the
    method's extra inputs (scorecard scores, or the latest gaps and shares) once."""
    if method not in METHODS:
        raise InvalidInput(f"Unknown prioritization method {method!r}.",
                           errors={"method": [f"Must be one of: {', '.join(METHODS)}."]})
    criteria = domain_criteria(scorecard(org)) if method == "scorecard" else []
    if method == "scorecard" and not criteria:
        raise InvalidInput("The organization has no scorecard criteria.",
                           errors={"method": ["Define the scorecard criteria first."]})
    scores_of: dict[int, dict[str, float]] = defaultdict(dict)
    if method == "scorecard":
        for initiative_id, code, score in db.session.execute(
                select(CriterionScore.initiative_id, ScorecardCriterion.code, CriterionScore.score)
                .join(ScorecardCriterion, ScorecardCriterion.id == CriterionScore.criterion_id)
                .where(ScorecardCriterion.org_id == org.id)):
            scores_of[initiative_id][code] = score
    gaps, shares = latest_gaps_and_shares(org) if method == "gap" else ({}, {})
    known_gaps = {k: v for k, v in gaps.items() if v is not None}
    priorities = {}
    for node in graph:
        inputs = MethodInputs(**{name: getattr(initiatives[node], name) for name in INPUT_FIELDS})
        gap = (gap_value(lifted[node], shares, known_gaps)
               if method == "gap" and lifted.get(node) and shares else None)
        priorities[node] = score_initiative(method, inputs, criteria=criteria,
                                            criteria_scores=scores_of.get(node),
                                            gap_value=gap)
    return priorities


def ranked_backlog(org: Organization, method: str | None = None) -> Backlog:
    """Every initiative but the dropped ones, ranked with `method` (default: the
    organization's). Done initiatives are listed and never block."""
    method = method or org.default_method
    graph, initiatives = load_graph(org)
    dropped = [i for i, initiative in initiatives.items() if initiative.status == "dropped"]
    if dropped:
        graph = drop_nodes(graph, dropped)
    lifted, axes_of = load_uplifts(org)
    priorities = method_priorities(org, graph, initiatives, method, lifted)
    median_value = median(p.value for p in priorities.values())
    median_effort = median(p.effort for p in priorities.values())
    many_dependents = has_min_descendants(graph)
    done = {node for node in graph if initiatives[node].status == "done"}
    items = []
    for ranked in rank_backlog(graph, {n: p.score for n, p in priorities.items()}, done):
        initiative, priority = initiatives[ranked.id], priorities[ranked.id]
        computed = classify(duration_weeks=initiative.duration_weeks, value=priority.value,
                            median_value=median_value,
                            lifted_axes=len(axes_of.get(ranked.id, ())),
                            has_min_dependents=many_dependents[ranked.id],
                            quick_win_max_weeks=org.quick_win_max_weeks,
                            structural_min_weeks=org.structural_min_weeks)
        items.append(BacklogItem(
            rank=ranked.rank, id=ranked.id, title=initiative.title, status=initiative.status,
            value=priority.value, effort=priority.effort, score=priority.score,
            missing=list(priority.missing), effective_priority=ranked.effective_priority,
            class_=initiative.class_override or computed, computed_class=computed,
            quadrant=quadrant(priority.value, priority.effort, median_value, median_effort),
            actionable=ranked.actionable, blocked_by=list(ranked.blocked_by)))
    return Backlog(method, median_value, median_effort, items, len(items))


def backlog_page(org: Organization, method: str | None, page: int, per_page: int) -> Backlog:
    """One page of the ranked backlog (ranks stay those of the whole backlog)."""
    full = ranked_backlog(org, method)
    start = (page - 1) * per_page
    return Backlog(full.method, full.median_value, full.median_effort,
                   full.items[start:start + per_page], full.total, page, per_page)


def backlog_csv(org: Organization, method: str | None) -> str:
    """The whole ranked backlog as CSV (one row per initiative; lists joined with `;`)."""
    return csv.table(CSV_COLUMNS, [
        (item.rank, item.id, item.title, item.status, item.value, item.effort, item.score,
         item.missing, item.effective_priority, item.class_, item.computed_class, item.quadrant,
         item.actionable, item.blocked_by) for item in ranked_backlog(org, method).items])
