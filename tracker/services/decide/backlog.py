"""The ranked backlog: every initiative scored by one method, classed, placed in a quadrant
and ranked by effective priority over the dependency graph (DESIGN section 3).

What is ranked: the initiatives still to do (not done, not dropped, not archived) by
default; `include_done` adds the done and dropped ones, and asking for one of those statuses
implies it. Archived initiatives are never in the backlog. Done initiatives keep their
place in the topological order when shown (they never block); dropped ones left the
dependency graph (their dependents wait for their prerequisites, as in the plan), so they
are listed after it, best score first. A method reads each initiative's effective inputs:
per field, the median of its raters who gave it, else the owner's value.

Loads in a constant number of queries (initiatives and edges, rater inputs, uplifts,
criteria, criterion scores, and for `gap` the latest closed assessment's scores and the
targets), then computes in `tracker.domain`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any

import networkx as nx
from sqlalchemy import select

from tracker.adapters.exporters import csv, jira, xlsx
from tracker.domain.errors import InvalidInput
from tracker.domain.follow.trend import is_stalled, stall_limit
from tracker.domain.graph import drop_nodes
from tracker.domain.prioritization import (
    ENABLER_MIN_DEPENDENTS,
    INPUT_FIELDS,
    METHODS,
    MethodInputs,
    Priority,
    classify,
    effective_inputs,
    gap_value,
    median,
    quadrant,
    score_initiative,
)
from tracker.domain.ranking import RankedItem, has_min_descendants, rank_backlog
from tracker.extensions import db
from tracker.models import (
    Axis,
    CriterionScore,
    Dependency,
    Dimension,
    Initiative,
    Organization,
    RaterInput,
    ScorecardCriterion,
    Uplift,
)
from tracker.services import derived
from tracker.services.decide.graph import InitiativeRow, load_active_graph, load_plan_graph
from tracker.services.decide.initiatives import domain_criteria, estimate_of, scorecard
from tracker.services.diagnose.scores import latest_gaps_and_shares

#: The statuses the default backlog hides: work that is over.
CLOSED_STATUSES: frozenset[str] = frozenset({"done", "dropped"})
CSV_COLUMNS = ("rank", "id", "title", "status", "value", "effort", "score", "missing",
               "effective_priority", "class", "computed_class", "quadrant", "enabler",
               "stalled", "actionable", "blocked_by")


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
    enabler: bool = False
    #: under way past its estimate's P85, or 1.5 times its duration (DESIGN "Stalled")
    stalled: bool = False


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


def load_rater_inputs(org: Organization) -> dict[int, list[MethodInputs]]:
    """Every rater's inputs per initiative of the organization, in one query (rows)."""
    columns = [getattr(RaterInput, name) for name in INPUT_FIELDS]
    found: dict[int, list[MethodInputs]] = defaultdict(list)
    for initiative_id, *values in db.session.execute(
            select(RaterInput.initiative_id, *columns)
            .join(Initiative, Initiative.id == RaterInput.initiative_id)
            .where(Initiative.org_id == org.id).order_by(RaterInput.id)):
        found[initiative_id].append(MethodInputs(**dict(zip(INPUT_FIELDS, values, strict=True))))
    return found


def method_priorities(org: Organization, graph: nx.DiGraph,
                      initiatives: Mapping[int, InitiativeRow | Initiative],
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
    raters = load_rater_inputs(org)
    own_inputs = attrgetter(*INPUT_FIELDS)  # MethodInputs' fields, in order
    priorities = {}
    for node in graph:
        own = MethodInputs(*own_inputs(initiatives[node]))
        rated = raters.get(node)
        inputs = effective_inputs(own, rated) if rated else own
        gap = (gap_value(lifted[node], shares, known_gaps)
               if method == "gap" and lifted.get(node) and shares else None)
        priorities[node] = score_initiative(method, inputs, criteria=criteria,
                                            criteria_scores=scores_of.get(node),
                                            gap_value=gap)
    return priorities


def uplifts_of(org: Organization) -> tuple[dict[int, dict[str, float]], dict[int, set[int]]]:
    """`load_uplifts`, once per version of the organization's data (shared: never change)."""
    return derived.cached(org, "uplifts", None, lambda: load_uplifts(org))


def priorities_of(org: Organization, method: str) -> dict[int, Priority]:
    """`method_priorities` of every initiative not archived (dropped ones too), once per
    version of the organization's data and method; an unknown or unusable method raises
    `InvalidInput` each time. Shared: never change it."""
    def compute() -> dict[int, Priority]:
        active, initiatives = load_active_graph(org)
        return method_priorities(org, active, initiatives, method, uplifts_of(org)[0])
    return derived.cached(org, "priorities", method, compute, errors=(InvalidInput,))


def enabler_ids(org: Organization) -> set[int]:
    """The initiatives at least `ENABLER_MIN_DEPENDENTS` others depend on, directly or
    indirectly, over the graph the backlog ranks (archived and dropped initiatives left
    out, their precedence kept), computed once per version of the organization's data (the
    set is the caller's own)."""
    return set(derived.cached(org, "enabler ids", None, lambda: frozenset(
        n for n, enough in _enablers(org).items() if enough)))


def _enablers(org: Organization) -> dict[int, bool]:
    return derived.cached(org, "enablers", None, lambda: has_min_descendants(
        load_plan_graph(org)[0], ENABLER_MIN_DEPENDENTS))


@dataclass(frozen=True, slots=True)
class _Ranking:
    """A ranking before its lines are made: what every line of it reads."""

    method: str
    #: the organization's class thresholds (`quick_win_max_weeks`, `structural_min_weeks`)
    thresholds: tuple[float, float]
    initiatives: Mapping[int, InitiativeRow]
    priorities: Mapping[int, Priority]
    axes_of: Mapping[int, set[int]]
    enablers: Mapping[int, bool]
    median_value: float | None
    median_effort: float | None
    ranked: list[RankedItem]

    def of_status(self, status: str | None) -> list[RankedItem]:
        """The ranked initiatives of one status (all of them for None)."""
        if status is None:
            return self.ranked
        return [r for r in self.ranked if self.initiatives[r.id].status == status]

    def items(self, ranked: Iterable[RankedItem], today: date) -> list[BacklogItem]:
        """The backlog's lines of these ranked initiatives, `stalled` at `today`."""
        quick_win, structural = self.thresholds
        median_value, median_effort = self.median_value, self.median_effort
        items = []
        for line in ranked:
            initiative, priority = self.initiatives[line.id], self.priorities[line.id]
            placed = quadrant(priority.value, priority.effort, median_value, median_effort)
            computed = classify(duration_weeks=initiative.duration_weeks, quadrant=placed,
                                lifted_axes=len(self.axes_of.get(line.id, ())),
                                quick_win_max_weeks=quick_win, structural_min_weeks=structural)
            items.append(BacklogItem(
                rank=line.rank, id=line.id, title=initiative.title, status=initiative.status,
                value=priority.value, effort=priority.effort, score=priority.score,
                missing=list(priority.missing), effective_priority=line.effective_priority,
                class_=initiative.class_override or computed, computed_class=computed,
                quadrant=placed, actionable=line.actionable, blocked_by=list(line.blocked_by),
                enabler=self.enablers.get(line.id, False), stalled=stalled(initiative, today)))
        return items


def _ranking(org: Organization, method: str | None, with_closed: bool) -> _Ranking:
    """The ranking under `method` (default: the organization's), once per version of the
    organization's data (shared: never change it)."""
    method = method or org.default_method
    return derived.cached(org, "ranking", (method, with_closed),
                          lambda: _rank(org, method, with_closed), errors=(InvalidInput,))


def _rank(org: Organization, method: str, with_closed: bool) -> _Ranking:
    active, initiatives = load_active_graph(org)
    graph = load_plan_graph(org)[0]
    priorities = priorities_of(org, method)
    still_to_do = [n for n in graph if initiatives[n].status not in CLOSED_STATUSES]
    ranked = (_ranked_with_closed(active, graph, initiatives, priorities) if with_closed
              else _ranked_still_to_do(graph, still_to_do, priorities))
    return _Ranking(method, (org.quick_win_max_weeks, org.structural_min_weeks),
                    initiatives, priorities, uplifts_of(org)[1], _enablers(org),
                    median(priorities[n].value for n in still_to_do),
                    median(priorities[n].effort for n in still_to_do), ranked)


def ranked_backlog(org: Organization, method: str | None = None, *,
                   include_done: bool = False, status: str | None = None) -> Backlog:
    """The initiatives still to do, ranked with `method` (default: the organization's);
    `include_done` ranks the done and dropped ones too (see the module's doc), and `status`
    keeps one status (ranks stay those of what was ranked). Classes and quadrants split at
    the medians of the initiatives still to do, whatever is shown.

    Computed once per version of the organization's data, method, what is shown and day
    (`stalled` reads today in the organization's timezone); shared: never change it."""
    with_closed = include_done or status in CLOSED_STATUSES
    ranking = _ranking(org, method, with_closed)
    today = datetime.now(org.zone).date()

    def compute() -> Backlog:
        items = ranking.items(ranking.of_status(status), today)
        return Backlog(ranking.method, ranking.median_value, ranking.median_effort, items,
                       len(items))
    return derived.cached(org, "backlog", (ranking.method, with_closed, status, today), compute)


def stalled(initiative: Initiative | InitiativeRow, today: date) -> bool:
    """Whether an initiative under way has run past its stall limit at `today`."""
    return initiative.status == "in_progress" and is_stalled(
        initiative.actual_start, today,
        p85_weeks=stall_limit(estimate_of(initiative), initiative.duration_weeks),
        duration_weeks=None)


def _ranked_still_to_do(graph: nx.DiGraph, still_to_do: list[int],
                        priorities: dict[int, Priority]) -> list[RankedItem]:
    """The default ranking: the done initiatives leave the graph with their precedence kept
    (they never block), so the ranks 1, 2, ... are the work still to do."""
    done = set(graph) - set(still_to_do)
    graph = drop_nodes(graph, done) if done else graph
    return rank_backlog(graph, {n: priorities[n].score for n in still_to_do}, set())


def _ranked_with_closed(active: nx.DiGraph, graph: nx.DiGraph,
                        initiatives: Mapping[int, InitiativeRow],
                        priorities: dict[int, Priority]) -> list[RankedItem]:
    """Every initiative ranked: the done ones in their topological place (never blocking),
    then the dropped ones, out of the graph, best score first; a dropped one is actionable
    when every prerequisite it had is done."""
    done = {n for n in graph if initiatives[n].status == "done"}
    ranked = rank_backlog(graph, {n: priorities[n].score for n in graph}, done)
    dropped = sorted((n for n in active if n not in graph), key=lambda n: (
        priorities[n].score is None, -(priorities[n].score or 0.0), n))
    for rank, node in enumerate(dropped, start=len(ranked) + 1):
        waiting = tuple(sorted(p for p in active.pred[node]
                               if initiatives[p].status != "done"))
        ranked.append(RankedItem(node, rank, priorities[node].score, priorities[node].score,
                                 not waiting, waiting))
    return ranked


def backlog_page(org: Organization, method: str | None, page: int, per_page: int, *,
                 include_done: bool = False, status: str | None = None) -> Backlog:
    """One page of the ranked backlog (ranks stay those of the whole backlog): only the
    page's lines are made, over the ranking computed once per version."""
    ranking = _ranking(org, method, include_done or status in CLOSED_STATUSES)
    shown = ranking.of_status(status)
    start = (page - 1) * per_page
    items = ranking.items(shown[start:start + per_page], datetime.now(org.zone).date())
    return Backlog(ranking.method, ranking.median_value, ranking.median_effort, items,
                   len(shown), page, per_page)


def backlog_csv(org: Organization, method: str | None, *, include_done: bool = False,
                status: str | None = None, sep: str | None = None) -> str:
    """The whole ranked backlog as CSV (one row per initiative; lists joined with `;`), in
    the organization's style (`sep` chooses the separator)."""
    return csv.table(CSV_COLUMNS, backlog_rows(org, method, include_done=include_done,
                                               status=status),
                     style=csv.CsvStyle.of(org.locale, sep))


def backlog_xlsx(org: Organization, method: str | None, *, include_done: bool = False,
                 status: str | None = None) -> bytes:
    """The whole ranked backlog as an Excel workbook: the CSV's columns and rows."""
    return xlsx.workbook(CSV_COLUMNS, backlog_rows(org, method, include_done=include_done,
                                                   status=status), sheet="Backlog")


def backlog_rows(org: Organization, method: str | None, *, include_done: bool = False,
                 status: str | None = None) -> list[tuple[Any, ...]]:
    """The ranked backlog's export rows, cells in the order of `CSV_COLUMNS`."""
    shown = ranked_backlog(org, method, include_done=include_done, status=status).items
    return [(item.rank, item.id, item.title, item.status, item.value, item.effort, item.score,
             item.missing, item.effective_priority, item.class_, item.computed_class,
             item.quadrant, item.enabler, item.stalled, item.actionable, item.blocked_by)
            for item in shown]


def backlog_jira_csv(org: Organization) -> str:
    """Every initiative not archived (done and dropped ones too) as Jira's CSV importer
    reads it, in id order: its external key (else `TRK-<id>`; a key already taken falls
    back the same way), and an `Outward issue link (Blocks)` per initiative waiting on it.
    Imported back with `preset=jira`, it gives the same initiatives and dependencies."""
    initiatives = list(db.session.scalars(select(Initiative).where(
        Initiative.org_id == org.id, Initiative.archived_at.is_(None)).order_by(Initiative.id)))
    keys: dict[int, str] = {}
    taken: set[str] = set()
    for initiative in initiatives:
        key = initiative.external_key
        keys[initiative.id] = (key if key and key not in taken
                               else f"{jira.KEY_PREFIX}-{initiative.id}")
        taken.add(keys[initiative.id])
    blocks: dict[int, list[str]] = defaultdict(list)
    for prerequisite, dependent in db.session.execute(
            select(Dependency.prerequisite_id, Dependency.dependent_id)
            .where(Dependency.org_id == org.id).order_by(Dependency.id)):
        if prerequisite in keys and dependent in keys:
            blocks[prerequisite].append(keys[dependent])
    return jira.issues_csv([jira.Issue(keys[i.id], i.title, i.status, i.description,
                                       i.job_size, tuple(blocks[i.id])) for i in initiatives])
