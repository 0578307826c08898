"""The barometer: maturity over time (every closed assessment of one framework, in time
order) and whether finished initiatives moved the dimensions they targeted.

Loaded with a constant number of queries whatever the number of assessments and ratings:
the series (`services.follow.series`: GROUP BYs over the closed assessments' ratings, loaded
once per transaction), and the projection from the plan computed once per data version
(`services.plan.trajectory.planned_ends`). Only the pilot effects read individual ratings,
and only when there is a pilot to measure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.domain.errors import TrackerError
from tracker.domain.follow.effects import pilot_effect, realized_uplift
from tracker.domain.follow.pilot_did import DifferenceInDifferences, difference_in_differences
from tracker.domain.follow.uncertainty import AssessmentIntervals, Interval, change
from tracker.domain.frame.targets import percent_to_target, score_map, target_progress
from tracker.domain.scoring import (
    AssessmentScores,
    DimensionSpec,
)
from tracker.extensions import db
from tracker.models import (
    Assessment,
    Dimension,
    Initiative,
    Organization,
    Pilot,
    Uplift,
)
from tracker.services import derived
from tracker.services.follow.calibration import CalibrationReport, calibration_of
from tracker.services.follow.series import Breaks, Series, load_series
from tracker.services.plan import roadmap, trajectory

#: The four groups of a pilot effect, in words.
GROUP_LABELS = {"pilot_now": _l("pilot teams, now"), "rest_now": _l("others, now"),
                "pilot_before": _l("pilot teams, before the start"),
                "rest_before": _l("others, before the start")}
ASSOCIATION_NOTE = _l("Realized uplift is an association, not a proof of cause: a dimension "
                      "may move for reasons other than the initiative, or not yet.")


def association_note(org: Organization) -> str:
    """The caution that goes with realized uplifts and pilot effects, written in the
    organization's language (a note the product generates, DESIGN section 9)."""
    with force_locale(org.locale or "en"):
        return str(ASSOCIATION_NOTE)


@dataclass(frozen=True)
class Moves:
    """A score's 95 % margin and its changes since the previous and the first assessment,
    each with the margin it must exceed and whether it does (DESIGN section 3,
    "Significant change"); a margin or a verdict is null where an interval is unknown."""

    margin: float | None = None
    delta_previous_margin: float | None = None
    delta_previous_significant: bool | None = None
    delta_first_margin: float | None = None
    delta_first_significant: bool | None = None


@dataclass(frozen=True)
class DimensionPoint:
    code: str
    name: str
    score: float | None
    delta_previous: float | None
    delta_first: float | None
    moves: Moves = field(default_factory=Moves)


@dataclass(frozen=True)
class AxisPoint:
    code: str
    name: str
    score: float | None
    delta_previous: float | None
    delta_first: float | None
    dimensions: list[DimensionPoint]
    moves: Moves = field(default_factory=Moves)


@dataclass(frozen=True)
class BarometerPoint:
    """One closed assessment on the barometer, with its deltas and progress to target; the
    grid version it was run on and, for an older version carried onto the current grid,
    the dimensions that are new or gone."""

    id: int
    title: str
    kind: str
    closed_at: datetime | None
    overall: float | None
    delta_previous: float | None
    delta_first: float | None
    progress_to_target: float | None
    percent_to_target: float | None
    axes: list[AxisPoint]
    moves: Moves = field(default_factory=Moves)
    framework_id: int | None = None
    version: int | None = None
    breaks: Breaks = field(default_factory=Breaks)


@dataclass(frozen=True)
class Barometer:
    """The series, and beside it the roadmap's projection: the plan it used (None when
    nothing is projected), what that plan leaves out, and why there is no projection when
    the plan cannot be computed."""

    framework_id: int | None
    assessments: list[BarometerPoint]
    projected: list[dict[str, Any]]
    plan: dict[str, Any] | None = None
    unplanned: list[roadmap.UnplannedEntry] = field(default_factory=list)
    projection_error: str | None = None
    #: the projection with every expected uplift times the calibration factor (empty
    #: under three known pairs), and the calibration itself
    calibrated: list[dict[str, Any]] = field(default_factory=list)
    calibration: CalibrationReport | None = None


def _delta(current: float | None, reference: float | None) -> float | None:
    return None if current is None or reference is None else current - reference


def read_key(org: Organization, framework_id: int | None, baseline: str | None,
             code: str | None) -> Hashable:
    """What a barometer read is cached under beside the organization's data version: its
    arguments, today in the organization's timezone (the default plan starts today) and
    the request's language (a projection error is worded in it)."""
    return (framework_id, baseline, code, datetime.now(org.zone).date(), str(get_locale()))


def barometer(org: Organization, framework_id: int | None = None,
              baseline: str | None = None, code: str | None = None) -> Barometer:
    """Overall, axis and dimension scores of every closed assessment in time order, with
    deltas to the previous and to the first, and progress to target from the first; beside
    them the projected trajectory (`services.plan.trajectory`) under the plan in use, or
    under the baseline named `baseline`. A plan that cannot be computed leaves the
    projection empty and says why; the measured series never fails because of it.
    Computed once per version of the organization's data (shared: never change it)."""
    return derived.cached(org, "barometer", read_key(org, framework_id, baseline, code),
                          lambda: _barometer(org, framework_id, baseline, code),
                          errors=(TrackerError,))


def _barometer(org: Organization, framework_id: int | None, baseline: str | None,
               code: str | None) -> Barometer:
    choice = trajectory.plan_in_use(org, baseline)
    series = load_series(org, framework_id, code)
    if series is None or not series.assessments:
        return Barometer(series.framework.id if series else framework_id, [], [])
    measured = points(series)
    calibrated = calibration_of(org, uplifts_in(org, series))
    try:
        projected = trajectory.trajectory(
            org, series.framework.id, choice, calibrated.factor,
            known={a.id: scores for a, scores in zip(series.assessments, series.scores,
                                                     strict=True)
                   if a.framework_id == series.framework.id}, grid=series.framework)
    except TrackerError as error:
        return Barometer(series.framework.id, measured, [], projection_error=error.detail,
                         calibration=calibrated)
    return Barometer(series.framework.id, measured, projected["checkpoints"],
                     projected["plan"], projected["unplanned"],
                     calibrated=projected["calibrated"], calibration=calibrated)


def points(series: Series) -> list[BarometerPoint]:
    """The barometer points of a series (pure computation on loaded scores)."""
    result: list[BarometerPoint] = []
    first = series.scores[0] if series.scores else None
    intervals = series.intervals or [AssessmentIntervals() for _ in series.scores]
    for index, (assessment, scores) in enumerate(zip(series.assessments, series.scores,
                                                     strict=True)):
        previous = series.scores[index - 1] if index else None
        assert first is not None  # there are scores, or no loop
        here = Bounds(intervals[index], intervals[index - 1] if index else None,
                      intervals[0])
        progress = target_progress(series.axes, first, scores, series.targets)
        delta_previous = _delta(scores.overall, previous.overall if previous else None)
        delta_first = _delta(scores.overall, first.overall if first else None)
        grid = series.versions.get(assessment.framework_id)
        result.append(BarometerPoint(
            assessment.id, assessment.title, assessment.kind, assessment.closed_at,
            scores.overall, delta_previous, delta_first, progress.overall,
            percent_to_target(score_map(scores), series.targets),
            _axis_points(scores, previous, first, here),
            here.moves(lambda i: i.overall, delta_previous, delta_first),
            assessment.framework_id, grid.version if grid else None,
            series.breaks.get(assessment.id, Breaks())))
    return result


@dataclass(frozen=True)
class Bounds:
    """The intervals of an assessment, of the one before it and of the first."""

    now: AssessmentIntervals
    previous: AssessmentIntervals | None
    first: AssessmentIntervals

    def moves(self, pick: Callable[[AssessmentIntervals], Interval | None],
              delta_previous: float | None, delta_first: float | None) -> Moves:
        """The margins and verdicts of one score, `pick` choosing it in each set."""
        now = pick(self.now)
        since_previous = (None if delta_previous is None or self.previous is None
                          else change(pick(self.previous), now, delta_previous))
        since_first = None if delta_first is None else change(pick(self.first), now,
                                                              delta_first)
        return Moves(
            margin=now.margin if now else None,
            delta_previous_margin=since_previous.margin if since_previous else None,
            delta_previous_significant=since_previous.significant if since_previous else None,
            delta_first_margin=since_first.margin if since_first else None,
            delta_first_significant=since_first.significant if since_first else None)


def _axis_points(scores: AssessmentScores, previous: AssessmentScores | None,
                 first: AssessmentScores | None, bounds: Bounds) -> list[AxisPoint]:
    def axis_score(s: AssessmentScores | None, code: str) -> float | None:
        return next((a.score for a in s.axes if a.code == code), None) if s else None

    prev_dims = score_map(previous) if previous else {}
    first_dims = score_map(first) if first else {}
    result = []
    for axis in scores.axes:
        dims = []
        for d in axis.dimensions:
            since_previous = _delta(d.score, prev_dims.get(d.code))
            since_first = _delta(d.score, first_dims.get(d.code))
            dims.append(DimensionPoint(
                d.code, d.name, d.score, since_previous, since_first,
                bounds.moves(_pick("dimensions", d.code), since_previous, since_first)))
        since_previous = _delta(axis.score, axis_score(previous, axis.code))
        since_first = _delta(axis.score, axis_score(first, axis.code))
        result.append(AxisPoint(
            axis.code, axis.name, axis.score, since_previous, since_first, dims,
            bounds.moves(_pick("axes", axis.code), since_previous, since_first)))
    return result


def _pick(kind: str, code: str) -> Callable[[AssessmentIntervals], Interval | None]:
    """Chooses the interval of the dimension or axis `code` in a set of intervals."""
    def pick(intervals: AssessmentIntervals) -> Interval | None:
        found: dict[str, Interval | None] = getattr(intervals, kind)
        return found.get(code)
    return pick


@dataclass(frozen=True)
class DimensionUplift:
    dimension: str
    expected: float
    before: float | None
    after: float | None
    realized: float | None


@dataclass(frozen=True)
class InitiativeUplift:
    """A finished initiative's expected and realized uplift on each targeted dimension."""

    initiative_id: int
    title: str
    actual_start: date | None
    actual_end: date | None
    before_assessment_id: int | None
    after_assessment_id: int | None
    dimensions: list[DimensionUplift]
    moved_nothing: bool


@dataclass(frozen=True)
class UpliftReport:
    framework_id: int | None
    note: str
    initiatives: list[InitiativeUplift]


def uplifts(org: Organization, framework_id: int | None = None,
            code: str | None = None) -> UpliftReport:
    """Realized beside expected uplift of every done initiative (DESIGN section 3).

    Before: the last closed assessment closed on or before the initiative's actual start;
    after: the first closed on or after its actual end. An initiative whose realized uplifts
    are all known and ≤ 0 is flagged `moved_nothing`.
    """
    series = load_series(org, framework_id, code)
    if series is None:
        return UpliftReport(framework_id, association_note(org), [])
    return uplifts_in(org, series)


def uplifts_in(org: Organization, series: Series) -> UpliftReport:
    """The realized uplifts (see `uplifts`) on a loaded series."""
    done = db.session.scalars(
        select(Initiative).where(Initiative.org_id == org.id, Initiative.status == "done")
        .options(selectinload(Initiative.uplifts).joinedload(Uplift.dimension))
        .order_by(Initiative.actual_end, Initiative.id))
    closed_on = [a.closed_at.date() if a.closed_at else None for a in series.assessments]
    maps = [score_map(s) for s in series.scores]
    result = [_initiative_uplift(i, series, closed_on, maps) for i in done
              if any(u.dimension.framework_id == series.framework.id for u in i.uplifts)]
    return UpliftReport(series.framework.id, association_note(org), result)


def calibration(org: Organization, framework_id: int | None = None,
                code: str | None = None) -> CalibrationReport:
    """How realized uplift compares with expected, over the done initiatives (DESIGN
    section 3, "Calibration")."""
    return calibration_of(org, uplifts(org, framework_id, code))


def _initiative_uplift(initiative: Initiative, series: Series, closed_on: list[date | None],
                       maps: list[dict[str, float | None]]) -> InitiativeUplift:
    start, end = initiative.actual_start, initiative.actual_end
    before = max((k for k, day in enumerate(closed_on)
                  if start and day and day <= start), default=None)
    after = min((k for k, day in enumerate(closed_on) if end and day and day >= end),
                default=None)
    dims = []
    for uplift in initiative.uplifts:
        if uplift.dimension.framework_id != series.framework.id:
            continue
        code = uplift.dimension.code
        score_before = maps[before].get(code) if before is not None else None
        score_after = maps[after].get(code) if after is not None else None
        dims.append(DimensionUplift(code, uplift.expected, score_before, score_after,
                                    realized_uplift(score_before, score_after)))
    realized = [d.realized for d in dims]
    moved_nothing = bool(realized) and all(r is not None and r <= 0 for r in realized)
    return InitiativeUplift(
        initiative.id, initiative.title, start, end,
        series.assessments[before].id if before is not None else None,
        series.assessments[after].id if after is not None else None,
        sorted(dims, key=lambda d: d.dimension), moved_nothing)



@dataclass(frozen=True)
class PilotMeasure:
    """A pilot's effect at one closed assessment (DESIGN section 3: the difference between
    the perimeter and the rest now, minus that difference at the baseline, the last closed
    assessment before the pilot started), the four groups' sizes, and why a term is null
    (`reason`). `per_dimension`, `inside_n` and `outside_n` are today's perimeter-minus-rest
    differences per dimension, and the groups they count."""

    assessment_id: int
    title: str
    closed_at: datetime | None
    effect: float | None
    difference_now: float | None
    difference_before: float | None
    baseline_assessment_id: int | None
    sizes: dict[str, int]
    means: dict[str, float | None]
    reason: str | None
    per_dimension: dict[str, float | None]
    inside_n: int
    outside_n: int


@dataclass(frozen=True)
class PilotEffectView:
    """A pilot, the dimensions its initiative lifts, and its effect at each re-assessment
    closed since the pilot started."""

    pilot_id: int
    initiative_id: int
    title: str
    teams: list[str]
    dimensions: list[str]
    measures: list[PilotMeasure]


@dataclass(frozen=True)
class PilotEffectReport:
    framework_id: int | None
    note: str
    min_group_size: int
    pilots: list[PilotEffectView]


def pilot_effects(org: Organization, framework_id: int | None = None) -> PilotEffectReport:
    """The pilot effect (DESIGN section 3) of every pilot at each closed assessment since it
    started, on the dimensions its initiative lifts; both groups subject to the
    organization's `min_group_size` (a smaller group gives a null effect)."""
    pilots = list(db.session.scalars(
        select(Pilot).where(Pilot.org_id == org.id).order_by(Pilot.start, Pilot.id)))
    if not pilots and framework_id is not None:  # nothing to measure: no series to load
        return PilotEffectReport(framework_id, association_note(org), org.min_group_size, [])
    series = load_series(org, framework_id)
    if series is None:
        return PilotEffectReport(framework_id, association_note(org), org.min_group_size, [])
    lifted: dict[int, list[str]] = defaultdict(list)
    for initiative_id, code in db.session.execute(
            select(Uplift.initiative_id, Dimension.code)
            .join(Dimension, Dimension.id == Uplift.dimension_id)
            .join(Initiative, Initiative.id == Uplift.initiative_id)
            .where(Initiative.org_id == org.id,
                   Dimension.framework_id == series.framework.id)):
        lifted[initiative_id].append(code)
    specs = {d.code: d for axis in series.axes for d in axis.dimensions}
    views = []
    for pilot in pilots:
        dims = sorted(lifted.get(pilot.initiative_id, []))
        baseline = _baseline(series, pilot.start)
        measures = [_pilot_measure(series, assessment, baseline, pilot,
                                   [specs[code] for code in dims if code in specs],
                                   org.min_group_size)
                    for assessment in series.assessments
                    if assessment.closed_at and pilot.start
                    and assessment.closed_at.date() >= pilot.start]
        views.append(PilotEffectView(pilot.id, pilot.initiative_id, pilot.hypothesis[:80],
                                     list(pilot.teams), dims, measures))
    return PilotEffectReport(series.framework.id, association_note(org), org.min_group_size,
                             views)


def _baseline(series: Series, start: date | None) -> Assessment | None:
    """The last closed assessment of the series closed before the pilot's start."""
    before = [a for a in series.assessments
              if start and a.closed_at and a.closed_at.date() < start]
    return before[-1] if before else None


def _pilot_measure(series: Series, assessment: Assessment, baseline: Assessment | None,
                   pilot: Pilot, dimensions: list[DimensionSpec],
                   min_group_size: int) -> PilotMeasure:
    """The difference-in-differences at one re-assessment, with the groups' sizes and
    means, and the reason for a null term."""
    now = series.ratings.get(assessment.id, [])
    codes = [d.code for d in dimensions]
    today = pilot_effect(now, set(pilot.teams), codes, min_group_size)
    result = difference_in_differences(
        now, series.ratings.get(baseline.id, []) if baseline else None, set(pilot.teams),
        dimensions, series.framework.source_weights or {}, min_group_size)
    return PilotMeasure(
        assessment.id, assessment.title, assessment.closed_at, result.effect,
        result.difference_now, result.difference_before,
        baseline.id if baseline else None,
        {name: group.size for name, group in result.groups.items()},
        {name: group.mean for name, group in result.groups.items()},
        _reason(result, baseline is not None, min_group_size), today.per_dimension,
        today.inside_n, today.outside_n)


def _reason(result: DifferenceInDifferences, has_baseline: bool,
            min_group_size: int) -> str | None:
    """Why the effect (or a difference) is null: the groups under the minimum size, by
    name and size, or no baseline to compare with; None when nothing is missing."""
    parts = [_("%(group)s: %(num)d respondent(s), under the minimum of %(min)d",
               group=GROUP_LABELS[name], num=result.groups[name].size, min=min_group_size)
             for name in result.small_groups]
    if not has_baseline:
        parts.append(_("no closed assessment before the pilot's start to compare with"))
    if not parts:
        return None
    text = "; ".join(str(part) for part in parts)
    return text[:1].upper() + text[1:] + "."
