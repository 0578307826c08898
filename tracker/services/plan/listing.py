"""The roadmap's lists as pages: its timeline table filtered and sorted, a baseline
comparison and a what-if, each computed once per version of the organization's data and
arguments (`tracker.services.derived.cached`) from the plan of `roadmap.plan`, so a page
shows a page whatever the organization's size (issue 20).

Every value answered here is shared between requests: callers never change it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.domain.errors import TrackerError
from tracker.models import Organization
from tracker.services import derived
from tracker.services.pagination import Page, page_of
from tracker.services.plan import baselines, roadmap

#: The columns the timeline table sorts by, each with its natural direction (the highest
#: priority first, the rest earliest or smallest first).
SORTS = {"start": False, "end": False, "slack": False, "priority": True}


@dataclass(frozen=True)
class TableQuery:
    """What the timeline table shows: the entries whose title holds `text` (case
    ignored), of `status`, on the critical path only (`critical`), ending in `phase`
    (blank: any), sorted by `sort` (`SORTS`), reversed from its natural direction when
    `reverse`."""

    text: str = ""
    status: str = ""
    critical: bool = False
    phase: str = ""
    sort: str = "start"
    reverse: bool = False


@dataclass(frozen=True)
class TableRow:
    """One row of the timeline table: the roadmap's entry, the initiative's status and its
    effective priority (None: unscored)."""

    entry: roadmap.RoadmapEntry
    status: str
    priority: float | None


@dataclass(frozen=True)
class TableFacts:
    """What the table's filters offer and the page says of the whole plan: the statuses
    present (sorted), the phases (in order) and how many entries have an unverified
    slack."""

    statuses: list[str]
    phases: list[str]
    unverified: int


def table_facts(org: Organization, params: roadmap.PlanParams) -> TableFacts:
    """The statuses and phases the plan holds and its unverified slacks, once per version."""
    resolved = params.resolved(org)

    def compute() -> TableFacts:
        network, _plan = roadmap.plan(org, resolved)
        planned = roadmap.get_roadmap(org, resolved)
        return TableFacts(
            sorted({network.initiatives[e.initiative_id].status for e in planned.initiatives}),
            [p.name for p in planned.phases],
            sum(1 for e in planned.initiatives if not e.slack_verified))
    return derived.cached(org, "roadmap-table-facts", resolved, compute)


def table_rows(org: Organization, params: roadmap.PlanParams,
               query: TableQuery) -> list[TableRow]:
    """The plan's entries that `query` keeps, in its order (ties by start, then id), once
    per version of the data, parameters and query."""
    resolved = params.resolved(org)
    return derived.cached(org, "roadmap-table", (resolved, query),
                          lambda: _rows(org, resolved, query))


def _rows(org: Organization, params: roadmap.PlanParams, query: TableQuery) -> list[TableRow]:
    network, _plan = roadmap.plan(org, params)
    planned = roadmap.get_roadmap(org, params)
    needle = query.text.strip().casefold()
    rows = [TableRow(e, network.initiatives[e.initiative_id].status,
                     network.items[e.initiative_id].priority)
            for e in planned.initiatives
            if (not needle or needle in e.title.casefold())
            and (not query.critical or e.critical)
            and (not query.phase or e.phase == query.phase)
            and (not query.status or network.initiatives[e.initiative_id].status
                 == query.status)]
    return sort_rows(rows, query.sort, query.reverse)


def sort_rows(rows: Sequence[TableRow], sort: str, reverse: bool = False) -> list[TableRow]:
    """`rows` by `sort` in its natural direction (`SORTS`; reversed when `reverse`), ties
    by start then id; an unscored priority comes last either way.

    >>> from datetime import date
    >>> def row(n, start, slack, priority):
    ...     day = date(2025, 1, start)
    ...     return TableRow(roadmap.RoadmapEntry(n, f"I{n}", day, day, 0, None, slack,
    ...                     slack == 0), "approved", priority)
    >>> rows = [row(1, 6, 2.0, None), row(2, 7, 0.0, 3.0), row(3, 6, 1.0, 5.0)]
    >>> [r.entry.initiative_id for r in sort_rows(rows, "priority")]
    [3, 2, 1]
    >>> [r.entry.initiative_id for r in sort_rows(rows, "slack", reverse=True)]
    [1, 3, 2]
    """
    def tie(row: TableRow) -> tuple[Any, ...]:
        return (row.entry.start, row.entry.initiative_id)

    if sort == "priority":
        scored = sorted((r for r in rows if r.priority is not None), key=tie)
        scored.sort(key=lambda r: r.priority or 0.0, reverse=not reverse)
        return [*scored, *sorted((r for r in rows if r.priority is None), key=tie)]
    column = {"end": lambda r: r.entry.end, "slack": lambda r: r.entry.slack_weeks}.get(sort)
    ordered = sorted(rows, key=tie)
    if column is not None:
        ordered.sort(key=column)
    return ordered[::-1] if reverse else ordered


def table_page(org: Organization, params: roadmap.PlanParams, query: TableQuery,
               page: int, per_page: int) -> Page[TableRow]:
    """One page of the timeline table (a page past the end is the last)."""
    return page_of(table_rows(org, params, query), page, per_page)


# Baseline comparison -----------------------------------------------------------------------

def comparison(org: Organization, baseline_id: int,
               params: roadmap.PlanParams) -> dict[str, Any]:
    """`roadmap.compare_baseline` with its `counts` (`baselines.slip_counts`), once per
    version of the data, baseline and parameters (today's date in the key: a baseline
    saved without a start plans from today); another organization's baseline raises
    `NotFound` every time."""
    today = datetime.now(org.zone).date()

    def compute() -> dict[str, Any]:
        answer = roadmap.compare_baseline(org, baseline_id, params)
        return {**answer, "counts": baselines.slip_counts(answer["items"])}
    return derived.cached(org, "baseline-comparison", (baseline_id, params, today), compute,
                          errors=(TrackerError,))


def slips_page(items: Sequence[Mapping[str, Any]], status: str, page: int,
               per_page: int) -> Page[Mapping[str, Any]]:
    """One page of a comparison's slips, those of `status` only when it is given.

    >>> items = [{"status": "late"}, {"status": "on_time"}, {"status": "late"}]
    >>> found = slips_page(items, "late", 1, 1)
    >>> found.items, found.total
    ([{'status': 'late'}], 2)
    """
    kept = [item for item in items if item["status"] == status] if status else items
    return page_of(kept, page, per_page)


# What-if -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """A what-if's changes: delay one initiative by some weeks, drop one, change the
    capacity (each optional)."""

    delay_id: int | None = None
    delay_weeks: float | None = None
    drop_id: int | None = None
    new_capacity: int | None = None

    def data(self, params: roadmap.PlanParams) -> dict[str, Any]:
        """The body `roadmap.what_if` takes for these changes of the plan of `params`."""
        data: dict[str, Any] = {"start": params.start, "capacity": params.capacity,
                                "points": params.points}
        if self.delay_id is not None and self.delay_weeks is not None:
            data["delay"] = {self.delay_id: self.delay_weeks}
        if self.drop_id is not None:
            data["drop"] = [self.drop_id]
        if self.new_capacity is not None:
            data["new_capacity"] = self.new_capacity
        return data


def what_if(org: Organization, params: roadmap.PlanParams, change: Change) -> dict[str, Any]:
    """`roadmap.what_if` of `change` on the plan of `params`, with how many initiatives
    start later (`later`) and earlier (`earlier`), once per version of the data,
    parameters and change; refused changes raise their `TrackerError` every time."""
    resolved = params.resolved(org)

    def compute() -> dict[str, Any]:
        answer = roadmap.what_if(org, change.data(resolved))
        moved = answer["moved"]
        return {**answer, "later": sum(1 for m in moved if m["delta_weeks"] > 0),
                "earlier": sum(1 for m in moved if m["delta_weeks"] < 0)}
    return derived.cached(org, "what-if", (resolved, change), compute, errors=(TrackerError,))
