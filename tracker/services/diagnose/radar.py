"""The radar of an assessment's axis scores: current, target and previous assessment.

The issue asks the same radar on the dashboard and in the report, so its series are
computed here once: the assessment's axis scores, the organization's axis targets (when
any is set) and the axis scores of the closed assessment of the same framework just
before it (when there is one).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from tracker.domain.frame.targets import axis_targets
from tracker.domain.scoring import AssessmentScores
from tracker.models import Assessment, Organization
from tracker.services.diagnose.scores import ScoredAssessment
from tracker.services.follow import barometer


@dataclass(frozen=True)
class AxisRadar:
    """What a radar chart draws: the axis names and one named value list per series."""

    names: list[str]
    series: list[tuple[str, list[float | None]]]
    previous: Assessment | None


def previous_assessment(org: Organization, current: Assessment
                        ) -> tuple[Assessment | None, AssessmentScores | None]:
    """The closed assessment of the same framework just before `current`, with its scores
    (for an open assessment: the latest closed one)."""
    series = barometer.load_series(org, current.framework_id)
    if series is None:
        return None, None
    earlier = [(a, s) for a, s in zip(series.assessments, series.scores, strict=True)
               if a.id != current.id and (current.closed_at is None or a.closed_at is None
                                          or a.closed_at < current.closed_at)]
    return earlier[-1] if earlier else (None, None)


def axis_radar(org: Organization, scored: ScoredAssessment) -> AxisRadar:
    """The series of the assessment's radar: `Current`, then `Target` when a target is set
    on some axis, then `Previous: <title>` when an earlier closed assessment exists."""
    axes = scored.scores.axes
    series: list[tuple[str, list[float | None]]] = [(_("Current"), [a.score for a in axes])]
    target = axis_targets(scored.axes, scored.targets)
    if any(value is not None for value in target.values()):
        series.append((_("Target"), [target[a.code] for a in axes]))
    previous, previous_scores = previous_assessment(org, scored.assessment)
    if previous is not None and previous_scores is not None:
        by_code = {a.code: a.score for a in previous_scores.axes}
        series.append((_("Previous: %(title)s", title=previous.title),
                       [by_code.get(a.code) for a in axes]))
    return AxisRadar([a.name for a in axes], series, previous)
