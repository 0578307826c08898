"""Prioritization methods, raters, classes and quadrants (DESIGN section 3).

Expected numbers are computed by hand and written as fractions of exact integers, so the
float comparisons below are exact: nothing is rounded.
"""

from __future__ import annotations

import math
import statistics

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.errors import InvalidInput
from tracker.domain.prioritization import (
    CLASSES,
    ENABLER_MIN_DEPENDENTS,
    METHODS,
    QUADRANTS,
    Criterion,
    MethodInputs,
    Priority,
    classify,
    dimension_shares,
    effective_inputs,
    gap_value,
    median,
    median_inputs,
    quadrant,
    score_initiative,
    validate_criteria,
    validate_inputs,
)
from tracker.domain.ranking import has_min_descendants, rank_backlog


def wsjf(business_value, time_criticality, risk_reduction, job_size):
    return MethodInputs(business_value=business_value, time_criticality=time_criticality,
                        risk_reduction=risk_reduction, job_size=job_size)


# ---------------------------------------------------------------------------- WSJF

def test_wsjf_matches_the_scaled_agile_worked_example():
    priority = score_initiative("wsjf", wsjf(8, 5, 13, 5))

    assert priority == Priority(value=26, effort=5, score=26 / 5, missing=())
    assert priority.score == 5.2


# id: (user-business value, time criticality, risk reduction, job size), expected WSJF
TWELVE_FEATURES = {
    1: ((8, 5, 13, 5), 26 / 5),
    2: ((13, 8, 5, 8), 26 / 8),
    3: ((3, 2, 1, 1), 6 / 1),
    4: ((20, 13, 8, 13), 41 / 13),
    5: ((5, 3, 2, 3), 10 / 3),
    6: ((1, 1, 1, 20), 3 / 20),
    7: ((13, 13, 13, 8), 39 / 8),
    8: ((2, 8, 3, 2), 13 / 2),
    9: ((8, 1, 1, 13), 10 / 13),
    10: ((5, 8, 13, 5), 26 / 5),
    11: ((1, 2, 3, 2), 6 / 2),
    12: ((13, 5, 8, 5), 26 / 5),
}


@pytest.mark.parametrize("feature_id", sorted(TWELVE_FEATURES))
def test_wsjf_of_each_of_twelve_features_is_exact(feature_id):
    inputs, expected = TWELVE_FEATURES[feature_id]

    assert score_initiative("wsjf", wsjf(*inputs)).score == expected


def test_twelve_features_rank_by_wsjf_with_ties_broken_by_id():
    scores = {fid: score_initiative("wsjf", wsjf(*inputs)).score
              for fid, (inputs, _) in TWELVE_FEATURES.items()}

    ranked = rank_backlog(nx.DiGraph(), scores, done=set())

    # 13/2, 6, then 26/5 three times (ids 1, 10, 12), 39/8, 10/3, 26/8, 41/13, 3, 10/13, 3/20
    assert [item.id for item in ranked] == [8, 3, 1, 10, 12, 7, 5, 2, 4, 11, 9, 6]
    assert [item.score for item in ranked] == [13 / 2, 6, 26 / 5, 26 / 5, 26 / 5, 39 / 8,
                                              10 / 3, 26 / 8, 41 / 13, 3, 10 / 13, 3 / 20]


def test_wsjf_with_a_missing_job_size_gives_the_value_but_no_score():
    priority = score_initiative("wsjf", MethodInputs(business_value=8, time_criticality=5,
                                                     risk_reduction=13))

    assert priority == Priority(value=26, effort=None, score=None, missing=("job_size",))


def test_wsjf_names_every_missing_input_in_formula_order():
    priority = score_initiative("wsjf", MethodInputs(time_criticality=5))

    assert priority.missing == ("business_value", "risk_reduction", "job_size")
    assert (priority.value, priority.effort, priority.score) == (None, None, None)


# ---------------------------------------------------------------------------- RICE, ICE

def test_rice_of_the_reference_example_is_320():
    priority = score_initiative(
        "rice", MethodInputs(reach=1000, impact=2, confidence=0.8, effort=5))

    assert priority.value == 1600
    assert priority.effort == 5
    assert priority.score == 320


def test_rice_with_missing_confidence_names_it():
    priority = score_initiative("rice", MethodInputs(reach=1000, impact=2, effort=5))

    assert priority == Priority(value=None, effort=5, score=None, missing=("confidence",))


def test_ice_value_is_impact_times_confidence_and_effort_is_eleven_minus_ease():
    priority = score_initiative("ice", MethodInputs(impact=8, confidence=0.5, ease=6))

    assert priority == Priority(value=4, effort=5, score=24, missing=())


def test_ice_score_is_not_value_over_effort():
    priority = score_initiative("ice", MethodInputs(impact=6, confidence=0.75, ease=10))

    assert (priority.value, priority.effort, priority.score) == (9 / 2, 1, 45)


def test_ice_without_ease_has_a_value_but_no_effort():
    priority = score_initiative("ice", MethodInputs(impact=6, confidence=0.5))

    assert priority == Priority(value=3, effort=None, score=None, missing=("ease",))


def test_a_method_ignores_the_inputs_of_other_methods():
    inputs = MethodInputs(reach=10, impact=1, confidence=1, effort=2, job_size=-1)

    assert score_initiative("rice", inputs).score == 5


# ---------------------------------------------------------------------------- scorecard

CRITERIA = (Criterion("strategic_fit", "benefit", 3), Criterion("user_value", "benefit", 1),
            Criterion("cost", "cost", 2), Criterion("risk", "cost", 2))


def test_scorecard_value_and_effort_are_weighted_means_of_benefits_and_costs():
    scores = {"strategic_fit": 4, "user_value": 2, "cost": 3, "risk": 1}

    priority = score_initiative("scorecard", MethodInputs(), criteria=CRITERIA,
                                criteria_scores=scores)

    # value (3·4 + 1·2) / 4 = 14/4, effort (2·3 + 2·1) / 4 = 2, score 14/8
    assert priority == Priority(value=14 / 4, effort=2, score=14 / 8, missing=())


def test_scorecard_without_cost_criterion_has_effort_one():
    benefits = CRITERIA[:2]

    priority = score_initiative("scorecard", MethodInputs(), criteria=benefits,
                                criteria_scores={"strategic_fit": 5, "user_value": 1})

    assert priority == Priority(value=16 / 4, effort=1, score=16 / 4, missing=())


def test_scorecard_names_unscored_criteria():
    priority = score_initiative("scorecard", MethodInputs(), criteria=CRITERIA,
                                criteria_scores={"strategic_fit": 4, "cost": 3})

    assert priority == Priority(value=None, effort=None, score=None,
                                missing=("criteria.user_value", "criteria.risk"))


def test_scorecard_with_costs_scored_zero_is_refused():
    with pytest.raises(InvalidInput) as caught:
        score_initiative("scorecard", MethodInputs(), criteria=CRITERIA, criteria_scores={
            "strategic_fit": 4, "user_value": 2, "cost": 0, "risk": 0})

    assert "criteria_scores" in caught.value.errors


# ---------------------------------------------------------------------------- gap

GRID = [("products", 1, [("products.vision", 1), ("products.strategy", 1)]),
        ("practices", 1, [("practices.discovery", 3), ("practices.delivery_flow", 1)])]


def test_dimension_shares_follow_axis_and_dimension_weights():
    # Σ axes = 2; products: 1·1 / (2·2); practices: 1·3 / (2·4) and 1·1 / (2·4)
    assert dimension_shares(GRID) == {"products.vision": 1 / 4, "products.strategy": 1 / 4,
                                      "practices.discovery": 3 / 8,
                                      "practices.delivery_flow": 1 / 8}


def test_dimension_shares_with_unequal_axis_weights():
    grid = [("a", 1, [("a.x", 1), ("a.y", 3)]), ("b", 2, [("b.z", 1)])]

    # Σ axes = 3; a.x: 1·1 / (3·4), a.y: 1·3 / (3·4), b.z: 2·1 / (3·1)
    assert dimension_shares(grid) == {"a.x": 1 / 12, "a.y": 3 / 12, "b.z": 2 / 3}


def test_an_axis_without_dimensions_takes_no_share():
    grid = [("a", 1, [("a.x", 1)]), ("empty", 5, [])]

    assert dimension_shares(grid) == {"a.x": 1}


def test_gap_value_caps_each_uplift_at_the_target_gap():
    shares = dimension_shares(GRID)
    uplifts = {"products.vision": 1, "practices.discovery": 2, "practices.delivery_flow": 1,
               "outside.grid": 3}
    gaps = {"products.vision": 1.5, "practices.discovery": 1}

    # vision 1/4·min(1, 1.5) + discovery 3/8·min(2, 1); delivery_flow has no target gap and
    # outside.grid no share
    assert gap_value(uplifts, shares, gaps) == 5 / 8


def test_gap_method_divides_the_gap_value_by_effort():
    priority = score_initiative("gap", MethodInputs(effort=2), gap_value=5 / 8)

    assert priority == Priority(value=5 / 8, effort=2, score=5 / 16, missing=())


def test_gap_method_without_gap_value_names_uplifts():
    priority = score_initiative("gap", MethodInputs())

    assert priority == Priority(value=None, effort=None, score=None,
                                missing=("uplifts", "effort"))


@given(st.lists(st.tuples(st.integers(0, 5),
                          st.lists(st.integers(0, 5), min_size=1, max_size=4)),
                min_size=1, max_size=5))
def test_shares_of_a_grid_sum_to_one(axes):
    grid = [(f"a{i}", w_a, [(f"a{i}.d{j}", w_d) for j, w_d in enumerate(dims)])
            for i, (w_a, dims) in enumerate(axes)]
    counting = any(w_a and sum(dims) for w_a, dims in axes)

    total = math.fsum(dimension_shares(grid).values())

    assert math.isclose(total, 1) if counting else total == 0


# ---------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("job_size", [0, -1, -0.5])
def test_zero_or_negative_job_size_is_a_field_error(job_size):
    assert validate_inputs(MethodInputs(job_size=job_size)) == {
        "job_size": ["Must be greater than 0."]}


@pytest.mark.parametrize("job_size", [0, -3])
def test_scoring_wsjf_with_zero_or_negative_job_size_is_refused(job_size):
    with pytest.raises(InvalidInput) as caught:
        score_initiative("wsjf", wsjf(8, 5, 13, job_size))

    assert list(caught.value.errors) == ["job_size"]


def test_validate_inputs_checks_every_range():
    errors = validate_inputs(MethodInputs(
        business_value=-1, time_criticality=-1, risk_reduction=-1, job_size=0, reach=-1,
        impact=-1, confidence=1.01, effort=0, ease=0.5))

    assert set(errors) == {"business_value", "time_criticality", "risk_reduction", "job_size",
                           "reach", "impact", "confidence", "effort", "ease"}


def test_validate_inputs_accepts_bounds():
    inputs = MethodInputs(business_value=0, time_criticality=0, risk_reduction=0, job_size=0.1,
                          reach=0, impact=0, confidence=1, effort=0.1, ease=10)

    assert validate_inputs(inputs) == {}
    assert validate_inputs(MethodInputs(confidence=0, ease=1)) == {}


def test_validate_inputs_refuses_nan_and_infinity():
    errors = validate_inputs(MethodInputs(reach=math.nan, effort=math.inf))

    assert set(errors) == {"reach", "effort"}


def test_unknown_method_lists_the_allowed_ones():
    with pytest.raises(InvalidInput) as caught:
        score_initiative("moscow", MethodInputs())

    [message] = caught.value.errors["method"]
    assert all(method in message for method in METHODS)


def test_criteria_weights_summing_to_zero_are_refused():
    with pytest.raises(InvalidInput) as caught:
        validate_criteria([Criterion("a", "benefit", 0), Criterion("b", "benefit", 0)])

    assert list(caught.value.errors) == ["criteria"]


def test_cost_weights_summing_to_zero_are_refused():
    with pytest.raises(InvalidInput) as caught:
        validate_criteria([Criterion("a", "benefit", 1), Criterion("b", "cost", 0)])

    assert list(caught.value.errors) == ["criteria"]


def test_criteria_without_benefit_are_refused():
    with pytest.raises(InvalidInput):
        validate_criteria([Criterion("b", "cost", 1)])


def test_bad_criteria_are_keyed_by_position():
    with pytest.raises(InvalidInput) as caught:
        validate_criteria([Criterion("a", "benefit", 1), Criterion("b", "benefit", -1),
                           Criterion("a", "cost", 1), Criterion("c", "gain", 1)])

    assert set(caught.value.errors) == {"criteria[1].weight", "criteria[2].code",
                                        "criteria[3].kind"}


def test_scorecard_with_weights_summing_to_zero_is_refused():
    with pytest.raises(InvalidInput):
        score_initiative("scorecard", MethodInputs(), criteria=[Criterion("a", "benefit", 0)],
                         criteria_scores={"a": 3})


# ---------------------------------------------------------------------------- raters

def test_median_inputs_takes_each_fields_median_and_spread():
    raters = [MethodInputs(business_value=8, job_size=3),
              MethodInputs(business_value=13, job_size=5, ease=4),
              MethodInputs(business_value=5, job_size=13),
              MethodInputs(business_value=3)]

    combined, spread = median_inputs(raters)

    assert combined == MethodInputs(business_value=(5 + 8) / 2, job_size=5, ease=4)
    assert spread == {"business_value": 10, "job_size": 10, "ease": 0}


def test_median_inputs_of_no_rater_is_empty():
    assert median_inputs([]) == (MethodInputs(), {})


@given(st.lists(st.lists(st.one_of(st.none(), st.integers(0, 20)), min_size=2, max_size=2),
                max_size=7))
def test_median_inputs_agrees_with_statistics_median(rows):
    raters = [MethodInputs(reach=reach, effort=effort) for reach, effort in rows]

    combined, spread = median_inputs(raters)

    for name, column in (("reach", [r for r, _ in rows]), ("effort", [e for _, e in rows])):
        given_values = [v for v in column if v is not None]
        expected = statistics.median(given_values) if given_values else None
        assert getattr(combined, name) == expected
        assert spread.get(name) == (max(given_values) - min(given_values)
                                    if given_values else None)


def test_raters_add_to_the_owners_inputs_and_never_erase_them():
    own = MethodInputs(business_value=8, time_criticality=5, risk_reduction=13, job_size=5,
                       reach=1000)
    raters = [MethodInputs(job_size=3, ease=4), MethodInputs(job_size=8)]

    used = effective_inputs(own, raters)

    # job size: the raters' median (3 + 8) / 2; ease: the one rater's 4; the rest: the owner's
    assert used == MethodInputs(business_value=8, time_criticality=5, risk_reduction=13,
                                job_size=5.5, reach=1000, ease=4)
    assert score_initiative("wsjf", used).score == (8 + 5 + 13) / 5.5


def test_without_raters_the_owners_inputs_are_used_as_they_are():
    own = MethodInputs(impact=2, confidence=0.5)
    assert effective_inputs(own, []) == own


@given(st.lists(st.lists(st.one_of(st.none(), st.integers(0, 20)), min_size=2, max_size=2),
                max_size=5),
       st.one_of(st.none(), st.integers(0, 20)), st.one_of(st.none(), st.integers(0, 20)))
def test_a_field_is_the_raters_median_where_one_gave_it_else_the_owners(rows, reach, effort):
    raters = [MethodInputs(reach=r, effort=e) for r, e in rows]

    used = effective_inputs(MethodInputs(reach=reach, effort=effort), raters)

    for name, own, column in (("reach", reach, [r for r, _ in rows]),
                              ("effort", effort, [e for _, e in rows])):
        given_values = [v for v in column if v is not None]
        assert getattr(used, name) == (statistics.median(given_values) if given_values
                                       else own)
        if own is not None:
            assert getattr(used, name) is not None  # a rater never nulls a field


def test_median_helper_ignores_nulls():
    assert median([1, None, 2, 3, 4]) == 5 / 2
    assert median([7]) == 7
    assert median([]) is None


# ---------------------------------------------------------------------------- classes

# A hand-made backlog: id → (value, effort, duration_weeks, lifted_axes). Values 2, 4, 6, 8,
# 8, 10, 10: the median value is the fourth, 8; efforts 1, 2, 3, 3, 4, 4, 9: the median
# effort is 3.
BACKLOG = {1: (8, 2, 4, 1), 2: (4, 1, 4, 1), 3: (6, 3, 6, 1), 4: (10, 9, 13, 1),
           5: (10, 3, 3, 2), 6: (2, 4, 12, 1), 7: (8, 4, 4, 1)}


def computed_classes(**thresholds):
    median_value = median(value for value, _, _, _ in BACKLOG.values())
    median_effort = median(effort for _, effort, _, _ in BACKLOG.values())
    return {iid: classify(duration_weeks=weeks,
                          quadrant=quadrant(value, effort, median_value, median_effort),
                          lifted_axes=axes, **thresholds)
            for iid, (value, effort, weeks, axes) in BACKLOG.items()}


def test_classes_of_a_hand_made_backlog():
    assert median(value for value, _, _, _ in BACKLOG.values()) == 8
    assert median(effort for _, effort, _, _ in BACKLOG.values()) == 3
    assert computed_classes() == {
        1: "quick_win",          # 4 weeks; value 8 ≥ 8, effort 2 ≤ 3: quick-win quadrant
        2: "standard",           # short and cheap but value 4 < 8 (fill-in)
        3: "standard",           # 6 weeks but value 6 < 8
        4: "structural_lever",   # 13 weeks > 12
        5: "quick_win",          # 3 weeks, value 10, effort 3: a quick win though it spans
                                 # two axes (the quick-win rule comes first)
        6: "standard",           # 12 weeks is not more than 12
        7: "standard",           # short and valuable, but effort 4 > 3 (big bet)
    }


def test_quick_win_bounds_are_inclusive():
    assert classify(duration_weeks=6, quadrant="quick_win", lifted_axes=1) == "quick_win"


def test_thresholds_are_settings():
    classes = computed_classes(quick_win_max_weeks=3, structural_min_weeks=11)

    assert classes[1] == "standard"           # 4 weeks > 3
    assert classes[5] == "quick_win"          # 3 weeks ≤ 3
    assert classes[6] == "structural_lever"   # 12 weeks > 11


def test_a_long_or_cross_axis_initiative_outside_the_quick_win_quadrant_is_a_lever():
    assert classify(duration_weeks=4, quadrant="big_bet", lifted_axes=2) == "structural_lever"
    assert classify(duration_weeks=13, quadrant="quick_win", lifted_axes=1) == \
        "structural_lever"
    assert classify(duration_weeks=8, quadrant="quick_win", lifted_axes=1) == "standard"


def test_role_cards_is_a_quick_win_and_an_enabler():
    # The method's own example: 4 weeks, high value, low effort, five initiatives wait on
    # it (two directly, three behind those). Quick win by class; enabler by its dependents.
    graph = nx.DiGraph([(1, 2), (1, 3), (2, 4), (3, 5), (3, 6)])
    assert classify(duration_weeks=4, quadrant="quick_win", lifted_axes=1) == "quick_win"
    assert has_min_descendants(graph, ENABLER_MIN_DEPENDENTS)[1]
    assert ENABLER_MIN_DEPENDENTS == 3


def test_null_duration_or_quadrant_is_never_a_quick_win():
    assert classify(duration_weeks=None, quadrant="quick_win", lifted_axes=1) == "standard"
    assert classify(duration_weeks=2, quadrant=None, lifted_axes=1) == "standard"
    assert classify(duration_weeks=None, quadrant=None, lifted_axes=3) == "structural_lever"


durations = st.one_of(st.none(), st.floats(0.5, 40, allow_nan=False))
quadrants = st.one_of(st.none(), st.sampled_from(QUADRANTS))


@given(durations, quadrants, st.integers(0, 4), st.floats(1, 12), st.floats(6, 30))
def test_a_row_is_a_quick_win_only_in_the_quick_win_quadrant(weeks, placed, axes, short, long):
    klass = classify(duration_weeks=weeks, quadrant=placed, lifted_axes=axes,
                     quick_win_max_weeks=short, structural_min_weeks=long)

    assert klass in CLASSES
    if klass == "quick_win":
        assert placed == "quick_win" and weeks is not None and weeks <= short
    elif placed == "quick_win" and weeks is not None and weeks <= short:
        raise AssertionError("a short quick-win-quadrant row must be a quick win")
    if klass == "structural_lever":
        assert axes >= 2 or (weeks is not None and weeks > long)


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=14),
       durations, quadrants, st.integers(0, 4))
def test_the_enabler_flag_is_independent_of_the_class(edges, weeks, placed, axes):
    # The class reads no graph, so the same row gets the same class whatever waits on it;
    # the enabler flag reads only the graph.
    graph = nx.DiGraph([(a, b) for a, b in edges if a < b])
    graph.add_node(0)
    alone = nx.DiGraph()
    alone.add_node(0)
    klass = classify(duration_weeks=weeks, quadrant=placed, lifted_axes=axes)
    enabler = has_min_descendants(graph, ENABLER_MIN_DEPENDENTS)[0]

    assert enabler == (len(nx.descendants(graph, 0)) >= ENABLER_MIN_DEPENDENTS)
    assert not has_min_descendants(alone, ENABLER_MIN_DEPENDENTS)[0]
    assert classify(duration_weeks=weeks, quadrant=placed, lifted_axes=axes) == klass


# ---------------------------------------------------------------------------- quadrants

def test_quadrants_split_at_the_backlog_medians():
    backlog = {1: (8, 2), 2: (8, 8), 3: (2, 2), 4: (2, 8), 5: (5, 5), 6: (None, None)}
    median_value = median(v for v, _ in backlog.values())
    median_effort = median(e for _, e in backlog.values())

    quadrants = {iid: quadrant(v, e, median_value, median_effort)
                 for iid, (v, e) in backlog.items()}

    assert (median_value, median_effort) == (5, 5)
    assert quadrants == {1: "quick_win", 2: "big_bet", 3: "fill_in", 4: "money_pit",
                         5: "quick_win", 6: None}


def test_quadrant_is_null_without_effort():
    assert quadrant(3, None, 2, 2) is None
