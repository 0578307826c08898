"""Suggested findings: strengths, gaps, tensions and blind spots proposed by the rules of
DESIGN section 3, each with the numbers that triggered it.

One suggestion per kind and dimension, with a stable `key` (`"<kind>:<dimension code>"`):
the service stores the keys it has turned into findings or seen dismissed, so suggesting
twice never duplicates and a dismissed suggestion stays dismissed. A tension may have
several triggers (dispersion, a flagged perception gap by role, team, level or source, a
source spread); they share one suggestion and are all listed in its metrics.

Metrics hold plain JSON values (numbers, strings, lists, dicts), never rounded. No text
is written here: each suggestion carries the `facts` that triggered it (a trigger name and
its numbers), and the service writes the title and description in the organization's
language when it stores the suggestion (DESIGN section 9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tracker.domain.frame.targets import target_gap
from tracker.domain.perception import DimensionGap, LeaderGap, at_least
from tracker.domain.scoring import AssessmentScores, DimensionScore

KINDS: tuple[str, ...] = ("strength", "gap", "tension", "blind_spot")


@dataclass(frozen=True, slots=True)
class Fact:
    """One reason a rule fired, to be told in words: its trigger (`score`,
    `target_reached`, `target_gap`, `dispersion`, `source_spread`, `perception`,
    `leaders_higher`) and the numbers (or group names) a sentence shows."""

    trigger: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SuggestedFinding:
    """A finding proposed by the rules, for people to accept, edit or dismiss: what it is
    about and the facts that triggered it, in the order a title tells them."""

    kind: str
    dimension: str
    key: str
    facts: tuple[Fact, ...] = ()
    metrics: dict[str, Any] = field(default_factory=dict)


def finding_key(kind: str, dimension: str) -> str:
    """The stable identity of a suggestion.

    >>> finding_key("gap", "practices.discovery")
    'gap:practices.discovery'
    """
    return f"{kind}:{dimension}"


def _strength(dim: DimensionScore, target: float | None,
              strength_score: float) -> SuggestedFinding | None:
    if dim.score is None:
        return None
    high = at_least(dim.score, strength_score)
    reached = target is not None and at_least(dim.score, target)
    if not (high or reached):
        return None
    triggers = [t for t, hit in (("score", high), ("target_reached", reached)) if hit]
    metrics = {"score": dim.score, "target": target, "n": dim.n, "stdev": dim.stdev,
               "triggers": triggers}
    fact = Fact(triggers[0], {"score": dim.score, "target": target, "n": dim.n})
    return SuggestedFinding("strength", dim.code, finding_key("strength", dim.code), (fact,),
                            metrics)


def _gap(dim: DimensionScore, target: float | None,
         gap_threshold: float) -> SuggestedFinding | None:
    gap = target_gap(dim.score, target)
    if gap is None or target is None or dim.score is None or not at_least(gap, gap_threshold):
        return None
    metrics = {"score": dim.score, "target": target, "target_gap": gap, "n": dim.n}
    fact = Fact("target_gap", dict(metrics))
    return SuggestedFinding("gap", dim.code, finding_key("gap", dim.code), (fact,), metrics)


def _perception_metrics(gap: DimensionGap) -> dict[str, Any]:
    return {"gap": gap.gap, "hidden_groups": gap.hidden_groups,
            "groups": [{"name": g.name, "mean": g.mean, "n": g.n} for g in gap.groups]}


def _perception_fact(by: str, gap: DimensionGap) -> Fact:
    """The groups of `by` that disagree most: the highest and the lowest mean."""
    low, high = gap.groups[0], gap.groups[0]
    for group in gap.groups:
        low = group if group.mean < low.mean else low
        high = group if group.mean > high.mean else high
    return Fact("perception", {"by": by, "high": high.name, "high_mean": high.mean,
                               "low": low.name, "low_mean": low.mean})


def _tension(dim: DimensionScore, gaps: Mapping[str, DimensionGap], tension_stdev: float,
             source_spread_threshold: float) -> SuggestedFinding | None:
    facts: list[Fact] = []
    metrics: dict[str, Any] = {"score": dim.score, "stdev": dim.stdev, "n": dim.n,
                               "triggers": []}
    if dim.stdev is not None and at_least(dim.stdev, tension_stdev):
        metrics["triggers"].append("dispersion")
        facts.append(Fact("dispersion", {"stdev": dim.stdev, "n": dim.n}))
    if dim.source_spread is not None and at_least(dim.source_spread, source_spread_threshold):
        metrics["triggers"].append("source_spread")
        metrics["source_spread"] = dim.source_spread
        metrics["source_means"] = dict(dim.source_means)
        facts.append(Fact("source_spread", {"spread": dim.source_spread}))
    flagged = {by: gap for by, gap in gaps.items() if gap.flagged and gap.gap is not None}
    if flagged:
        metrics["perception"] = {by: _perception_metrics(gap) for by, gap in flagged.items()}
    for by, gap in flagged.items():
        metrics["triggers"].append(f"perception:{by}")
        if by == "source" and "source_spread" in metrics["triggers"]:
            continue  # the same disagreement, already told
        facts.append(_perception_fact(by, gap))
    if not facts:
        return None
    return SuggestedFinding("tension", dim.code, finding_key("tension", dim.code),
                            tuple(facts), metrics)


def _blind_spot(dim: DimensionScore, leader: LeaderGap | None,
                blind_spot_gap: float) -> SuggestedFinding | None:
    if leader is None or leader.difference is None or not at_least(leader.difference,
                                                                     blind_spot_gap):
        return None
    assert leader.leaders_mean is not None and leader.others_mean is not None
    metrics = {"leaders_mean": leader.leaders_mean, "others_mean": leader.others_mean,
               "difference": leader.difference, "n_leaders": leader.n_leaders,
               "n_others": leader.n_others, "score": dim.score}
    fact = Fact("leaders_higher", dict(metrics))
    return SuggestedFinding("blind_spot", dim.code, finding_key("blind_spot", dim.code),
                            (fact,), metrics)


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
    ...     print(s.key, "|", [(f.trigger, f.values["score"]) for f in s.facts])
    strength:p.rituals | [('score', 4.25)]
    gap:p.discovery | [('target_gap', 2.5)]
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
