"""The roadmap of an organization: plan, phases, baselines, what-if, slip impact and
exports (the projected trajectory is `services.plan.trajectory`). Loads in a constant
number of queries, computes in `tracker.domain.roadmap`."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import networkx as nx
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from tracker.adapters.exporters import csv, graphml, ical, xlsx
from tracker.domain import ranking
from tracker.domain import roadmap as planning
from tracker.domain.errors import Conflict, InvalidInput, TrackerError
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    BaselineItem,
    Initiative,
    Organization,
    Phase,
    RoadmapBaseline,
)
from tracker.services import derived
from tracker.services.decide import backlog
from tracker.services.decide.graph import InitiativeRow, load_graph, load_plan_graph
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction


@dataclass(frozen=True)
class PlanParams:
    """What a plan is computed with: the start date (None: today in the organization's
    timezone) and the capacity (concurrent initiatives and/or points per week)."""

    start: date | None = None
    capacity: int | None = None
    points: float | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, Any], prefix: str = "") -> PlanParams:
        """The parameters from parsed query or body arguments."""
        return cls(args.get(f"{prefix}start"), args.get(f"{prefix}capacity"),
                   args.get(f"{prefix}points"))

    def capacity_limit(self) -> planning.Capacity:
        """The domain's capacity (unlimited when neither limit is given)."""
        return planning.Capacity(concurrent=self.capacity, points_per_week=self.points)

    def start_for(self, org: Organization) -> date:
        """The start date, today in the organization's timezone by default."""
        return self.start or datetime.now(org.zone).date()

    def resolved(self, org: Organization) -> PlanParams:
        """These parameters with the start date given (today by default): what a plan is
        cached under, so that tomorrow's default plan is not today's."""
        return PlanParams(self.start_for(org), self.capacity, self.points)


@dataclass
class Network:
    """The organization's planning input: graph without dropped initiatives, plan items,
    the initiatives by id, and the phases stored (empty when none)."""

    graph: nx.DiGraph
    items: dict[int, planning.PlanItem]
    initiatives: dict[int, InitiativeRow]
    phases: list[planning.Phase]


@dataclass(frozen=True)
class RoadmapEntry:
    """One initiative of the roadmap as the API shows it."""

    initiative_id: int
    title: str
    start: date
    end: date
    wave: int
    phase: str | None
    slack_weeks: float
    critical: bool
    slack_verified: bool = True


@dataclass(frozen=True)
class PhaseView:
    """A phase of the roadmap; `proposed` when it is a default split, not a stored one."""

    name: str
    start: date
    end: date
    proposed: bool = False


@dataclass(frozen=True)
class UnplannedEntry:
    """An initiative the roadmap leaves out: its reasons (`planning.UNPLANNED_REASONS`)
    and the unplanned prerequisites it waits on."""

    initiative_id: int
    title: str
    reasons: list[str]
    prerequisite_ids: list[int]


@dataclass
class Roadmap:
    """The plan as the API answers it."""

    start: date
    initiatives: list[RoadmapEntry]
    critical_path: dict[str, Any]
    makespan_weeks: float
    end: date
    phases: list[PhaseView]
    pin_delays: list[dict[str, Any]] = field(default_factory=list)
    unplanned: list[UnplannedEntry] = field(default_factory=list)
    owner_load: list[planning.OwnerLoad] = field(default_factory=list)


def priorities(org: Organization, graph: nx.DiGraph,
               initiatives: Mapping[int, InitiativeRow] | None = None
               ) -> dict[int, float | None]:
    """Effective priorities under the organization's default method, as the backlog ranks
    them: each initiative's own score, raised to the highest score of what depends on it
    (DESIGN "Ranking"). A method the organization cannot use yet (a scorecard without
    criteria) leaves every initiative unscored. The scores are the backlog's, computed once
    per version (`backlog.priorities_of`); `initiatives` is not read any more."""
    try:
        scored = backlog.priorities_of(org, org.default_method)
    except InvalidInput:
        return ranking.effective_priorities(graph, {})
    return ranking.effective_priorities(graph, {n: scored[n].score for n in graph})


def load_network(org: Organization) -> Network:
    """The graph, plan items and phases of the organization, in three queries once per
    version of its data (shared: never change it). Archived and dropped initiatives leave
    the plan, their precedence kept (`graph.drop_nodes`)."""
    return derived.cached(org, "network", None, lambda: _network(org))


def _network(org: Organization) -> Network:
    graph, kept = load_plan_graph(org)
    priority = priorities(org, graph)
    items = {n: planning.PlanItem(
        id=n, duration_weeks=i.duration_weeks, priority=priority.get(n),
        load=1.0 if i.load is None else i.load, pinned_start=i.pinned_start,
        actual_start=i.actual_start, actual_end=i.actual_end, status=i.status)
        for n, i in kept.items()}
    return Network(graph, items, kept, stored_phases(org))


def stored_phases(org: Organization) -> list[planning.Phase]:
    """The organization's phases in order, in one query."""
    return [planning.Phase(p.name, p.start, p.end) for p in db.session.scalars(
        select(Phase).where(Phase.org_id == org.id).order_by(Phase.position, Phase.start))]


def _phases(network: Network, plan: planning.Plan) -> list[PhaseView]:
    if network.phases:
        return [PhaseView(p.name, p.start, p.end) for p in network.phases]
    return [PhaseView(p.name, p.start, p.end, proposed=True)
            for p in planning.default_phases(plan)]


def roadmap_of(network: Network, plan: planning.Plan) -> Roadmap:
    """The roadmap answer of a computed plan: entries with phases, critical path, owner
    load and what is left out."""
    phases = _phases(network, plan)
    windows = [planning.Phase(p.name, p.start, p.end) for p in phases]
    unverified = set(plan.slack_unverified)
    entries = [RoadmapEntry(s.id, network.initiatives[s.id].title, s.start, s.end, s.wave,
                            planning.assign_phase(windows, s.end), s.slack_weeks, s.critical,
                            s.id not in unverified)
               for s in plan.items]
    path, weeks = plan.critical_path
    load = planning.owner_load([(network.initiatives[e.initiative_id].owner, e.start, e.end)
                                for e in entries], windows)
    return Roadmap(plan.start, entries, {"initiative_ids": path, "duration_weeks": weeks},
                   plan.makespan_weeks, plan.end, phases, plan.pin_delays,
                   unplanned_entries(network, plan.unplanned), load)


def unplanned_entries(network: Network,
                      left_out: Sequence[planning.Unplanned]) -> list[UnplannedEntry]:
    """What a plan leaves out, titled, in the order of the plan (by id)."""
    return [UnplannedEntry(u.id, network.initiatives[u.id].title, list(u.reasons),
                           list(u.waiting_for)) for u in left_out]


def plan(org: Organization, params: PlanParams) -> tuple[Network, planning.Plan]:
    """The network and its schedule; a pinned date before a prerequisite ends is a
    `Conflict` listing every such case. Once per version of the organization's data and
    parameters (the start resolved: today by default); shared: never change them."""
    resolved = params.resolved(org)

    def compute() -> tuple[Network, planning.Plan]:
        network = load_network(org)
        return network, planning.schedule(network.graph, network.items, resolved.start_for(org),
                                          resolved.capacity_limit())
    return derived.cached(org, "plan", resolved, compute, errors=(TrackerError,))


def get_roadmap(org: Organization, params: PlanParams) -> Roadmap:
    """The roadmap: dates, waves, slack, critical path, makespan and phases, and the
    initiatives it leaves out (no duration yet, or waiting on one without). Once per
    version of the organization's data and parameters; shared: never change it."""
    resolved = params.resolved(org)
    return derived.cached(org, "roadmap", resolved, lambda: roadmap_of(*plan(org, resolved)),
                          errors=(TrackerError,))


# Phases ------------------------------------------------------------------------------------

def list_phases(org: Organization, page: int, per_page: int) -> Page[Phase]:
    """The organization's stored phases, in order."""
    return paginate(select(Phase).where(Phase.org_id == org.id)
                    .order_by(Phase.position, Phase.start), page, per_page)


def phase_errors(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """What breaks the phases' rules, by row: `[k].end` when it does not end after it
    starts, `[k].start` when it overlaps the phase before it (windows are `[start, end)`);
    empty when the rows are valid."""
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        if row["end"] <= row["start"]:
            errors[f"[{index}].end"] = [_("must be after start")]
    for before, after in itertools.pairwise(_start_order(rows)):
        if rows[after]["start"] < rows[before]["end"]:
            errors.setdefault(f"[{after}].start", []).append(
                _("overlaps phase %(name)s", name=repr(rows[before]["name"])))
    return errors


def _start_order(rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """The rows' indexes by start date."""
    return sorted(range(len(rows)), key=lambda k: rows[k]["start"])


def replace_phases(org: Organization, rows: Sequence[Mapping[str, Any]]) -> Page[Phase]:
    """Replace every phase at once, in start order, if none breaks `phase_errors`' rules;
    one bad row rejects all."""
    errors = phase_errors(rows)
    if errors:
        raise InvalidInput(_("Some phases are invalid; nothing was saved."), errors=errors)
    order = _start_order(rows)
    with transaction() as session:
        session.execute(delete(Phase).where(Phase.org_id == org.id))
        session.add_all(Phase(org_id=org.id, name=rows[k]["name"], start=rows[k]["start"],
                              end=rows[k]["end"], position=position)
                        for position, k in enumerate(order))
    return list_phases(org, 1, max(len(rows), 1))


# Baselines ---------------------------------------------------------------------------------

def baseline_record(org: Organization, name: str, params: PlanParams) -> RoadmapBaseline:
    """A new baseline of the current plan, not yet added to the session."""
    _network, current = plan(org, params)
    stored = {"start": current.start.isoformat(), "capacity": params.capacity,
              "points": params.points}
    return RoadmapBaseline(org_id=org.id, name=name, params=stored, items=[
        BaselineItem(initiative_id=s.id, start=s.start, end=s.end) for s in current.items])


def create_baseline(org: Organization, data: Mapping[str, Any]) -> RoadmapBaseline:
    """Save the current plan under a name (unique in the organization)."""
    exists = db.session.scalar(select(RoadmapBaseline.id).where(
        RoadmapBaseline.org_id == org.id, RoadmapBaseline.name == data["name"]))
    if exists is not None:
        raise Conflict(f"A baseline named {data['name']!r} already exists.",
                       errors={"name": ["already used"]})
    baseline = baseline_record(org, data["name"], PlanParams.from_args(data))
    with transaction() as session:
        session.add(baseline)
    return baseline


def list_baselines(org: Organization, page: int, per_page: int) -> Page[RoadmapBaseline]:
    """The organization's baselines, newest first."""
    return paginate(select(RoadmapBaseline).where(RoadmapBaseline.org_id == org.id)
                    .order_by(RoadmapBaseline.created_at.desc(), RoadmapBaseline.id.desc()),
                    page, per_page)


def planned_with(baseline: RoadmapBaseline) -> PlanParams:
    """The start and capacity a baseline was planned with (as saved in its `params`)."""
    saved = baseline.params or {}
    start = saved.get("start")
    return PlanParams(date.fromisoformat(start) if start else None, saved.get("capacity"),
                      saved.get("points"))


def compare_baseline(org: Organization, baseline_id: int,
                     params: PlanParams) -> dict[str, Any]:
    """Each initiative's end now against the baseline (`slip_weeks` > 0: late). The current
    plan uses the baseline's start and capacity unless `params` gives others."""
    baseline = get_owned(RoadmapBaseline, org, baseline_id, "Baseline")
    saved = planned_with(baseline)
    merged = PlanParams(
        params.start or saved.start,
        params.capacity if params.capacity or params.points else saved.capacity,
        params.points if params.capacity or params.points else saved.points)
    network, current = plan(org, merged)
    slips = planning.compare_to_baseline(
        {item.initiative_id: (item.start, item.end) for item in baseline.items}, current)
    titles = _titles(org, network, [s.id for s in slips])
    return {"baseline_id": baseline.id, "name": baseline.name, "start": merged.start,
            "items": [{"initiative_id": s.id, "title": titles.get(s.id),
                       "baseline_end": s.baseline_end, "current_end": s.current_end,
                       "slip_weeks": s.slip_weeks, "status": s.status} for s in slips]}


def _titles(org: Organization, network: Network, nodes: Sequence[int]) -> dict[int, str]:
    """The titles of these initiatives: from the plan's network, and in one query for
    those it no longer holds (archived or dropped since a baseline)."""
    titles = {n: network.initiatives[n].title for n in nodes if n in network.initiatives}
    missing = [n for n in nodes if n not in titles]
    if missing:
        titles |= dict(db.session.execute(select(Initiative.id, Initiative.title).where(
            Initiative.org_id == org.id, Initiative.id.in_(missing))).all())
    return titles


def _title(network: Network, node: int) -> str | None:
    initiative = network.initiatives.get(node)
    return initiative.title if initiative is not None else None


# What-if and impact ------------------------------------------------------------------------

def what_if(org: Organization, data: Mapping[str, Any]) -> dict[str, Any]:
    """The makespan before and after delays, slips, drops or a new capacity, which
    initiatives move and which the changed plan still leaves out; nothing is saved."""
    network = load_network(org)
    params = PlanParams.from_args(data)
    changed = PlanParams.from_args(data, "new_")
    new_capacity = (changed.capacity_limit()
                    if changed.capacity is not None or changed.points is not None else None)
    result = planning.what_if(network.graph, network.items, params.start_for(org),
                              params.capacity_limit(), delay=data.get("delay", {}),
                              slip=data.get("slip", {}), drop=set(data.get("drop", [])),
                              new_capacity=new_capacity)
    return {"makespan_before": result.makespan_before, "makespan_after": result.makespan_after,
            "makespan_change": result.makespan_change,
            "moved": [{"initiative_id": m.id, "title": _title(network, m.id),
                       "start_before": m.start_before, "start_after": m.start_after,
                       "delta_weeks": m.delta_weeks} for m in result.moved],
            "unplanned": unplanned_entries(network, result.after.unplanned)}


def slip_impact(org: Organization, initiative_id: int, weeks: float,
                params: PlanParams) -> dict[str, Any]:
    """Every initiative that depends on this one, directly or not, and the makespan change
    if it takes `weeks` longer."""
    get_owned(Initiative, org, initiative_id, "Initiative")
    network = load_network(org)
    dependents, change = planning.impact_of_slip(
        network.graph, network.items, params.start_for(org), params.capacity_limit(),
        initiative_id, weeks)
    return {"initiative_id": initiative_id, "weeks": weeks, "makespan_change": change,
            "dependents": [{"initiative_id": n, "title": _title(network, n)}
                           for n in sorted(dependents)]}


# Exports -----------------------------------------------------------------------------------

CSV_COLUMNS = ("initiative_id", "title", "start", "end", "wave", "phase", "slack_weeks",
               "critical")


def roadmap_csv(org: Organization, params: PlanParams, sep: str | None = None) -> str:
    """The roadmap as CSV, one row per planned initiative in start order (those it leaves
    out have no dates: the roadmap lists them). A spreadsheet is read by people, so its
    wave counts from 1 as the pages do (the API's JSON `wave` counts from 0)."""
    return csv.table(CSV_COLUMNS, roadmap_rows(org, params),
                     style=csv.CsvStyle.of(org.locale, sep))


def roadmap_xlsx(org: Organization, params: PlanParams) -> bytes:
    """The roadmap as an Excel workbook: the CSV's columns and rows, dates as dates."""
    return xlsx.workbook(CSV_COLUMNS, roadmap_rows(org, params), sheet="Roadmap")


def roadmap_rows(org: Organization, params: PlanParams) -> list[tuple[Any, ...]]:
    """The roadmap's export rows in start order, cells in the order of `CSV_COLUMNS` (a
    date writes itself `2025-01-06` in a CSV)."""
    return [(e.initiative_id, e.title, e.start, e.end, e.wave + 1, e.phase, e.slack_weeks,
             e.critical) for e in get_roadmap(org, params).initiatives]


def roadmap_ical(org: Organization, params: PlanParams,
                 page_of: Callable[[int, int], str] | None = None) -> str:
    """The roadmap as an iCalendar: one all-day event per planned initiative, with UIDs
    stable across exports (initiative and organization ids), the initiative's `version` as
    SEQUENCE, its last change as LAST-MODIFIED and, with `page_of(org_id, initiative_id)`,
    its page as URL. The description is read by people, so its wave counts from 1 as the
    pages do (the API's `wave` counts from 0)."""
    roadmap = get_roadmap(org, params)
    revisions = _revisions(org)
    events = [ical.Event(uid=f"initiative-{e.initiative_id}@org-{org.id}.tracker",
                         summary=e.title, start=e.start, end=e.end,
                         description=f"Phase: {e.phase or '-'}; wave {e.wave + 1}; "
                                     f"slack {e.slack_weeks:g} weeks"
                                     + ("; critical path" if e.critical else ""),
                         sequence=revisions[e.initiative_id][0],
                         last_modified=revisions[e.initiative_id][1],
                         url=page_of(org.id, e.initiative_id) if page_of else "")
              for e in roadmap.initiatives]
    return ical.calendar(events, prodid="-//tracker//roadmap//EN",
                         name=f"{org.name} roadmap", stamp=datetime.now(UTC))


def _revisions(org: Organization) -> dict[int, tuple[int, datetime]]:
    """Each initiative's version and last change (its latest audited write, else its
    creation), in one query."""
    changed = (select(AuditEvent.initiative_id, func.max(AuditEvent.at).label("at"))
               .where(AuditEvent.org_id == org.id, AuditEvent.initiative_id.is_not(None))
               .group_by(AuditEvent.initiative_id).subquery())
    rows = db.session.execute(
        select(Initiative.id, Initiative.version, Initiative.created_at, changed.c.at)
        .outerjoin(changed, changed.c.initiative_id == Initiative.id)
        .where(Initiative.org_id == org.id))
    return {row.id: (row.version, max(row.created_at, row.at or row.created_at))
            for row in rows}


def dependency_graph(org: Organization, fmt: str) -> str:
    """The whole dependency graph (dropped initiatives included) as GraphML or node-link
    JSON, nodes carrying title, status and duration, edges their lag."""
    graph, initiatives = load_graph(org)
    nodes = {node: {k: v for k, v in (("title", i.title), ("status", i.status),
                                      ("duration_weeks", i.duration_weeks)) if v is not None}
             for node, i in initiatives.items()}
    write = graphml.to_graphml if fmt == "graphml" else graphml.to_node_link_json
    return write(nodes, graph.edges(data=True))
