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
#: The two views of a cross self-assessment.
PERSPECTIVES = ("consultant", "client")


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




def cross_assessment(org: Organization, assessment_id: int,
                     grid: tuple[Sequence[str], Sequence[RatingPoint]] | None = None
                     ) -> dict[str, Any]:
    """The cross self-assessment: per dimension, the mean rating of respondents of
    perspective `consultant` and of `client`, and `gap = consultant − client` (DESIGN
    section 3, perception gap by `perspective`), flagged when `|gap| ≥` the organization's
    threshold. A group with fewer than `min_group_size` respondents rating the dimension
    is not shown (its mean is null, its size `n` still given); the gap needs both.
    `respondents` counts each perspective's respondents; `has_perspectives` is false when
    no respondent carries either (the pages then say how to start one). `grid` is the
    grid's dimension codes and the assessment's rating points when the caller has them."""
    codes, points = grid if grid is not None else _grid_points(org, assessment_id)
    gaps = {gap.dimension: gap for gap in dimension_gaps(org, points, "perspective", codes)}
    sizes: dict[tuple[str, str], set[int]] = {}
    people: dict[str, set[int]] = {side: set() for side in PERSPECTIVES}
    for point in points:
        if point.perspective in PERSPECTIVES:
            people[point.perspective].add(point.respondent_id)
            if point.value is not None:
                sizes.setdefault((point.dimension, point.perspective), set()).add(
                    point.respondent_id)
    rows = []
    for code in codes:
        means = {g.name: g.mean for g in gaps[code].groups} if code in gaps else {}
        consultant, client = means.get("consultant"), means.get("client")
        gap = None if consultant is None or client is None else consultant - client
        rows.append({"dimension": code, "consultant_mean": consultant, "client_mean": client,
                     "n_consultant": len(sizes.get((code, "consultant"), ())),
                     "n_client": len(sizes.get((code, "client"), ())), "gap": gap,
                     "flagged": gap is not None
                     and at_least(abs(gap), org.perception_gap_threshold)})
    return {"min_group_size": org.min_group_size, "threshold": org.perception_gap_threshold,
            "respondents": {side: len(ids) for side, ids in people.items()},
            "has_perspectives": any(people.values()), "dimensions": rows}
