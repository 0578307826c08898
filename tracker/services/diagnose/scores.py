"""Scores of an assessment from SQL aggregates (`services.diagnose.aggregates`: one GROUP BY
(dimension, source) and the respondents' own axis and overall scores in two more), the
formulas of the domain (dimension, axis and overall, dispersion, source agreement, 95 %
intervals) beside the organization's targets; and the target gaps of the latest closed
assessment, which the backlog ranks by. The per-rating points are loaded only by a caller
that asks for them (`ScoredAssessment.points`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import select

from tracker.domain.follow.uncertainty import AssessmentIntervals, Interval
from tracker.domain.frame.targets import dimension_targets, percent_to_target, score_map
from tracker.domain.scoring import AssessmentScores, AxisSpec, RatingPoint
from tracker.extensions import db
from tracker.models import Assessment, Dimension, Framework, Organization, Rating, Respondent
from tracker.services.diagnose import aggregates
from tracker.services.frame import frameworks, targets
from tracker.services.observe import assessments
from tracker.services.pagination import Page, paginate


def rating_points(assessment: Assessment, framework: Framework) -> list[RatingPoint]:
    """Every rating of the assessment with its respondent's attributes, in one query."""
    codes = {d.id: code for code, d in frameworks.dimensions_by_code(framework).items()}
    rows = db.session.execute(
        select(Rating.respondent_id, Rating.dimension_id, Rating.value, Respondent.source,
               Respondent.role, Respondent.team, Respondent.level, Respondent.perspective)
        .join(Respondent, Respondent.id == Rating.respondent_id)
        .where(Rating.assessment_id == assessment.id))
    return [RatingPoint(respondent_id, codes[dimension_id], value, source, role, team, level,
                        perspective)
            for respondent_id, dimension_id, value, source, role, team, level, perspective
            in rows]


@dataclass(frozen=True)
class ScoredAssessment:
    """An assessment with its grid, scores, intervals and the organization's targets; its
    per (dimension, source) stats (`groups`), and its rating points on demand."""

    assessment: Assessment
    framework: Framework
    axes: list[AxisSpec]
    scores: AssessmentScores
    targets: dict[str, float]
    groups: aggregates.Groups = field(default_factory=dict)
    #: the organization, whose data version keys the cached aggregates (None: not cached)
    org: Organization | None = None

    @cached_property
    def points(self) -> list[RatingPoint]:
        """Every rating with its respondent's attributes (one query, on first use): for a
        caller that needs individual ratings; the aggregates need none."""
        return rating_points(self.assessment, self.framework)

    @cached_property
    def intervals(self) -> AssessmentIntervals:
        """The 95 % intervals of the dimension, axis and overall scores (the respondents'
        own axis and overall scores are aggregated on first use)."""
        weights = self.framework.source_weights
        spreads = (aggregates.cached_spreads(self.org, self.assessment.id, self.framework)
                   if self.org is not None else
                   aggregates.respondent_spreads(self.assessment.id, self.framework, weights))
        spread = spreads.get(self.assessment.id)
        return aggregates.intervals_of(self.axes, self.groups, weights, self.scores, spread)


def scored_assessment(org: Organization, assessment_id: int,
                      locale: str | None = None) -> ScoredAssessment:
    """Load and score an assessment in a constant number of queries, whatever its size;
    its axis and dimension names in `locale` where translated (default: the grid's own)."""
    assessment = assessments.get_assessment(org, assessment_id)
    framework = frameworks.load_framework(assessment.framework_id)
    return score_loaded(org, assessment, framework, locale)


def score_loaded(org: Organization, assessment: Assessment, framework: Framework,
                 locale: str | None = None) -> ScoredAssessment:
    """`scored_assessment` of an assessment and grid already loaded."""
    axes = frameworks.axis_specs(framework, locale)
    groups = aggregates.cached_stats(org, assessment.id, framework, "source").get(
        assessment.id, {})
    return ScoredAssessment(assessment, framework, axes,
                            aggregates.scores_of(axes, groups, framework.source_weights),
                            targets.current_targets(org.id, framework), dict(groups), org)


def assessment_scores(org: Organization, assessment_id: int,
                      locale: str | None = None) -> dict[str, Any]:
    """Dimension, axis and overall scores with dispersion, source agreement and their 95 %
    interval (`margin`, `ci95`), and each dimension's target, target gap, share and weighted
    gap; `percent_to_target` overall. Names in `locale` where translated (default: the
    grid's own language)."""
    scored = scored_assessment(org, assessment_id, locale)
    by_code = {t.code: t for t in dimension_targets(scored.axes, scored.scores, scored.targets)}
    intervals = scored.intervals
    axes = [{"code": axis.code, "name": axis.name, "score": axis.score,
             **interval_fields(intervals.axes.get(axis.code)),
             "dimensions": [{**asdict(dim), "target": by_code[dim.code].target,
                             "target_gap": by_code[dim.code].target_gap,
                             "share": by_code[dim.code].share,
                             "weighted_gap": by_code[dim.code].weighted_gap,
                             **interval_fields(intervals.dimensions.get(dim.code))}
                            for dim in axis.dimensions]}
            for axis in scored.scores.axes]
    return {"overall": scored.scores.overall, **interval_fields(intervals.overall),
            "axes": axes,
            "percent_to_target": percent_to_target(score_map(scored.scores), scored.targets)}


def interval_fields(interval: Interval | None) -> dict[str, Any]:
    """`margin` and `ci95` of a score as the API shows them (both null without an
    interval)."""
    if interval is None:
        return {"margin": None, "ci95": None}
    return {"margin": interval.margin, "ci95": [interval.low, interval.high]}


def latest_target_gaps(org: Organization) -> dict[str, float | None]:
    """Target gap per dimension code on the organization's latest closed assessment (empty
    when none is closed)."""
    gaps, _ = latest_gaps_and_shares(org)
    return gaps


def latest_gaps_and_shares(org: Organization) -> tuple[dict[str, float | None],
                                                       dict[str, float]]:
    """Target gap and share of the overall score per dimension code, on the organization's
    latest closed assessment (both empty when none is closed)."""
    assessment = db.session.scalar(
        select(Assessment).where(Assessment.org_id == org.id, Assessment.status == "closed")
        .order_by(Assessment.closed_at.desc(), Assessment.id.desc()).limit(1))
    if assessment is None:
        return {}, {}
    scored = scored_assessment(org, assessment.id)
    dims = dimension_targets(scored.axes, scored.scores, scored.targets)
    return {d.code: d.target_gap for d in dims}, {d.code: d.share for d in dims}


#: Respondents per page of the diagnostic page's ratings grid.
GRID_PAGE_SIZE = 40


def grid_page(assessment_id: int, sources: tuple[str, ...], page: int,
              per_page: int = GRID_PAGE_SIZE) -> tuple[Page[Respondent], list[RatingPoint]]:
    """One page of the ratings grid: the assessment's respondents of `sources` in the order
    they were added, and their ratings under their dimension codes (three queries; the
    caller checks that its user may see respondents)."""
    found = paginate(select(Respondent).where(Respondent.assessment_id == assessment_id,
                                              Respondent.source.in_(sources))
                     .order_by(Respondent.id), max(1, page), per_page)
    if not found.items and found.page > 1:
        last = max(1, -(-found.total // per_page))
        return grid_page(assessment_id, sources, last, per_page)
    ids = [r.id for r in found.items]
    if not ids:
        return found, []
    rows = db.session.execute(
        select(Rating.respondent_id, Dimension.code, Rating.value)
        .join(Dimension, Dimension.id == Rating.dimension_id)
        .where(Rating.assessment_id == assessment_id, Rating.respondent_id.in_(ids)))
    return found, [RatingPoint(respondent_id, code, value)
                   for respondent_id, code, value in rows]
