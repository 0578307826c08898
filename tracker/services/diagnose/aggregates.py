"""Ratings aggregated in SQL (issue 20): scores, dispersion, source agreement, intervals,
perception gaps, blind spots and alignment gaps computed from GROUP BY rows, never from one
Python object per rating.

The formulas are DESIGN section 3's; only their inputs are sums. Per (assessment, dimension,
group) the database gives the count, sum, sum of squares, minimum and maximum of the
non-null values (`Stat`). A source weight is the same for every rating of a source, so
`Σw = Σ_s w_s·n_s`, `Σw² = Σ_s w_s²·n_s`, `Σw·v = Σ_s w_s·Σv_s` and `Σw·v² = Σ_s w_s·Σv²_s`:
the weighted mean, the population standard deviation, the source agreement and the
dimension's interval follow exactly. A respondent rates a dimension at most once (a unique
constraint), so a group's respondent count is its count of values and its mean over
respondents is `Σv / n`. An axis' or the overall interval needs each respondent's own axis
and overall score: one GROUP BY (respondent, axis) gives `Σ W_d·v` and `Σ W_d`, one row
per respondent and axis.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import func, null, select, union_all

from tracker.domain.follow.trajectory import aggregate
from tracker.domain.follow.uncertainty import (
    CONFIDENCE_QUANTILE,
    AssessmentIntervals,
    Interval,
    t_quantile,
)
from tracker.domain.perception import DimensionGap, GroupMean, LeaderGap, at_least
from tracker.domain.scoring import (
    SOURCES,
    AssessmentScores,
    AxisScore,
    AxisSpec,
    DimensionScore,
    DimensionSpec,
)
from tracker.extensions import db
from tracker.models import Axis, Dimension, Framework, Organization, Rating, Respondent
from tracker.services import derived


class Stat(NamedTuple):
    """Count, sum, sum of squares, minimum and maximum of some non-null values (a tuple:
    thousands are made per read)."""

    n: int
    total: float
    squares: float
    low: float
    high: float

    def plus(self, other: Stat) -> Stat:
        """The stat of both sets of values (disjoint)."""
        return Stat(self.n + other.n, self.total + other.total, self.squares + other.squares,
                    min(self.low, other.low), max(self.high, other.high))

    @property
    def mean(self) -> float:
        """The plain mean of the values."""
        return self.total / self.n


def merged(stats: Iterable[Stat]) -> Stat | None:
    """The stat of the union of disjoint sets of values (None for none)."""
    result: Stat | None = None
    for stat in stats:
        result = stat if result is None else result.plus(stat)
    return result


#: Per dimension code, per group (source, team, level…; None for none), the group's stat.
Groups = dict[str, dict[Any, Stat]]


def _ids(assessment_ids: int | Sequence[int]) -> list[int]:
    return [assessment_ids] if isinstance(assessment_ids, int) else list(assessment_ids)


def _where_assessments(ids: list[int]) -> Any:
    return Rating.assessment_id == ids[0] if len(ids) == 1 else Rating.assessment_id.in_(ids)


def rating_stats(assessment_ids: int | Sequence[int], codes: Mapping[int, str],
                 *by: str) -> dict[int, dict[str, dict[Any, Stat]]]:
    """Per assessment, per dimension code (of `codes`, dimension id → code), per value of
    the respondents' attributes `by` (one value, or a tuple for several), the stat of the
    non-null ratings; in ONE GROUP BY."""
    ids = _ids(assessment_ids)
    result: dict[int, dict[str, dict[Any, Stat]]] = defaultdict(lambda: defaultdict(dict))
    if not ids:
        return result
    columns = [getattr(Respondent, name) for name in by]
    rows = db.session.execute(
        select(Rating.assessment_id, Rating.dimension_id, *columns, func.count(Rating.value),
               func.sum(Rating.value), func.sum(Rating.value * Rating.value),
               func.min(Rating.value), func.max(Rating.value))
        .join(Respondent, Respondent.id == Rating.respondent_id)
        .where(_where_assessments(ids), Rating.value.is_not(None))
        .group_by(Rating.assessment_id, Rating.dimension_id, *columns))
    width = len(columns)
    for row in rows:
        code = codes.get(row[1])
        if code is None:
            continue
        key = row[2] if width == 1 else tuple(row[2:2 + width])
        n, total, squares, low, high = row[2 + width:]
        result[row[0]][code][key] = Stat(int(n), float(total), float(squares), float(low),
                                         float(high))
    return result


def grid_key(framework: Framework) -> Hashable:
    """What the aggregates read of a grid, as a cache key: its id, every axis' and
    dimension's id, code and weight, and the source weights (an edit of an organization's
    own grid changes the key even where it does not move the data version)."""
    return (framework.id,
            tuple((axis.id, axis.code, axis.weight,
                   tuple((d.id, d.code, d.weight) for d in axis.dimensions))
                  for axis in framework.axes),
            tuple(sorted((framework.source_weights or {}).items())))


def cached_stats(org: Organization, assessment_ids: int | Sequence[int],
                 framework: Framework, *by: str) -> dict[int, Groups]:
    """`rating_stats` of these assessments on `framework`'s codes, computed once per
    version of the organization's data (`services.derived`; the ratings' writes move it).
    Shared: callers never mutate it."""
    ids = tuple(_ids(assessment_ids))

    def compute() -> dict[int, Groups]:
        found = rating_stats(ids, dimension_codes(framework), *by)
        return {aid: {code: dict(cells) for code, cells in dims.items()}
                for aid, dims in found.items()}

    return derived.cached(org, "rating stats", (ids, grid_key(framework), by), compute)


def cached_spreads(org: Organization, assessment_ids: int | Sequence[int],
                   framework: Framework) -> dict[int, Spread]:
    """`respondent_spreads` of these assessments under the grid's source weights, computed
    once per version of the organization's data. Shared: callers never mutate it."""
    ids = tuple(_ids(assessment_ids))
    return derived.cached(org, "respondent spreads", (ids, grid_key(framework)),
                          lambda: respondent_spreads(ids, framework, framework.source_weights))


def folded(groups: Groups, position: int) -> Groups:
    """Stats keyed by tuples of attribute values folded onto the value at `position`."""
    result: Groups = {}
    for code, cells in groups.items():
        out: dict[Any, Stat] = {}
        for key, stat in cells.items():
            value = key[position]
            out[value] = out[value].plus(stat) if value in out else stat
        result[code] = out
    return result


def dimension_codes(framework: Framework) -> dict[int, str]:
    """Dimension id → code of a grid."""
    return {d.id: d.code for axis in framework.axes for d in axis.dimensions}


# Scores ------------------------------------------------------------------------------------

def population_stdev(stat: Stat) -> float:
    """The population standard deviation of the values of `stat` (exactly 0 when they are
    all equal)."""
    if stat.low == stat.high:
        return 0.0
    return math.sqrt(max(0.0, (stat.squares - stat.total * stat.total / stat.n) / stat.n))


def _source_order(source: Any) -> tuple[int, str]:
    return (SOURCES.index(source), "") if source in SOURCES else (len(SOURCES), str(source))


def dimension_score(spec: DimensionSpec, by_source: Mapping[Any, Stat],
                    source_weights: Mapping[str, float]) -> DimensionScore:
    """`Σ w·v / Σ w`, dispersion with `n`, and the source agreement, from per-source
    stats."""
    weighted = weight = 0.0
    for source, stat in by_source.items():
        w = source_weights.get(source, 1.0)
        weighted += w * stat.total
        weight += w * stat.n
    every = merged(by_source.values())
    means = {source: by_source[source].mean for source in sorted(by_source, key=_source_order)}
    spread = max(means.values()) - min(means.values()) if len(means) >= 2 else None
    return DimensionScore(code=spec.code, name=spec.name,
                          score=None if weight == 0 else weighted / weight,
                          n=every.n if every else 0,
                          stdev=population_stdev(every) if every else None,
                          source_means=means, source_spread=spread)


def scores_of(axes: Sequence[AxisSpec], groups: Groups,
              source_weights: Mapping[str, float] | None) -> AssessmentScores:
    """Every dimension, axis and the overall score from per (dimension, source) stats."""
    weights = dict(source_weights or {})
    dims = {axis.code: tuple(dimension_score(d, groups.get(d.code, {}), weights)
                             for d in axis.dimensions) for axis in axes}
    overall, by_axis = aggregate({d.code: d.score for row in dims.values() for d in row}, axes)
    return AssessmentScores(overall=overall, axes=tuple(
        AxisScore(axis.code, axis.name, by_axis[axis.code], dims[axis.code]) for axis in axes))


# Intervals ---------------------------------------------------------------------------------

def dimension_interval(by_source: Mapping[Any, Stat],
                       source_weights: Mapping[str, float]) -> Interval | None:
    """DESIGN's interval of a dimension score from per-source stats: `σ²_w`, `n_eff`,
    `se`, `df` and the t margin; none when `n_eff < 2`."""
    total = squares = weighted = 0.0
    for source, stat in by_source.items():
        w = source_weights.get(source, 1.0)
        total += w * stat.n
        squares += w * w * stat.n
        weighted += w * stat.total
    if total <= 0 or squares <= 0:
        return None
    n_eff = total * total / squares
    if n_eff < 2:
        return None
    centre = weighted / total
    every = merged(by_source.values())
    variance = 0.0 if every is None or every.low == every.high else max(0.0, sum(
        source_weights.get(source, 1.0) * (stat.squares - 2 * centre * stat.total
                                           + centre * centre * stat.n)
        for source, stat in by_source.items()) / total)
    se = math.sqrt(variance / (n_eff - 1.0))
    df = max(1, math.floor(n_eff + 1e-9) - 1)
    return Interval(centre=centre, se=se, df=df,
                    margin=t_quantile(CONFIDENCE_QUANTILE, df) * se)


def respondent_interval(stat: Stat | None, centre: float | None) -> Interval | None:
    """The interval of an axis or the overall score from the stat of the respondents' own
    scores: `se = s / √n` (sample standard deviation), `df = n − 1`, centred on the
    published score; none under two respondents."""
    if centre is None or stat is None or stat.n < 2:
        return None
    n = stat.n
    variance = 0.0 if stat.low == stat.high else max(
        0.0, (stat.squares - stat.total * stat.total / n) / (n - 1))
    se = math.sqrt(variance / n)
    return Interval(centre=centre, se=se, df=n - 1,
                    margin=t_quantile(CONFIDENCE_QUANTILE, n - 1) * se)


@dataclass(frozen=True)
class Spread:
    """Stats of the respondents' own scores of one assessment: per axis code, and
    overall."""

    axes: dict[str, Stat] = field(default_factory=dict)
    overall: Stat | None = None


def respondent_spreads(assessment_ids: int | Sequence[int], framework: Framework,
                       source_weights: Mapping[str, float] | None) -> dict[int, Spread]:
    """Per assessment, the stats of its respondents' own axis scores (`Σ W_d·v / Σ W_d`
    over the dimensions of the axis they rated) and own overall scores (`Σ W_a·s_a / Σ W_a`
    over their axes with a score), in ONE statement: the respondents' axis scores are
    grouped once (a materialized CTE), then folded in the database into a few rows per
    assessment, not thousands. A respondent of a source weighing 0 has no score of their
    own (as in the domain)."""
    ids = _ids(assessment_ids)
    if not ids:
        return {}
    codes = {axis.id: axis.code for axis in framework.axes}
    result = {aid: Spread() for aid in ids}
    for aid, axis_id, *stat in db.session.execute(_spreads_statement(
            ids, list(codes), [s for s, w in (source_weights or {}).items() if w == 0])):
        n, total, squares, low, high = stat
        found = Stat(int(n), float(total), float(squares), float(low), float(high))
        if axis_id is None:
            result[aid] = Spread(result[aid].axes, found)
        else:
            result[aid].axes[codes[axis_id]] = found
    return result


def _spreads_statement(ids: list[int], axis_ids: list[int], silent: list[str]) -> Any:
    """(assessment, axis or NULL for overall, count, sum, sum of squares, min, max) of the
    respondents' own axis scores and own overall scores (`respondent_spreads`)."""
    weight = func.sum(Dimension.weight)
    query = (select(Rating.assessment_id.label("aid"), Rating.respondent_id.label("rid"),
                    Dimension.axis_id.label("axis"),
                    (func.sum(Dimension.weight * Rating.value) / weight).label("score"))
             .join(Dimension, Dimension.id == Rating.dimension_id)
             .where(_where_assessments(ids), Rating.value.is_not(None),
                    Dimension.axis_id.in_(axis_ids)))
    if silent:
        query = query.join(Respondent, Respondent.id == Rating.respondent_id).where(
            Respondent.source.not_in(silent))
    own = (query.group_by(Rating.assessment_id, Rating.respondent_id, Dimension.axis_id)
           .having(weight != 0).cte("own_axis").prefix_with("MATERIALIZED"))
    axis_weight = func.sum(Axis.weight)
    overall = (select(own.c.aid, (func.sum(Axis.weight * own.c.score) / axis_weight)
                      .label("score"))
               .join(Axis, Axis.id == own.c.axis)
               .group_by(own.c.aid, own.c.rid).having(axis_weight != 0).subquery())

    def stats_of(source: Any, axis: Any) -> Any:
        score = source.c.score
        return select(source.c.aid, axis, func.count(), func.sum(score), func.sum(score * score),
                      func.min(score), func.max(score))

    return union_all(stats_of(own, own.c.axis).group_by(own.c.aid, own.c.axis),
                     stats_of(overall, null().label("axis")).group_by(overall.c.aid))


def intervals_of(axes: Sequence[AxisSpec], groups: Groups,
                 source_weights: Mapping[str, float] | None, scores: AssessmentScores,
                 spread: Spread | None) -> AssessmentIntervals:
    """Every interval of an assessment from its per (dimension, source) stats and the
    stats of its respondents' own scores, centred on the published `scores`."""
    weights = dict(source_weights or {})
    spread = spread or Spread()
    return AssessmentIntervals(
        dimensions={d.code: dimension_interval(groups.get(d.code, {}), weights)
                    for axis in axes for d in axis.dimensions},
        axes={axis.code: respondent_interval(spread.axes.get(axis.code), axis.score)
              for axis in scores.axes},
        overall=respondent_interval(spread.overall, scores.overall))


# Groups of respondents ---------------------------------------------------------------------

def _named(value: Any) -> str | None:
    if value is None or not str(value).strip():
        return None
    return str(value)


def gaps_of(groups: Groups, codes: Sequence[str], min_group_size: int,
            threshold: float) -> list[DimensionGap]:
    """The perception gap of each dimension (DESIGN section 3) from per (dimension,
    attribute value) stats: groups under `min_group_size` respondents are hidden, counted
    in `hidden_groups`."""
    result = []
    for code in codes:
        by_name: dict[str, Stat] = {}
        for value, stat in groups.get(code, {}).items():
            name = _named(value)
            if name is not None:
                by_name[name] = by_name[name].plus(stat) if name in by_name else stat
        shown = sorted((GroupMean(name, stat.mean, stat.n) for name, stat in by_name.items()
                        if stat.n >= min_group_size), key=lambda g: g.name)
        hidden = sum(1 for stat in by_name.values() if stat.n < min_group_size)
        means = [g.mean for g in shown]
        gap = max(means) - min(means) if len(means) >= 2 else None
        result.append(DimensionGap(code, tuple(shown), hidden, gap,
                                   gap is not None and at_least(gap, threshold)))
    return result


def leader_gaps_of(groups: Groups, codes: Sequence[str], leader_level: str,
                   min_group_size: int) -> dict[str, LeaderGap]:
    """Leaders' mean against everyone else's per dimension, from per (dimension, level)
    stats; null means when either group is under `min_group_size`."""
    result = {}
    for code in codes:
        leaders: Stat | None = None
        others: Stat | None = None
        for value, stat in groups.get(code, {}).items():
            if _named(value) == leader_level:
                leaders = stat if leaders is None else leaders.plus(stat)
            else:
                others = stat if others is None else others.plus(stat)
        n_leaders, n_others = (leaders.n if leaders else 0), (others.n if others else 0)
        if leaders is None or others is None or min(n_leaders, n_others) < min_group_size:
            result[code] = LeaderGap(None, None, None, n_leaders, n_others)
        else:
            result[code] = LeaderGap(leaders.mean, others.mean, leaders.mean - others.mean,
                                     n_leaders, n_others)
    return result


def respondents_by(assessment_id: int, attribute: str) -> dict[Any, int]:
    """How many respondents of the assessment with at least one rating (null or not) have
    each value of `attribute`, in one query."""
    column = getattr(Respondent, attribute)
    return {value: int(count) for value, count in db.session.execute(
        select(column, func.count(func.distinct(Rating.respondent_id)))
        .join(Respondent, Respondent.id == Rating.respondent_id)
        .where(Rating.assessment_id == assessment_id).group_by(column))}


def alignment_gap_of(spec: DimensionSpec, by_source_level: Mapping[tuple[Any, Any], Stat],
                     source_weights: Mapping[str, float], min_group_size: int,
                     leader_level: str = "leader") -> float | None:
    """DESIGN's alignment gap of a dimension from per (source, level) stats: the score
    from leaders' ratings minus the one from the others'; none when either group has
    fewer than `min_group_size` respondents with a rating."""
    leaders: dict[Any, Stat] = {}
    others: dict[Any, Stat] = {}
    for (source, level), stat in by_source_level.items():
        side = leaders if level == leader_level else others
        side[source] = side[source].plus(stat) if source in side else stat
    sizes = [sum(s.n for s in side.values()) for side in (leaders, others)]
    if min(sizes) < max(1, min_group_size):
        return None
    top = dimension_score(spec, leaders, source_weights).score
    rest = dimension_score(spec, others, source_weights).score
    return None if top is None or rest is None else top - rest
