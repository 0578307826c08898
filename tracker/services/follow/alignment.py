"""The alignment trend: is the mirror closing? For every dimension of the barometer's grid,
the leaders–teams gap in each closed assessment, its change per quarter, and the
initiatives that target the dimension (DESIGN section 3, "Alignment gap")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from tracker.domain.errors import TrackerError
from tracker.domain.follow.trend import alignment_gap
from tracker.domain.follow.uncertainty import change_per_quarter
from tracker.domain.scoring import RatingPoint
from tracker.extensions import db
from tracker.models import Initiative, Organization, Uplift
from tracker.services import derived
from tracker.services.diagnose import aggregates
from tracker.services.follow.series import Series, load_series
from tracker.services.frame import frameworks


@dataclass(frozen=True)
class GapPoint:
    """The leaders–teams gap of one dimension in one closed assessment (none when a group
    is under the organization's `min_group_size`)."""

    assessment_id: int
    closed_at: datetime | None
    gap: float | None


@dataclass(frozen=True)
class DimensionAlignment:
    """A dimension's gap over time, its least-squares change per quarter (none under two
    known gaps), and the live initiatives whose uplifts target it, by id."""

    code: str
    name: str
    points: list[GapPoint]
    change_per_quarter: float | None
    initiative_ids: list[int]

    @property
    def latest_gap(self) -> float | None:
        """The last known gap, for the headline of the page and the email."""
        return next((p.gap for p in reversed(self.points) if p.gap is not None), None)

    @property
    def closing(self) -> bool:
        """Whether the gap shrinks: a known negative change on a positive gap."""
        return (self.change_per_quarter is not None and self.change_per_quarter < 0
                and (self.latest_gap or 0) > 0)


@dataclass(frozen=True)
class Alignment:
    """The alignment trend of one framework's series (empty without a closed assessment),
    with the titles of the initiatives that target its dimensions, by id."""

    framework_id: int | None
    dimensions: list[DimensionAlignment]
    initiative_titles: dict[int, str] = field(default_factory=dict)

    def known_gaps(self) -> list[DimensionAlignment]:
        """The dimensions with a known gap, the largest latest gap first (then by code):
        what the barometer page and the report list."""
        return sorted((d for d in self.dimensions if d.latest_gap is not None),
                      key=lambda d: (-(d.latest_gap or 0.0), d.code))


def alignment(org: Organization, framework_id: int | None = None,
              code: str | None = None) -> Alignment:
    """The alignment trend of the barometer's series (`framework_id` alone, or every version
    of `code`), in a constant number of queries: the current grid's assessments from the
    series' GROUP BY (assessment, dimension, source, level), an older version's from its
    carried ratings. Computed once per version of the organization's data (shared: never
    change it)."""
    return derived.cached(org, "alignment", (framework_id, code),
                          lambda: _alignment(org, framework_id, code), errors=(TrackerError,))


def _alignment(org: Organization, framework_id: int | None, code: str | None) -> Alignment:
    series = load_series(org, framework_id, code)
    if series is None:
        return Alignment(framework_id, [])
    targeting, titles = _initiatives_by_dimension(org, series)
    stats = series.levels
    carried = {aid: _by_dimension(points) for aid, points in series.carried.items()}
    weights = series.framework.source_weights or {}
    dimensions = []
    for axis in series.axes:
        for spec in axis.dimensions:
            gaps = [GapPoint(a.id, a.closed_at,
                             alignment_gap(spec, carried[a.id].get(spec.code, []), weights,
                                           org.min_group_size) if a.id in carried
                             else aggregates.alignment_gap_of(
                                 spec, stats.get(a.id, {}).get(spec.code, {}), weights,
                                 org.min_group_size))
                    for a in series.assessments]
            known = [(p.closed_at, p.gap) for p in gaps
                     if p.gap is not None and p.closed_at is not None]
            dimensions.append(DimensionAlignment(
                spec.code, spec.name, gaps, change_per_quarter(known),
                targeting.get(spec.code, [])))
    return Alignment(series.framework.id, dimensions, titles)


def _by_dimension(points: list[RatingPoint]) -> dict[str, list[RatingPoint]]:
    grouped: dict[str, list[RatingPoint]] = defaultdict(list)
    for point in points:
        grouped[point.dimension].append(point)
    return grouped


def _initiatives_by_dimension(org: Organization, series: Series
                              ) -> tuple[dict[str, list[int]], dict[int, str]]:
    """Ids of the organization's live initiatives (not archived, not dropped) by the code
    of each dimension of the series' grid they expect to lift, and their titles, in one
    query."""
    codes = {dim.id: code for code, dim in frameworks.dimensions_by_code(series.framework).items()}
    rows = db.session.execute(
        select(Uplift.dimension_id, Initiative.id, Initiative.title)
        .join(Initiative, Initiative.id == Uplift.initiative_id)
        .where(Initiative.org_id == org.id, Initiative.archived_at.is_(None),
               Initiative.status != "dropped", Uplift.dimension_id.in_(list(codes)))
        .order_by(Initiative.id))
    result: dict[str, list[int]] = defaultdict(list)
    titles: dict[int, str] = {}
    for dimension_id, initiative_id, title in rows:
        result[codes[dimension_id]].append(initiative_id)
        titles[initiative_id] = title
    return result, titles
