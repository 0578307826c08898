"""Suggested findings: strengths, gaps, tensions and blind spots proposed by the rules of
DESIGN section 3, each with the numbers that triggered it.

One suggestion per kind and dimension, with a stable `key` (`"<kind>:<dimension code>"`):
the service stores the keys it has turned into findings or seen dismissed, so suggesting
twice never duplicates and a dismissed suggestion stays dismissed. A tension may have
several triggers (dispersion, a flagged perception gap by role, team, level or source, a
source spread); they share one suggestion and are all listed in its metrics.

Metrics hold plain JSON values (numbers, strings, lists, dicts), never rounded; titles
show two decimals at most.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tracker.domain.perception import DimensionGap, LeaderGap, at_least
from tracker.domain.scoring import AssessmentScores, DimensionScore
from tracker.domain.targets import target_gap

KINDS: tuple[str, ...] = ("strength", "gap", "tension", "blind_spot")


@dataclass(frozen=True, slots=True)
class SuggestedFinding:
    """A finding proposed by the rules, for people to accept, edit or dismiss."""

    kind: str
    dimension: str
    key: str
    title: str
    metrics: dict[str, Any] = field(default_factory=dict)


def finding_key(kind: str, dimension: str) -> str:
    """The stable identity of a suggestion.

    >>> finding_key("gap", "practices.discovery")
    'gap:practices.discovery'
    """
    return f"{kind}:{dimension}"


def _fmt(value: float) -> str:
    """A number for a title: at most two decimals, no trailing zeros.

    >>> _fmt(4.0), _fmt(1.25), _fmt(2.0 / 3)
    ('4', '1.25', '0.67')
    """
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _strength(dim: DimensionScore, target: float | None,
              strength_score: float) -> SuggestedFinding | None:
    if dim.score is None:
        return None
    high = at_least(dim.score, strength_score)
    reached = target is not None and at_least(dim.score, target)
    if not (high or reached):
        return None
    title = f"Strength: {dim.name} scores {_fmt(dim.score)}"
    if target is not None:
        title += f" (target {_fmt(target)})"
    metrics = {"score": dim.score, "target": target, "n": dim.n, "stdev": dim.stdev,
               "triggers": [t for t, hit in (("score", high), ("target_reached", reached))
                            if hit]}
    return SuggestedFinding("strength", dim.code, finding_key("strength", dim.code), title,
                            metrics)


def _gap(dim: DimensionScore, target: float | None,
         gap_threshold: float) -> SuggestedFinding | None:
    gap = target_gap(dim.score, target)
    if gap is None or target is None or dim.score is None or not at_least(gap, gap_threshold):
        return None
    title = (f"Gap: {dim.name} is {_fmt(gap)} below its target "
             f"({_fmt(dim.score)} for a target of {_fmt(target)})")
    metrics = {"score": dim.score, "target": target, "target_gap": gap, "n": dim.n}
    return SuggestedFinding("gap", dim.code, finding_key("gap", dim.code), title, metrics)


def _perception_metrics(gap: DimensionGap) -> dict[str, Any]:
    return {"gap": gap.gap, "hidden_groups": gap.hidden_groups,
            "groups": [{"name": g.name, "mean": g.mean, "n": g.n} for g in gap.groups]}


def _tension(dim: DimensionScore, gaps: Mapping[str, DimensionGap], tension_stdev: float,
             source_spread_threshold: float) -> SuggestedFinding | None:
    reasons: list[str] = []
    metrics: dict[str, Any] = {"score": dim.score, "stdev": dim.stdev, "n": dim.n,
                               "triggers": []}
    if dim.stdev is not None and at_least(dim.stdev, tension_stdev):
        metrics["triggers"].append("dispersion")
        reasons.append(f"ratings are dispersed (stdev {_fmt(dim.stdev)}, n={dim.n})")
    if dim.source_spread is not None and at_least(dim.source_spread, source_spread_threshold):
        metrics["triggers"].append("source_spread")
        metrics["source_spread"] = dim.source_spread
        metrics["source_means"] = dict(dim.source_means)
        reasons.append(f"sources disagree (spread {_fmt(dim.source_spread)})")
    flagged = {by: gap for by, gap in gaps.items() if gap.flagged and gap.gap is not None}
    if flagged:
        metrics["perception"] = {by: _perception_metrics(gap) for by, gap in flagged.items()}
    for by, gap in flagged.items():
        metrics["triggers"].append(f"perception:{by}")
        if by == "source" and "source_spread" in metrics["triggers"]:
            continue  # the same disagreement, already told
        low, high = gap.groups[0], gap.groups[0]
        for group in gap.groups:
            low = group if group.mean < low.mean else low
            high = group if group.mean > high.mean else high
        reasons.append(f"{by} groups disagree ({high.name} {_fmt(high.mean)}, "
                       f"{low.name} {_fmt(low.mean)})")
    if not reasons:
        return None
    title = f"Tension on {dim.name}: " + "; ".join(reasons)
    return SuggestedFinding("tension", dim.code, finding_key("tension", dim.code), title,
                            metrics)


def _blind_spot(dim: DimensionScore, leader: LeaderGap | None,
                blind_spot_gap: float) -> SuggestedFinding | None:
    if leader is None or leader.difference is None or not at_least(leader.difference,
                                                                     blind_spot_gap):
        return None
    assert leader.leaders_mean is not None and leader.others_mean is not None
    title = (f"Blind spot on {dim.name}: leaders rate it {_fmt(leader.difference)} higher "
             f"than the others ({_fmt(leader.leaders_mean)} against "
             f"{_fmt(leader.others_mean)})")
    metrics = {"leaders_mean": leader.leaders_mean, "others_mean": leader.others_mean,
               "difference": leader.difference, "n_leaders": leader.n_leaders,
               "n_others": leader.n_others, "score": dim.score}
    return SuggestedFinding("blind_spot", dim.code, finding_key("blind_spot", dim.code),
                            title, metrics)


def suggest_findings(scores: AssessmentScores, targets: Mapping[str, float | None],
                     perception: Mapping[str, Sequence[DimensionGap]],
                     leader_gaps: Mapping[str, LeaderGap], *,
                     tension_stdev: float = 1.0, blind_spot_gap: float = 1.0,
                     source_spread_threshold: float = 1.0, strength_score: float = 4.0,
                     gap_threshold: float = 1.0) -> list[SuggestedFinding]:
    """Findings suggested by the rules, by kind (strength, gap, tension, blind spot), then
    in grid order.

    - `strength`: score ≥ `strength_score` (4) or score ≥ its target;
    - `gap`: target gap ≥ `gap_threshold` (1);
    - `tension`: dispersion (stdev) ≥ `tension_stdev`, or a flagged perception gap by any
      attribute in `perception` (by `source`: the sources disagree), or a source spread
      (triangulation, `DimensionScore.source_spread`) ≥ `source_spread_threshold`;
    - `blind_spot`: leaders rate ≥ `blind_spot_gap` higher than the others.

    Parameters
    ----------
    scores : the assessment's scores
    targets : target level by dimension code
    perception : `perception_gaps` results by attribute (`{"role": [...], "source": [...]}`);
        their `flagged` decides (the threshold was applied there)
    leader_gaps : `leader_gaps` results by dimension code

    Examples
    --------
    >>> from tracker.domain.scoring import AxisScore
    >>> dims = (DimensionScore("p.discovery", "Discovery", 2.5, 4, 0.5),
    ...         DimensionScore("p.rituals", "Rituals", 4.25, 4, 0.4))
    >>> scores = AssessmentScores(3.375, (AxisScore("p", "Practices", 3.375, dims),))
    >>> for s in suggest_findings(scores, {"p.discovery": 4}, {}, {}):
    ...     print(s.key, "|", s.title)
    strength:p.rituals | Strength: Rituals scores 4.25
    gap:p.discovery | Gap: Discovery is 1.5 below its target (2.5 for a target of 4)
    """
    gaps_of: dict[str, dict[str, DimensionGap]] = {}
    for by, gaps in perception.items():
        for gap in gaps:
            gaps_of.setdefault(gap.dimension, {})[by] = gap
    dims = [dim for axis in scores.axes for dim in axis.dimensions]
    found: dict[str, list[SuggestedFinding]] = {kind: [] for kind in KINDS}
    for dim in dims:
        target = targets.get(dim.code)
        for suggestion in (
                _strength(dim, target, strength_score),
                _gap(dim, target, gap_threshold),
                _tension(dim, gaps_of.get(dim.code, {}), tension_stdev,
                         source_spread_threshold),
                _blind_spot(dim, leader_gaps.get(dim.code), blind_spot_gap)):
            if suggestion is not None:
                found[suggestion.kind].append(suggestion)
    return [s for kind in KINDS for s in found[kind]]
