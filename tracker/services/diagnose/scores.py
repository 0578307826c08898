"""Scores of an assessment: every rating loaded in one query, scored by the domain
(dimension, axis and overall, dispersion, source agreement) beside the organization's
targets; and the target gaps of the latest closed assessment, which the backlog ranks by."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from tracker.domain.follow.uncertainty import Interval, assessment_intervals
from tracker.domain.frame.targets import dimension_targets, percent_to_target, score_map
from tracker.domain.scoring import AssessmentScores, AxisSpec, RatingPoint, score_assessment
from tracker.extensions import db
from tracker.models import Assessment, Framework, Organization, Rating, Respondent
from tracker.services.frame import frameworks, targets
from tracker.services.observe import assessments


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
    """An assessment with its grid, ratings, scores and the organization's targets."""

    assessment: Assessment
    framework: Framework
    axes: list[AxisSpec]
    points: list[RatingPoint]
    scores: AssessmentScores
    targets: dict[str, float]


def scored_assessment(org: Organization, assessment_id: int,
                      locale: str | None = None) -> ScoredAssessment:
    """Load and score an assessment in a constant number of queries, whatever its size;
    its axis and dimension names in `locale` where translated (default: the grid's own)."""
    assessment = assessments.get_assessment(org, assessment_id)
    framework = frameworks.load_framework(assessment.framework_id)
    axes = frameworks.axis_specs(framework, locale)
    points = rating_points(assessment, framework)
    return ScoredAssessment(assessment, framework, axes, points,
                            score_assessment(axes, points, framework.source_weights),
                            targets.current_targets(org.id, framework))


def assessment_scores(org: Organization, assessment_id: int,
                      locale: str | None = None) -> dict[str, Any]:
    """Dimension, axis and overall scores with dispersion, source agreement and their 95 %
    interval (`margin`, `ci95`), and each dimension's target, target gap, share and weighted
    gap; `percent_to_target` overall. Names in `locale` where translated (default: the
    grid's own language)."""
    scored = scored_assessment(org, assessment_id, locale)
    by_code = {t.code: t for t in dimension_targets(scored.axes, scored.scores, scored.targets)}
    intervals = assessment_intervals(scored.axes, scored.points,
                                     scored.framework.source_weights, scored.scores)
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
