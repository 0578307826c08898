"""Perception gaps and blind spots of an assessment, with the organization's anonymity rule."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker.domain.constants import BLIND_SPOT_GAP
from tracker.domain.perception import DimensionGap, LeaderGap, at_least, leader_gaps
from tracker.domain.perception import perception_gaps as gaps_by
from tracker.domain.scoring import RatingPoint
from tracker.models import Organization
from tracker.services.diagnose.scores import rating_points
from tracker.services.frame import frameworks
from tracker.services.observe import assessments

LEADER_LEVEL = "leader"


def _grid_points(org: Organization, assessment_id: int) -> tuple[list[str], list[RatingPoint]]:
    assessment = assessments.get_assessment(org, assessment_id)
    framework = frameworks.load_framework(assessment.framework_id)
    return list(frameworks.dimensions_by_code(framework)), rating_points(assessment,
                                                                                  framework)


def dimension_gaps(org: Organization, points: Sequence[RatingPoint], by: str,
                   codes: Sequence[str]) -> list[DimensionGap]:
    """Perception gaps by `by` with the organization's `min_group_size` and threshold."""
    return gaps_by(points, by, org.min_group_size, org.perception_gap_threshold, codes)


def dimension_leader_gaps(org: Organization, points: Sequence[RatingPoint],
                          codes: Sequence[str]) -> dict[str, LeaderGap]:
    """Leaders against the others per dimension, with the organization's `min_group_size`."""
    return leader_gaps(points, LEADER_LEVEL, org.min_group_size, codes)


def perception(org: Organization, assessment_id: int, by: str) -> dict[str, Any]:
    """Per dimension, the mean of each group of respondents sharing `by`, the gap and its flag.

    Groups below `min_group_size` are never shown; only their count (`hidden_groups`) is.
    """
    codes, points = _grid_points(org, assessment_id)
    return {"by": by, "min_group_size": org.min_group_size,
            "threshold": org.perception_gap_threshold,
            "dimensions": dimension_gaps(org, points, by, codes)}


def blind_spots(org: Organization, assessment_id: int) -> dict[str, Any]:
    """Per dimension, leaders' mean against everyone else's; a blind spot when leaders rate
    it at least `BLIND_SPOT_GAP` higher (both groups subject to `min_group_size`)."""
    codes, points = _grid_points(org, assessment_id)
    gaps = dimension_leader_gaps(org, points, codes)
    return {"leader_level": LEADER_LEVEL, "min_group_size": org.min_group_size,
            "threshold": BLIND_SPOT_GAP,
            "dimensions": [{"dimension": code, **_leader_fields(gap)}
                           for code, gap in gaps.items()]}


def _leader_fields(gap: LeaderGap) -> dict[str, Any]:
    return {"leaders_mean": gap.leaders_mean, "others_mean": gap.others_mean,
            "difference": gap.difference, "n_leaders": gap.n_leaders,
            "n_others": gap.n_others,
            "blind_spot": gap.difference is not None and at_least(gap.difference,
                                                                   BLIND_SPOT_GAP)}


