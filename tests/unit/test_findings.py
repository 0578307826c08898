"""Suggested findings: strength, gap, tension (dispersion, perception, source disagreement)
and blind spot, by the rules of DESIGN section 3."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.findings import Fact, SuggestedFinding, finding_key, suggest_findings
from tracker.domain.perception import leader_gaps, perception_gaps
from tracker.domain.scoring import (
    AssessmentScores,
    AxisScore,
    AxisSpec,
    DimensionScore,
    DimensionSpec,
    RatingPoint,
    score_assessment,
)


def dim(code: str = "p.discovery", score: float | None = 3.0, n: int = 5,
        stdev: float | None = 0.5, name: str | None = None, **extra) -> DimensionScore:
    """A dimension score with overridable defaults."""
    return DimensionScore(code, name or code.split(".")[-1].capitalize(), score, n, stdev,
                          **extra)


def scores_of(*dims: DimensionScore) -> AssessmentScores:
    return AssessmentScores(None, (AxisScore("p", "Practices", None, dims),))


def suggest(*dims: DimensionScore, targets=None, perception=None, leaders=None, **options):
    return suggest_findings(scores_of(*dims), targets or {}, perception or {}, leaders or {},
                            **options)


def kinds(suggestions: list[SuggestedFinding]) -> list[tuple[str, str]]:
    return [(s.kind, s.dimension) for s in suggestions]


# --- strength ---------------------------------------------------------------------------

def test_a_score_of_four_is_a_strength():
    [strength] = suggest(dim(score=4.0))

    assert strength.kind == "strength"
    assert strength.key == "strength:p.discovery"
    assert strength.metrics["score"] == 4.0
    assert strength.facts == (Fact("score", {"score": 4.0, "target": None, "n": 5}),)


def test_a_score_reaching_its_target_is_a_strength():
    [strength] = suggest(dim(score=3.0), targets={"p.discovery": 3})

    assert strength.kind == "strength"
    assert strength.metrics["target"] == 3
    assert strength.metrics["triggers"] == ["target_reached"]


def test_a_middling_score_below_its_target_is_no_strength():
    assert suggest(dim(score=3.5), targets={"p.discovery": 4}) == []
    assert suggest(dim(score=None)) == []


def test_the_strength_level_is_a_setting():
    assert kinds(suggest(dim(score=2.5), strength_score=2.5)) == [("strength", "p.discovery")]


# --- gap --------------------------------------------------------------------------------

def test_a_target_gap_of_one_is_a_gap():
    [gap] = suggest(dim(score=2.0), targets={"p.discovery": 3})

    assert gap.kind == "gap"
    assert gap.key == "gap:p.discovery"
    assert gap.metrics == {"score": 2.0, "target": 3, "target_gap": 1.0, "n": 5}
    assert gap.facts == (Fact("target_gap", gap.metrics),)


def test_a_target_gap_below_one_is_no_gap():
    assert suggest(dim(score=2.1), targets={"p.discovery": 3}) == []


def test_no_target_or_no_score_means_no_gap():
    assert suggest(dim(score=1.0)) == []
    assert suggest(dim(score=None), targets={"p.discovery": 5}) == []


# --- tension ----------------------------------------------------------------------------

def test_dispersion_of_one_is_a_tension():
    # ratings 1, 3 -> population stdev 1.0
    axes = [AxisSpec("p", "Practices", 1, (DimensionSpec("p.discovery", "Discovery", "p"),))]
    scores = score_assessment(axes, [RatingPoint(1, "p.discovery", 1),
                                     RatingPoint(2, "p.discovery", 3)])

    [tension] = suggest_findings(scores, {}, {}, {})

    assert tension.kind == "tension"
    assert tension.key == "tension:p.discovery"
    assert tension.metrics["stdev"] == 1.0
    assert tension.metrics["n"] == 2
    assert tension.metrics["triggers"] == ["dispersion"]
    assert tension.facts == (Fact("dispersion", {"stdev": 1.0, "n": 2}),)


def test_dispersion_below_the_setting_is_no_tension():
    assert suggest(dim(stdev=0.99)) == []
    assert suggest(dim(stdev=1.2), tension_stdev=1.5) == []


def test_a_flagged_perception_gap_by_role_is_a_tension():
    points = ([RatingPoint(i, "p.discovery", 4, role="pm") for i in range(3)]
              + [RatingPoint(10 + i, "p.discovery", 2, role="eng") for i in range(3)]
              + [RatingPoint(20, "p.discovery", 1, role="designer")])
    perception = {"role": perception_gaps(points, "role")}

    [tension] = suggest(dim(stdev=0.5), perception=perception)

    assert tension.metrics["triggers"] == ["perception:role"]
    assert tension.metrics["perception"]["role"] == {
        "gap": 2.0, "hidden_groups": 1,
        "groups": [{"name": "eng", "mean": 2.0, "n": 3}, {"name": "pm", "mean": 4.0, "n": 3}]}
    assert "designer" not in json.dumps(tension.metrics) + repr(tension.facts)
    assert tension.facts == (Fact("perception", {"by": "role", "high": "pm", "high_mean": 4.0,
                                                 "low": "eng", "low_mean": 2.0}),)


def test_an_unflagged_perception_gap_is_no_tension():
    points = ([RatingPoint(i, "p.discovery", 3, role="pm") for i in range(3)]
              + [RatingPoint(10 + i, "p.discovery", 2.5, role="eng") for i in range(3)])

    assert suggest(dim(), perception={"role": perception_gaps(points, "role")}) == []


def test_sources_that_disagree_are_a_tension():
    points = ([RatingPoint(i, "p.discovery", 4, source="interview") for i in range(3)]
              + [RatingPoint(10 + i, "p.discovery", 2.5, source="survey") for i in range(3)])
    perception = {"source": perception_gaps(points, "source")}

    [tension] = suggest(dim(), perception=perception)

    assert tension.metrics["triggers"] == ["perception:source"]
    assert tension.metrics["perception"]["source"]["gap"] == 1.5
    assert [(f.trigger, f.values["by"]) for f in tension.facts] == [("perception", "source")]


def test_a_source_spread_from_triangulation_is_a_tension():
    spread = dim(source_means={"interview": 4.0, "document": 2.0}, source_spread=2.0)

    [tension] = suggest(spread)

    assert tension.metrics["triggers"] == ["source_spread"]
    assert tension.metrics["source_spread"] == 2.0
    assert tension.metrics["source_means"] == {"interview": 4.0, "document": 2.0}
    assert tension.facts == (Fact("source_spread", {"spread": 2.0}),)


def test_the_source_spread_threshold_is_a_setting():
    spread = dim(source_means={"interview": 4.0, "document": 2.0}, source_spread=2.0)

    assert suggest(spread, source_spread_threshold=2.5) == []


def test_several_triggers_make_one_tension():
    points = ([RatingPoint(i, "p.discovery", 5, team="a") for i in range(3)]
              + [RatingPoint(10 + i, "p.discovery", 1, team="b") for i in range(3)])

    suggestions = suggest(dim(stdev=2.0), perception={"team": perception_gaps(points, "team")})

    assert kinds(suggestions) == [("tension", "p.discovery")]
    assert suggestions[0].metrics["triggers"] == ["dispersion", "perception:team"]
    assert [f.trigger for f in suggestions[0].facts] == ["dispersion", "perception"]


# --- blind spot -------------------------------------------------------------------------

def blind_spot_points(leaders: list[float], others: list[float]) -> list[RatingPoint]:
    return ([RatingPoint(i, "p.discovery", v, level="leader") for i, v in enumerate(leaders)]
            + [RatingPoint(100 + i, "p.discovery", v, level="team")
               for i, v in enumerate(others)])


def test_leaders_rating_one_point_higher_is_a_blind_spot():
    # leaders (4 + 4 + 5) / 3 = 13/3; others (3 + 3 + 4 + 3) / 4 = 3.25 -> 13/3 - 3.25 = 1.083
    gaps = leader_gaps(blind_spot_points([4, 4, 5], [3, 3, 4, 3]))

    [blind] = suggest(dim(), leaders=gaps)

    assert blind.kind == "blind_spot"
    assert blind.key == "blind_spot:p.discovery"
    assert blind.metrics["leaders_mean"] == pytest.approx(13 / 3)
    assert blind.metrics["others_mean"] == 3.25
    assert blind.metrics["difference"] == pytest.approx(13 / 3 - 3.25)
    assert (blind.metrics["n_leaders"], blind.metrics["n_others"]) == (3, 4)
    assert blind.facts == (Fact("leaders_higher", blind.metrics),)


def test_leaders_rating_lower_or_slightly_higher_is_no_blind_spot():
    assert suggest(dim(), leaders=leader_gaps(blind_spot_points([3, 3, 3], [4, 4, 4]))) == []
    assert suggest(dim(), leaders=leader_gaps(blind_spot_points([4, 4, 4], [3.5] * 3))) == []


def test_too_few_leaders_make_no_blind_spot():
    assert suggest(dim(), leaders=leader_gaps(blind_spot_points([5, 5], [1, 1, 1]))) == []


def test_the_blind_spot_gap_is_a_setting():
    gaps = leader_gaps(blind_spot_points([5, 5, 5], [3, 3, 3]))

    assert suggest(dim(), leaders=gaps, blind_spot_gap=2.5) == []


# --- the whole suggestion ---------------------------------------------------------------

def diagnostic() -> list[SuggestedFinding]:
    """Four dimensions, one of each kind of finding (scores, targets and groups by hand)."""
    axes = [AxisSpec("p", "Practices", 1, (
        DimensionSpec("p.rituals", "Rituals", "p"),
        DimensionSpec("p.discovery", "Discovery", "p"),
        DimensionSpec("p.quality", "Quality", "p"),
        DimensionSpec("p.measure", "Measure", "p")))]
    points = []
    for i in range(6):
        level = "leader" if i < 3 else "team"
        points += [RatingPoint(i, "p.rituals", 4 + (i % 2) * 0.5, level=level),  # 4.25
                   RatingPoint(i, "p.discovery", 2, level=level),               # gap to 4
                   RatingPoint(i, "p.quality", [1, 3][i % 2], level=level),     # stdev 1
                   RatingPoint(i, "p.measure", 4 if level == "leader" else 2.5, level=level)]
    scores = score_assessment(axes, points)
    return suggest_findings(scores, {"p.discovery": 4, "p.measure": 3.5},
                            {"level": perception_gaps(points, "level")},
                            leader_gaps(points))


def test_suggestions_come_by_kind_then_in_grid_order():
    assert kinds(diagnostic()) == [("strength", "p.rituals"), ("gap", "p.discovery"),
                                   ("tension", "p.quality"), ("tension", "p.measure"),
                                   ("blind_spot", "p.measure")]


def test_suggesting_twice_gives_the_same_keys():
    assert [s.key for s in diagnostic()] == [s.key for s in diagnostic()]
    assert len({s.key for s in diagnostic()}) == len(diagnostic())


def test_dismissed_keys_can_be_filtered_out():
    dismissed = {finding_key("gap", "p.discovery")}

    assert "gap:p.discovery" not in [s.key for s in diagnostic() if s.key not in dismissed]


def test_metrics_are_plain_json():
    for suggestion in diagnostic():
        assert json.loads(json.dumps(suggestion.metrics)) == suggestion.metrics


# --- properties -------------------------------------------------------------------------

scores_st = st.one_of(st.none(), st.floats(min_value=1, max_value=5))
stdevs = st.one_of(st.none(), st.floats(min_value=0, max_value=2))
targets_st = st.one_of(st.none(), st.integers(min_value=1, max_value=5))


@given(st.lists(st.tuples(scores_st, stdevs, targets_st), min_size=1, max_size=8))
def test_every_suggestion_meets_its_rule_and_keys_are_unique(rows):
    dims = [dim(f"p.d{i}", score=s, stdev=sd) for i, (s, sd, _) in enumerate(rows)]
    targets = {f"p.d{i}": t for i, (_, _, t) in enumerate(rows) if t is not None}

    suggestions = suggest(*dims, targets=targets)

    assert len({s.key for s in suggestions}) == len(suggestions)
    for s in suggestions:
        assert s.key == f"{s.kind}:{s.dimension}"
        m = s.metrics
        if s.kind == "strength":
            assert m["score"] >= 4 - 1e-9 or m["score"] >= m["target"] - 1e-9
        elif s.kind == "gap":
            assert m["target"] - m["score"] >= 1 - 1e-9
        elif s.kind == "tension":
            assert m["stdev"] >= 1 - 1e-9
    for d in dims:
        expected_gap = (d.score is not None and d.code in targets
                        and targets[d.code] - d.score >= 1 - 1e-9)
        assert (f"gap:{d.code}" in {s.key for s in suggestions}) == expected_gap
