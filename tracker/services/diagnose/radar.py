"""The radar of an assessment's axis scores: current, target and previous assessment.

The issue asks the same radar on the dashboard and in the report, so its series are
computed here once: the assessment's axis scores, the organization's axis targets (when
any is set) and the axis scores of the closed assessment of the same framework just
before it (when there is one), found by one bounded query and scored from its aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.domain.frame.targets import axis_targets
from tracker.domain.scoring import AssessmentScores
from tracker.extensions import db
from tracker.models import Assessment, Framework, Organization
from tracker.services.diagnose import aggregates
from tracker.services.diagnose.scores import ScoredAssessment
from tracker.services.frame import frameworks


@dataclass(frozen=True)
class AxisRadar:
    """What a radar chart draws: the axis names and one named value list per series."""

    names: list[str]
    series: list[tuple[str, list[float | None]]]
    previous: Assessment | None


def previous_assessment(org: Organization, current: Assessment, framework: Framework
                        ) -> tuple[Assessment | None, AssessmentScores | None]:
    """The closed assessment of `framework` (`current`'s, already loaded) just before
    `current`, with its scores (for an open assessment: the latest closed one); one query
    for it, three for its scores, however many assessments are closed."""
    query = select(Assessment).where(
        Assessment.org_id == org.id, Assessment.framework_id == current.framework_id,
        Assessment.status == "closed", Assessment.id != current.id)
    if current.closed_at is not None:
        query = query.where((Assessment.closed_at < current.closed_at)
                            | Assessment.closed_at.is_(None))
    previous = db.session.scalar(query.order_by(Assessment.closed_at.desc().nulls_last(),
                                                Assessment.id.desc()).limit(1))
    if previous is None:
        return None, None
    groups = aggregates.cached_stats(org, previous.id, framework, "source").get(previous.id, {})
    return previous, aggregates.scores_of(frameworks.axis_specs(framework), groups,
                                          framework.source_weights)


def axis_radar(org: Organization, scored: ScoredAssessment) -> AxisRadar:
    """The series of the assessment's radar: `Current`, then `Target` when a target is set
    on some axis, then `Previous: <title>` when an earlier closed assessment exists."""
    axes = scored.scores.axes
    series: list[tuple[str, list[float | None]]] = [(_("Current"), [a.score for a in axes])]
    target = axis_targets(scored.axes, scored.targets)
    if any(value is not None for value in target.values()):
        series.append((_("Target"), [target[a.code] for a in axes]))
    previous, previous_scores = previous_assessment(org, scored.assessment, scored.framework)
    if previous is not None and previous_scores is not None:
        by_code = {a.code: a.score for a in previous_scores.axes}
        series.append((_("Previous: %(title)s", title=previous.title),
                       [by_code.get(a.code) for a in axes]))
    return AxisRadar([a.name for a in axes], series, previous)
