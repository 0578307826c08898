"""The forecast of the roadmap: when will each initiative, each phase and the plan end, and
how likely is a maturity level by a date, given that every estimate is a guess (DESIGN
section 3, "Forecast"). Loads the same network as the roadmap, runs the domain's Monte
Carlo (`tracker.domain.forecast`) over it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.domain import roadmap as planning
from tracker.domain.errors import InvalidInput
from tracker.domain.follow.trajectory import aggregate
from tracker.domain.follow.trend import is_stalled, stall_limit
from tracker.domain.forecast import Event, Forecast, Spread, forecast, histogram
from tracker.extensions import db
from tracker.models import Assessment, Initiative, Organization
from tracker.services import derived
from tracker.services.decide.initiatives import estimate_of
from tracker.services.diagnose.scores import scored_assessment
from tracker.services.frame import frameworks
from tracker.services.plan import roadmap
from tracker.services.plan.trajectory import uplifts_by_initiative

#: Runs when the caller names none, and the most a request may ask for.
DEFAULT_RUNS = 2000
MAX_RUNS = 20_000
#: Runs the roadmap page proposes: enough for steady P50/P85 (a nearest-rank P85 of 500
#: runs moves by about a week on the demo) and quick to draw.
PAGE_RUNS = 500
#: The most initiative-simulations a page's forecast may spend (runs × planned
#: initiatives; one costs 3 to 8 µs): about 2 to 5 s of CPU, once per version of the data
#: and arguments (`page_forecast` caches it). At 1,000 initiatives 500 runs fit; at 30,000,
#: 20 (the API takes up to `MAX_RUNS` whatever the size).
PAGE_BUDGET = 600_000


@dataclass(frozen=True)
class Stall:
    """An initiative under way for longer than it should be (DESIGN section 3, "Stalled"):
    its weeks in progress at the day asked and the limit it passed."""

    initiative: Initiative
    weeks_in_progress: float
    limit_weeks: float


def stalled_initiatives(org: Organization, day: date) -> list[Stall]:
    """The organization's `in_progress` initiatives (not archived) stalled at `day`, longest
    in progress first, in one query."""
    found = []
    for initiative in db.session.scalars(select(Initiative).where(
            Initiative.org_id == org.id, Initiative.status == "in_progress",
            Initiative.archived_at.is_(None)).order_by(Initiative.id)):
        limit = stall_limit(estimate_of(initiative), initiative.duration_weeks)
        start = initiative.actual_start
        if start is not None and limit is not None and is_stalled(
                start, day, p85_weeks=limit, duration_weeks=None):
            found.append(Stall(initiative, (day - start).days / 7, limit))
    return sorted(found, key=lambda stall: (-stall.weeks_in_progress, stall.initiative.id))


@dataclass(frozen=True)
class Target:
    """The question "will the overall score reach `level` by `by`?"."""

    level: float
    by: date


def _target_event(org: Organization, start: date, target: Target) -> Event:
    """The event "the projected overall score at `target.by` is at least `target.level`",
    projected from the latest closed assessment (the trajectory formula, with each run's
    end dates)."""
    assessment = db.session.scalar(
        select(Assessment).where(Assessment.org_id == org.id, Assessment.status == "closed")
        .order_by(Assessment.closed_at.desc(), Assessment.id.desc()).limit(1))
    if assessment is None:
        raise InvalidInput("No closed assessment yet: nothing to project a level from.",
                           errors={"level": ["Close an assessment first."]})
    scored = scored_assessment(org, assessment.id)
    measured = {d.code: d.score for axis in scored.scores.axes for d in axis.dimensions}
    gains = uplifts_by_initiative(org, scored.framework.id)
    by_week = planning.date_weeks(start, target.by)
    scale_max = float(scored.framework.scale_max)
    specs = frameworks.axis_specs(scored.framework)

    def reached(ends: Mapping[int, float]) -> bool:
        lifted = dict(measured)
        for node, end in ends.items():
            if end <= by_week:
                for code, uplift in gains.get(node, {}).items():
                    score = lifted.get(code)
                    if score is not None:
                        lifted[code] = min(scale_max, score + uplift)
        overall, _ = aggregate(lifted, specs)
        return overall is not None and overall >= target.level

    return reached


def roadmap_forecast(org: Organization, params: roadmap.PlanParams, *,
                     runs: int = DEFAULT_RUNS, seed: int = 0,
                     target: Target | None = None) -> dict[str, Any]:
    """The forecast of the plan under `params`: the makespan's P50/P85/P95 (weeks) and its
    histogram, each planned initiative's P50 and P85 end dates, each phase's P50 and P85
    end dates (when its last initiative ends) and probability of being done by its end,
    and the probability of `target`; the same inputs and seed give the same answer."""
    if not 1 <= runs <= MAX_RUNS:
        raise InvalidInput("Too many or too few runs.",
                           errors={"runs": [f"Give between 1 and {MAX_RUNS} runs."]})
    network, plan = roadmap.plan(org, params)
    planned = roadmap.get_roadmap(org, params)
    start = plan.start
    scheduler = planning.ListScheduler(network.graph, network.items, start,
                                       params.capacity_limit())
    estimates = {node: estimate for node, initiative in network.initiatives.items()
                 if (estimate := estimate_of(initiative)) is not None}
    events: dict[str, Event] = {}
    groups: dict[str, list[int]] = {}
    for phase in planned.phases:
        members = [e.initiative_id for e in planned.initiatives if e.phase == phase.name]
        groups[phase.name] = members
        events[f"phase:{phase.name}"] = _phase_event(members,
                                                     planning.date_weeks(start, phase.end))
    if target is not None:
        events["target"] = _target_event(org, start, target)
    result = forecast(scheduler, estimates, runs=runs, seed=seed, events=events,
                      groups=groups)
    return _answer(result, start, planned, target, estimated=len(estimates))


def page_runs(planned: int) -> int:
    """The most runs a page's forecast may ask for a plan of `planned` initiatives
    (`PAGE_BUDGET`), at least 1.

    >>> page_runs(1_000), page_runs(30_000), page_runs(0)
    (600, 20, 20000)
    """
    return max(1, min(MAX_RUNS, PAGE_BUDGET // max(1, planned)))


def page_forecast(org: Organization, params: roadmap.PlanParams, *, runs: int, seed: int,
                  target: Target | None = None) -> dict[str, Any]:
    """`roadmap_forecast` as a page asks for it: refused past `page_runs` runs (naming the
    field), else once per version of the data and arguments (runs are seeded: the same
    inputs give the same answer); shared, never change it."""
    resolved = params.resolved(org)
    planned = len(roadmap.get_roadmap(org, resolved).initiatives)
    most = page_runs(planned)
    if runs > most:
        raise InvalidInput(_("Too many runs for a plan of this size on the page."), errors={
            "runs": [_("Runs: give at most %(most)s runs for a plan of %(planned)s "
                       "initiatives (the API takes more).", most=most, planned=planned)]})
    return derived.cached(
        org, "forecast", (resolved, runs, seed, target),
        lambda: roadmap_forecast(org, resolved, runs=runs, seed=seed, target=target),
        errors=(InvalidInput,))


def _phase_event(members: list[int], end_week: float) -> Event:
    """The event "every initiative of the phase ends by the phase's end"."""
    return lambda ends: all(ends.get(node, 0.0) <= end_week + 1e-9 for node in members)


def _answer(result: Forecast, start: date, planned: roadmap.Roadmap, target: Target | None,
            estimated: int) -> dict[str, Any]:
    """The forecast as the API and the page read it."""
    titles = {e.initiative_id: e.title for e in planned.initiatives}

    def end_date(spread: Spread | None, name: str) -> date | None:
        return None if spread is None else planning.week_date(start, getattr(spread, name))

    return {
        "runs": result.runs, "seed": result.seed, "start": start, "estimated": estimated,
        "makespan_weeks": {"p50": result.makespan.p50, "p85": result.makespan.p85,
                           "p95": result.makespan.p95},
        "makespan_dates": {name: planning.week_date(start, getattr(result.makespan, name))
                           for name in ("p50", "p85", "p95")},
        "deterministic_makespan_weeks": planned.makespan_weeks,
        "histogram": [{"start": planning.week_date(start, b.low),
                       "end": planning.week_date(start, b.high), "runs": b.runs}
                      for b in histogram(result.makespans)],
        "initiatives": [{"initiative_id": node, "title": titles.get(node, ""),
                         "end_p50": planning.week_date(start, spread.p50),
                         "end_p85": planning.week_date(start, spread.p85)}
                        for node, spread in sorted(result.ends.items())],
        "phases": [{"name": phase.name, "end": phase.end,
                    "end_p50": end_date(result.group_ends.get(phase.name), "p50"),
                    "end_p85": end_date(result.group_ends.get(phase.name), "p85"),
                    "probability": result.probabilities[f"phase:{phase.name}"]}
                   for phase in planned.phases],
        "target": None if target is None else {
            "level": target.level, "by": target.by,
            "probability": result.probabilities["target"]},
    }
