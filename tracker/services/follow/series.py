"""The barometer's series: the closed assessments of one framework code, oldest first, scored
on the current grid, across the code's versions through their crosswalks (DESIGN section 5,
`barometer?framework=CODE`), with each assessment's 95 % intervals.

An older version's assessment is scored on its own grid, then its dimension scores are
carried version by version onto the current grid (`tracker.domain.follow.trend.
carry_scores`); its ratings are carried the same way (a rating counts toward every code its
dimension maps to), for the intervals, the alignment gaps and the pilot effects. Where a
dimension is new in the current grid or an old one is gone, the point says so (`breaks`).

Loaded in a constant number of queries whatever the number of assessments and ratings: the
closed assessments, the grids, the targets, and for the current grid's assessments one
GROUP BY (assessment, dimension, source) (with the level too, for the alignment gaps, on
demand: `Series.levels`) and one
(assessment, respondent, axis) for the respondents' own axis and overall scores
(`services.diagnose.aggregates`); an older version's assessments, which the
crosswalks carry rating by rating, load their ratings in one more query. The ratings
themselves (`Series.ratings`, for the pilot effects) are loaded only when asked for. One
transaction loads a series once per version of the organization's data (`load_series`
remembers it until the transaction ends).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from tracker.domain.errors import NotFound
from tracker.domain.follow.trajectory import aggregate
from tracker.domain.follow.trend import Link, Mapped, carry_scores
from tracker.domain.follow.uncertainty import AssessmentIntervals, assessment_intervals
from tracker.domain.frame.targets import score_map
from tracker.domain.scoring import (
    AssessmentScores,
    AxisScore,
    AxisSpec,
    RatingPoint,
    score_assessment,
)
from tracker.extensions import db
from tracker.models import Assessment, Framework, Organization, Rating, Respondent
from tracker.services import derived
from tracker.services.diagnose import aggregates
from tracker.services.frame import frameworks, targets

_MEMO = "tracker.series.memo"


@dataclass(frozen=True)
class Breaks:
    """Where an older assessment does not carry onto the current grid: current dimension
    codes with no older counterpart (`new`) and older codes mapped nowhere (`gone`)."""

    new: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()


@dataclass(frozen=True)
class Series:
    """The closed assessments of one framework code, oldest first, with their scores on the
    current grid (`framework`), their intervals, for an older version's assessment its
    grid and breaks, and on demand their ratings under the current grid's codes
    (`ratings`)."""

    framework: Framework
    axes: list[AxisSpec]
    assessments: list[Assessment]
    scores: list[AssessmentScores]
    targets: dict[str, float]
    intervals: list[AssessmentIntervals] = field(default_factory=list)
    versions: dict[int, Framework] = field(default_factory=dict)
    breaks: dict[int, Breaks] = field(default_factory=dict)
    #: each current-grid assessment's per (dimension, source) stats, by assessment id
    groups: dict[int, aggregates.Groups] = field(default_factory=dict)
    #: an older version's assessment's ratings, carried onto the current grid
    carried: dict[int, list[RatingPoint]] = field(default_factory=dict)
    #: the organization, whose data version keys the cached aggregates
    org: Organization | None = None

    @cached_property
    def levels(self) -> dict[int, aggregates.Groups]:
        """Each current-grid assessment's per (dimension, (source, level)) stats (one GROUP
        BY, on first use, once per version of the organization's data): what the
        alignment gaps need."""
        own = [a.id for a in self.assessments if a.id not in self.carried]
        if self.org is not None:
            return aggregates.cached_stats(self.org, own, self.framework, "source", "level")
        found = aggregates.rating_stats(own, aggregates.dimension_codes(self.framework),
                                        "source", "level")
        return {aid: dict(dims) for aid, dims in found.items()}

    @cached_property
    def ratings(self) -> dict[int, list[RatingPoint]]:
        """Every assessment's ratings under the current grid's codes (one query, on first
        use): what a per-respondent computation needs (the pilot effects)."""
        own = [a.id for a in self.assessments if a.framework_id == self.framework.id]
        loaded = _rating_points(own, [self.framework])
        return {a.id: list(self.carried[a.id]) if a.id in self.carried
                else loaded.get(a.id, []) for a in self.assessments}


def load_series(org: Organization, framework_id: int | None = None,
                code: str | None = None) -> Series | None:
    """The series of `framework_id` alone, or of every version of `code` up to the newest
    one the organization has closed an assessment on (default: the code of the latest
    closed assessment). None when the organization has closed none. Loaded once per
    transaction and version of the organization's data: callers never mutate it."""
    memo: dict[tuple[int, int, int | None, str | None], Series | None] = (
        db.session.info.setdefault(_MEMO, {}))
    key = (org.id, org.data_version, framework_id, code)
    if key not in memo and framework_id is not None:
        # the series of one framework is the one already loaded for its code when that
        # series holds that single version
        same = [found for (org_id, version, _, _), found in memo.items()
                if org_id == org.id and version == org.data_version and found is not None
                and found.framework.id == framework_id and len(found.versions) == 1]
        if same:
            memo[key] = same[0]
    if key not in memo:
        if len(memo) > 8:
            memo.clear()
        memo[key] = _load_series(org, framework_id, code)
    return memo[key]


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """A series loaded in a transaction is not reused by the next one."""
    if transaction.parent is None:
        session.info.pop(_MEMO, None)


def _load_series(org: Organization, framework_id: int | None,
                 code: str | None) -> Series | None:
    closed = select(Assessment).where(Assessment.org_id == org.id,
                                      Assessment.status == "closed")
    if framework_id is not None:
        chain = [frameworks.load_framework(frameworks.framework_for_org(org.id,
                                                                        framework_id).id)]
    else:
        found = _version_chain(org, code)
        if found is None:
            return None
        chain = found
    current = chain[-1]
    ids = [version.id for version in chain]
    assessments = list(db.session.scalars(closed.where(Assessment.framework_id.in_(ids))
                                          .order_by(Assessment.closed_at, Assessment.id)))
    axes = frameworks.axis_specs(current)
    own = [a.id for a in assessments if a.framework_id == current.id]
    scored = derived.cached(org, "series scores", (tuple(own), aggregates.grid_key(current),
                                                    tuple(axes)),
                            lambda: _scored(own, current, axes))
    older = [a.id for a in assessments if a.framework_id != current.id]
    points = _rating_points(older, chain) if older else {}
    by_id = {version.id: version for version in chain}
    scores, intervals, groups, carried_points, breaks = [], [], {}, {}, {}
    for assessment in assessments:
        grid = by_id[assessment.framework_id]
        if grid.id == current.id:
            groups[assessment.id], result, interval = scored[assessment.id]
            intervals.append(interval)
        else:
            result, carried, breaks[assessment.id] = _carried(
                grid, chain, points.get(assessment.id, []))
            carried_points[assessment.id] = carried
            intervals.append(assessment_intervals(axes, carried, grid.source_weights or {},
                                                  result))
        scores.append(result)
    return Series(current, axes, assessments, scores, targets.current_targets(org.id, current),
                  intervals, by_id, breaks, groups, carried_points, org)


def _scored(own: list[int], current: Framework, axes: list[AxisSpec]) -> dict[
        int, tuple[aggregates.Groups, AssessmentScores, AssessmentIntervals]]:
    """Each current-grid assessment's per (dimension, source) stats, scores and intervals,
    from the two GROUP BYs (what `derived.cached` keeps per data version)."""
    stats = aggregates.rating_stats(own, aggregates.dimension_codes(current), "source")
    spreads = aggregates.respondent_spreads(own, current, current.source_weights)
    result = {}
    for aid in own:
        groups = {code: dict(cells) for code, cells in stats.get(aid, {}).items()}
        scores = aggregates.scores_of(axes, groups, current.source_weights)
        result[aid] = (groups, scores, aggregates.intervals_of(
            axes, groups, current.source_weights, scores, spreads.get(aid)))
    return result


def _version_chain(org: Organization, code: str | None) -> list[Framework] | None:
    """The versions of `code` from the oldest the organization assessed to the newest it
    assessed, every version between them included (the crosswalks chain through them)."""
    assessed = (select(Framework.code, Framework.version)
                .join(Assessment, Assessment.framework_id == Framework.id)
                .where(Assessment.org_id == org.id, Assessment.status == "closed"))
    if code is None:
        latest = db.session.execute(assessed.order_by(Assessment.closed_at.desc(),
                                                      Assessment.id.desc()).limit(1)).first()
        if latest is None:
            return None
        code = latest.code
    versions = sorted({row.version for row in db.session.execute(
        assessed.where(Framework.code == code))})
    if not versions:
        if frameworks.find_framework(code) is None:
            raise NotFound(f"No framework has the code {code}.")
        return None
    chain = db.session.scalars(
        select(Framework).where(Framework.code == code,
                                Framework.version.between(versions[0], versions[-1]))
        .order_by(Framework.version))
    return [frameworks.load_framework(version.id) for version in chain
            if version.org_id in (None, org.id)]


def _rating_points(assessment_ids: Sequence[int],
                   grids: Sequence[Framework]) -> dict[int, list[RatingPoint]]:
    """Every rating of these assessments with the respondent's attributes, in ONE query,
    under its own grid's dimension codes."""
    codes = {d.id: code for grid in grids
             for code, d in frameworks.dimensions_by_code(grid).items()}
    by_assessment: dict[int, list[RatingPoint]] = defaultdict(list)
    if not assessment_ids:
        return by_assessment
    rows = db.session.execute(
        select(Rating.assessment_id, Rating.respondent_id, Rating.dimension_id, Rating.value,
               Respondent.source, Respondent.role, Respondent.team, Respondent.level,
               Respondent.perspective)
        .join(Respondent, Respondent.id == Rating.respondent_id)
        .where(Rating.assessment_id.in_(assessment_ids)))
    for r in rows:
        if r.dimension_id in codes:
            by_assessment[r.assessment_id].append(RatingPoint(
                respondent_id=r.respondent_id, dimension=codes[r.dimension_id], value=r.value,
                source=r.source, role=r.role, team=r.team, level=r.level,
                perspective=r.perspective))
    return by_assessment


def _links(grid: Framework) -> list[Link]:
    """A grid's crosswalk from its previous version."""
    return [Link(str(line["from"]), str(line["to"]), float(line.get("weight", 1.0)))
            for line in grid.crosswalk or []]


def _carried(grid: Framework, chain: list[Framework], points: list[RatingPoint]) -> tuple[
        AssessmentScores, list[RatingPoint], Breaks]:
    """An older version's assessment on the current grid: its scores carried through every
    later version's crosswalk, its ratings re-coded the same way, and the breaks."""
    own_axes = frameworks.axis_specs(grid)
    own = score_assessment(own_axes, points, grid.source_weights)
    scores: dict[str, float | None] = dict(score_map(own))
    carried = list(points)
    gone: list[str] = []
    start = next(k for k, version in enumerate(chain) if version.id == grid.id)
    mapped = Mapped(scores, (), ())
    for later in chain[start + 1:]:
        codes = list(frameworks.dimensions_by_code(later))
        links = _links(later)
        mapped = carry_scores(scores, codes, links)
        gone.extend(code for code in mapped.gone if code not in gone)
        carried = _recoded(carried, codes, links)
        scores = mapped.scores
    current_axes = frameworks.axis_specs(chain[-1])
    base = score_assessment(current_axes, carried, grid.source_weights)
    return _with_scores(base, scores, current_axes), carried, Breaks(mapped.new, tuple(gone))


def _recoded(points: list[RatingPoint], codes: list[str],
             links: list[Link]) -> list[RatingPoint]:
    """Ratings under the next version's codes: one point per code the rating's dimension
    maps to (a rename or a split), its own code when the next version keeps it unnamed by
    the crosswalk, none when it is gone."""
    named = {link.source for link in links} | {link.target for link in links}
    targets_of: dict[str, list[str]] = defaultdict(list)
    for link in links:
        targets_of[link.source].append(link.target)
    kept = set(codes)
    result: list[RatingPoint] = []
    for point in points:
        goals = targets_of.get(point.dimension) or (
            [point.dimension] if point.dimension in kept and point.dimension not in named
            else [])
        result.extend(replace(point, dimension=goal) for goal in goals)
    return result


def _with_scores(base: AssessmentScores, scores: dict[str, float | None],
                 axes: list[AxisSpec]) -> AssessmentScores:
    """`base` (scored from the re-coded ratings, for counts and dispersion) with the carried
    dimension scores, and axis and overall scores aggregated from them."""
    overall, by_axis = aggregate(scores, axes)
    return AssessmentScores(overall=overall, axes=tuple(
        AxisScore(axis.code, axis.name, by_axis[axis.code],
                  tuple(replace(dim, score=scores.get(dim.code)) for dim in axis.dimensions))
        for axis in base.axes))
