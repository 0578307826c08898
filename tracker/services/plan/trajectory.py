"""The projected maturity trajectory (DESIGN section 3, "Projected trajectory") and the plan
it is drawn from.

One plan everywhere: the trajectory, the barometer's projection and the report plan with
the same parameters, chosen by `plan_in_use`, in this order: the request's own `start`,
`capacity` or `points` (`request`); a named baseline's start and capacity, applied to the
backlog as it is now (`baseline`); the organization's current plan settings, saved by a
lead or by "Use as the plan" on the roadmap page (`settings`); else today with unlimited
capacity (`default`). Every read says which (`PlanChoice.describe`) and lists what the plan
leaves out (`unplanned`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from tracker.domain import roadmap as planning
from tracker.domain.constants import PLAN_SOURCES
from tracker.domain.errors import InvalidInput, NotFound
from tracker.domain.follow.trajectory import Checkpoint, aggregate, project_trajectory
from tracker.domain.scoring import AssessmentScores, AxisSpec
from tracker.extensions import db
from tracker.models import (
    Assessment,
    Dimension,
    Framework,
    Initiative,
    Organization,
    RoadmapBaseline,
    Uplift,
)
from tracker.services import derived
from tracker.services.diagnose.scores import scored_assessment
from tracker.services.frame import frameworks
from tracker.services.plan import roadmap

REQUEST, BASELINE, SETTINGS, DEFAULT = PLAN_SOURCES


@dataclass(frozen=True)
class PlanChoice:
    """The parameters a read plans with, where they come from (`source`, one of
    `PLAN_SOURCES`) and the baseline's name when the plan is a baseline's."""

    source: str
    params: roadmap.PlanParams
    baseline: str | None = None

    def describe(self, start: date) -> dict[str, Any]:
        """The `plan` object of the reads, with the start date actually used (`start`:
        today in the organization's timezone when none is set)."""
        return {"source": self.source, "start": start, "capacity": self.params.capacity,
                "points": self.params.points, "baseline": self.baseline}


def plan_in_use(org: Organization, baseline: str | None = None,
                requested: roadmap.PlanParams | None = None) -> PlanChoice:
    """The plan a read uses: the request's parameters, else the baseline named `baseline`,
    else the organization's settings, else the default. A request that names a baseline
    and gives parameters too is refused: it would not say which plan it wants."""
    if requested is not None and requested != roadmap.PlanParams():
        if baseline is not None:
            raise InvalidInput("Give a baseline or plan parameters, not both.",
                               errors={"baseline": ["Leave out start, capacity and points "
                                                    "to plan with a baseline."]})
        return PlanChoice(REQUEST, requested)
    if baseline is not None:
        return _baseline_plan(org, baseline)
    settings = roadmap.PlanParams(org.plan_start, org.plan_capacity, org.plan_points)
    return PlanChoice(SETTINGS if settings != roadmap.PlanParams() else DEFAULT, settings)


def _baseline_plan(org: Organization, name: str) -> PlanChoice:
    """The start and capacity the baseline `name` was saved with."""
    stored = db.session.scalar(select(RoadmapBaseline).where(
        RoadmapBaseline.org_id == org.id, RoadmapBaseline.name == name))
    if stored is None:
        raise InvalidInput(f"No baseline named {name!r}.",
                           errors={"baseline": ["No baseline of this name."]})
    saved = stored.params or {}
    start = date.fromisoformat(saved["start"]) if saved.get("start") else None
    return PlanChoice(BASELINE, roadmap.PlanParams(start, saved.get("capacity"),
                                                   saved.get("points")), name)


def trajectory(org: Organization, framework_id: int, choice: PlanChoice,
               factor: float | None = None,
               known: Mapping[int, AssessmentScores] | None = None,
               grid: Framework | None = None) -> dict[str, Any]:
    """The trajectory projected from the latest closed assessment of the framework under
    the chosen plan (`NotFound` when none is closed yet); with `factor`, also the
    calibrated one, every expected uplift multiplied by it (`calibrated`). `known`: scores
    the caller already has, by assessment id (the barometer's series), not recomputed;
    `grid`: the framework when the caller has it loaded."""
    framework = (grid if grid is not None and grid.id == framework_id
                 and grid.org_id in (None, org.id)
                 else frameworks.framework_for_org(org.id, framework_id))
    assessment = db.session.scalar(
        select(Assessment).where(Assessment.org_id == org.id,
                                 Assessment.framework_id == framework.id,
                                 Assessment.status == "closed")
        .order_by(Assessment.closed_at.desc(), Assessment.id.desc()).limit(1))
    if assessment is None:
        raise NotFound("No closed assessment on this framework yet: nothing to project from.")
    return project(org, framework, assessment, choice, planned_ends(org, choice.params),
                   factor, scores=(known or {}).get(assessment.id))


@dataclass(frozen=True)
class PlannedEnds:
    """What a projection needs of a plan: its start, each planned initiative's end by id,
    the phases (name, end) and what it leaves out. Shared between reads: never mutated."""

    start: date
    ends: dict[int, date]
    phases: tuple[tuple[str, date], ...]
    unplanned: tuple[roadmap.UnplannedEntry, ...]


def planned_ends(org: Organization, params: roadmap.PlanParams) -> PlannedEnds:
    """The plan of `params` reduced to what the projection reads, computed once per version
    of the organization's data (`services.derived`), not once per read."""
    start = params.start_for(org)

    def compute() -> PlannedEnds:
        network, plan = roadmap.plan(org, params)
        phases = network.phases or planning.default_phases(plan)
        return PlannedEnds(plan.start, {item.id: item.end for item in plan.items},
                           tuple((phase.name, phase.end) for phase in phases),
                           tuple(roadmap.unplanned_entries(network, plan.unplanned)))

    return derived.cached(org, "trajectory.planned_ends",
                          (start, params.capacity, params.points), compute)


def project(org: Organization, framework: Framework, assessment: Assessment,
            choice: PlanChoice, planned: roadmap.Roadmap | PlannedEnds,
            factor: float | None = None, *,
            scores: AssessmentScores | None = None) -> dict[str, Any]:
    """For each phase end of `planned`, the projected dimension, axis and overall scores:
    `assessment`'s own scores (it must be closed) plus the uplifts of the initiatives
    finished by then, capped at the scale maximum; with the plan used and what it leaves
    out."""
    if assessment.status != "closed":
        raise InvalidInput(f"The assessment “{assessment.title}” is not closed yet: "
                           "nothing to project from.")
    if scores is None:
        scores = scored_assessment(org, assessment.id).scores
    measured = {d.code: d.score for axis in scores.axes for d in axis.dimensions}
    gains = uplifts_by_initiative(org, framework.id)
    if isinstance(planned, PlannedEnds):
        ends = {node: planned.ends[node] for node in gains if node in planned.ends}
        phases = list(planned.phases)
    else:
        ends = {entry.initiative_id: entry.end for entry in planned.initiatives}
        phases = [(phase.name, phase.end) for phase in planned.phases]
    specs = frameworks.axis_specs(framework)
    points = _points(project_trajectory(measured, gains, ends, phases, framework.scale_max),
                     specs)
    calibrated = [] if factor is None else _points(project_trajectory(
        measured, {node: {code: value * factor for code, value in lifted.items()}
                   for node, lifted in gains.items()},
        ends, phases, framework.scale_max), specs)
    return {"framework_id": framework.id, "assessment_id": assessment.id,
            "measured_overall": scores.overall, "scale_max": framework.scale_max,
            "checkpoints": points, "calibrated": calibrated,
            "plan": choice.describe(planned.start), "unplanned": list(planned.unplanned)}


def _points(checkpoints: list[Checkpoint], specs: list[AxisSpec]) -> list[dict[str, Any]]:
    """Projected checkpoints as the API reads them, with axis and overall scores."""
    points = []
    for checkpoint in checkpoints:
        overall, axes = aggregate(checkpoint.dimensions, specs)
        points.append({"phase": checkpoint.name, "date": checkpoint.date, "overall": overall,
                       "axes": [{"code": code, "score": score} for code, score in axes.items()],
                       "dimensions": [{"code": code, "score": score}
                                      for code, score in checkpoint.dimensions.items()],
                       "finished": list(checkpoint.finished)})
    return points


def uplifts_by_initiative(org: Organization, framework_id: int) -> dict[int, dict[str, float]]:
    """Each initiative's expected uplift per dimension code of the framework, in one query."""
    uplifts: dict[int, dict[str, float]] = {}
    for node, code, expected in db.session.execute(
            select(Uplift.initiative_id, Dimension.code, Uplift.expected)
            .join(Dimension, Dimension.id == Uplift.dimension_id)
            .join(Initiative, Initiative.id == Uplift.initiative_id)
            .where(Initiative.org_id == org.id, Dimension.framework_id == framework_id)):
        uplifts.setdefault(node, {})[code] = expected
    return uplifts
