"""Perception gaps and blind spots of an assessment, with the organization's anonymity rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracker.domain.constants import BLIND_SPOT_GAP
from tracker.domain.errors import InvalidInput
from tracker.domain.perception import ATTRIBUTES, DimensionGap, LeaderGap, at_least
from tracker.models import Organization
from tracker.services import derived
from tracker.services.diagnose import aggregates
from tracker.services.diagnose.scores import ScoredAssessment
from tracker.services.frame import frameworks
from tracker.services.observe import assessments

LEADER_LEVEL = "leader"
#: The two views of a cross self-assessment.
PERSPECTIVES = ("consultant", "client")


@dataclass(frozen=True)
class Grid:
    """What the group reads need of an assessment: its id, its grid's dimension codes in
    order and the dimension ids behind them."""

    assessment_id: int
    codes: list[str]
    ids: dict[int, str]
    #: per dimension code, per tuple of the `ATTRIBUTES` values, when loaded at once
    stats: aggregates.Groups | None = None
    #: the organization whose derived state keeps `stats` and their foldings
    org: Organization | None = field(default=None, compare=False)


def grid_of(org: Organization, assessment_id: int) -> Grid:
    """The grid of an assessment of the organization (`NotFound` otherwise)."""
    assessment = assessments.get_assessment(org, assessment_id)
    framework = frameworks.load_framework(assessment.framework_id)
    ids = aggregates.dimension_codes(framework)
    return Grid(assessment.id, list(ids.values()), ids)


def grid_from(scored: ScoredAssessment) -> Grid:
    """The grid of an assessment already scored (no query)."""
    ids = aggregates.dimension_codes(scored.framework)
    return Grid(scored.assessment.id, list(ids.values()), ids)


def _checked(by: str, min_group_size: int) -> None:
    if by not in ATTRIBUTES:
        raise InvalidInput(f"Cannot group respondents by {by!r}",
                           errors={"by": [f"Must be one of: {', '.join(ATTRIBUTES)}."]})
    if min_group_size < 1:
        raise InvalidInput("min_group_size must be at least 1",
                           errors={"min_group_size": ["Must be at least 1."]})


def group_stats(grid: Grid, by: str) -> aggregates.Groups:
    """Per dimension code, per value of `by`, the stat of the non-null ratings (one GROUP
    BY, or none when the grid carries them: `with_attributes`, which also keeps each
    folding once per version of the organization's data; shared: never change them)."""
    if grid.stats is not None:
        stats = grid.stats
        if grid.org is None:
            return aggregates.folded(stats, ATTRIBUTES.index(by))
        return derived.cached(grid.org, "attribute stats by",
                              (grid.assessment_id, tuple(grid.ids.items()), by),
                              lambda: aggregates.folded(stats, ATTRIBUTES.index(by)))
    return dict(aggregates.rating_stats(grid.assessment_id, grid.ids, by)[grid.assessment_id])


def with_attributes(grid: Grid, org: Organization | None = None) -> Grid:
    """The grid with its ratings' stats per combination of every attribute, in ONE GROUP
    BY: a page that groups by several attributes reads them all from it. With `org`,
    computed once per version of its data (shared: never change them)."""
    def compute() -> aggregates.Groups:
        stats = aggregates.rating_stats(grid.assessment_id, grid.ids, *ATTRIBUTES)
        return {code: dict(cells) for code, cells in stats[grid.assessment_id].items()}

    found = compute() if org is None else derived.cached(
        org, "attribute stats", (grid.assessment_id, tuple(grid.ids.items())), compute)
    return Grid(grid.assessment_id, grid.codes, grid.ids, found, org)


def dimension_gaps(org: Organization, grid: Grid, by: str) -> list[DimensionGap]:
    """Perception gaps by `by` with the organization's `min_group_size` and threshold."""
    _checked(by, org.min_group_size)
    return aggregates.gaps_of(group_stats(grid, by), grid.codes, org.min_group_size,
                              org.perception_gap_threshold)


def dimension_leader_gaps(org: Organization, grid: Grid) -> dict[str, LeaderGap]:
    """Leaders against the others per dimension, with the organization's `min_group_size`."""
    _checked("level", org.min_group_size)
    return aggregates.leader_gaps_of(group_stats(grid, "level"), grid.codes, LEADER_LEVEL,
                                     org.min_group_size)


def perception(org: Organization, assessment_id: int, by: str) -> dict[str, Any]:
    """Per dimension, the mean of each group of respondents sharing `by`, the gap and its flag.

    Groups below `min_group_size` are never shown; only their count (`hidden_groups`) is.
    """
    return {"by": by, "min_group_size": org.min_group_size,
            "threshold": org.perception_gap_threshold,
            "dimensions": dimension_gaps(org, grid_of(org, assessment_id), by)}


def blind_spots(org: Organization, assessment_id: int,
                grid: Grid | None = None) -> dict[str, Any]:
    """Per dimension, leaders' mean against everyone else's; a blind spot when leaders rate
    it at least `BLIND_SPOT_GAP` higher (both groups subject to `min_group_size`)."""
    gaps = dimension_leader_gaps(org, grid or grid_of(org, assessment_id))
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
                     grid: Grid | None = None) -> dict[str, Any]:
    """The cross self-assessment: per dimension, the mean rating of respondents of
    perspective `consultant` and of `client`, and `gap = consultant − client` (DESIGN
    section 3, perception gap by `perspective`), flagged when `|gap| ≥` the organization's
    threshold. A group with fewer than `min_group_size` respondents rating the dimension
    is not shown (its mean is null, its size `n` still given); the gap needs both.
    `respondents` counts each perspective's respondents; `has_perspectives` is false when
    no respondent carries either (the pages then say how to start one). `grid` is the
    assessment's grid when the caller has it. Two GROUP BYs, whatever the number of
    ratings."""
    grid = grid or grid_of(org, assessment_id)
    _checked("perspective", org.min_group_size)
    stats = group_stats(grid, "perspective")
    gaps = {gap.dimension: gap for gap in aggregates.gaps_of(
        stats, grid.codes, org.min_group_size, org.perception_gap_threshold)}
    counted = derived.cached(org, "respondents by", (grid.assessment_id, "perspective"),
                             lambda: aggregates.respondents_by(grid.assessment_id,
                                                               "perspective"))
    people = {side: counted.get(side, 0) for side in PERSPECTIVES}
    rows = []
    for code in grid.codes:
        sizes = stats.get(code, {})
        means = {g.name: g.mean for g in gaps[code].groups} if code in gaps else {}
        consultant, client = means.get("consultant"), means.get("client")
        gap = None if consultant is None or client is None else consultant - client
        rows.append({"dimension": code, "consultant_mean": consultant, "client_mean": client,
                     "n_consultant": sizes["consultant"].n if "consultant" in sizes else 0,
                     "n_client": sizes["client"].n if "client" in sizes else 0, "gap": gap,
                     "flagged": gap is not None
                     and at_least(abs(gap), org.perception_gap_threshold)})
    return {"min_group_size": org.min_group_size, "threshold": org.perception_gap_threshold,
            "respondents": people,
            "has_perspectives": any(people.values()), "dimensions": rows}
