"""Alignment gaps, crosswalks, calibration and stalls (DESIGN section 3)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.follow.trend import (
    Link,
    alignment_gap,
    calibrate,
    carry_scores,
    is_stalled,
)
from tracker.domain.scoring import DimensionSpec, RatingPoint

SPEC = DimensionSpec("people.empowerment", "Empowerment", "people")


def _ratings(level: str, values: list[float | None], first_id: int) -> list[RatingPoint]:
    return [RatingPoint(first_id + i, SPEC.code, value, level=level)
            for i, value in enumerate(values)]


def test_the_alignment_gap_is_leaders_minus_the_others():
    # leaders 4, 4, 5 (mean 4.3333); teams 2, 2, 3, 1 (mean 2.0): gap 2.3333
    ratings = _ratings("leader", [4, 4, 5], 1) + _ratings("team", [2, 2, 3, 1], 10)
    assert alignment_gap(SPEC, ratings, {}, 3) == pytest.approx(13 / 3 - 2)


def test_source_weights_enter_the_gap():
    # the interview of leader 1 weighs 3: leaders (3·5 + 4 + 4) / 5 = 4.6; teams 2
    ratings = [RatingPoint(1, SPEC.code, 5, "interview", level="leader"),
               *_ratings("leader", [4, 4], 2), *_ratings("manager", [2, 2, 2], 10)]
    assert alignment_gap(SPEC, ratings, {"interview": 3}, 3) == pytest.approx(2.6)


def test_a_small_group_hides_the_gap():
    # two leaders with a rating (the third gave none) under min_group_size 3
    ratings = _ratings("leader", [5, 5, None], 1) + _ratings("team", [1, 2, 3], 10)
    assert alignment_gap(SPEC, ratings, {}, 3) is None
    assert alignment_gap(SPEC, ratings, {}, 2) == pytest.approx(3.0)


def test_a_rename_and_a_split_keep_one_series():
    # v1 had `roles` (2.08) and `vision` (3.1); v2 renamed vision to `vision.shared` and
    # split roles into `roles.pm` and `roles.po`; `data.ai` is new in v2, `legacy` is gone
    links = [Link("vision", "vision.shared"), Link("roles", "roles.pm"),
             Link("roles", "roles.po")]
    mapped = carry_scores({"vision": 3.1, "roles": 2.08, "legacy": 1.0},
                          ["vision.shared", "roles.pm", "roles.po", "data.ai"], links)
    assert mapped.scores == {"vision.shared": 3.1, "roles.pm": 2.08, "roles.po": 2.08,
                             "data.ai": None}
    assert mapped.new == ("data.ai",)
    assert mapped.gone == ("legacy",)


def test_a_merge_takes_the_weighted_mean_of_the_known_scores():
    # z ← x (weight 1, 1.0) and y (weight 3, 3.0): (1 + 9) / 4 = 2.5; with y unknown, 1.0
    links = [Link("x", "z", 1), Link("y", "z", 3)]
    assert carry_scores({"x": 1.0, "y": 3.0}, ["z"], links).scores == {"z": 2.5}
    assert carry_scores({"x": 1.0, "y": None}, ["z"], links).scores == {"z": 1.0}


@given(st.dictionaries(st.sampled_from("abcdef"), st.floats(min_value=1, max_value=5),
                       min_size=1))
def test_the_same_grid_without_a_crosswalk_carries_every_score(scores: dict[str, float]):
    mapped = carry_scores(scores, list(scores), [])
    assert mapped.scores == scores
    assert mapped.new == () and mapped.gone == ()


def test_calibration_ratio_and_its_factor():
    # realized 0.5, 0.3, 0.4 against expected 1, 1, 0.5: ratio 1.2 / 2.5 = 0.48 over 3 pairs
    result = calibrate([(0.5, 1.0), (0.3, 1.0), (0.4, 0.5), (None, 2.0)])
    assert result.n == 3
    assert result.ratio == pytest.approx(0.48)
    assert result.factor == pytest.approx(0.48)
    # two pairs are not enough to temper a projection
    assert calibrate([(0.5, 1.0), (0.3, 1.0)]).factor is None
    # a ratio of 3 is clamped to 2
    assert calibrate([(3, 1), (3, 1), (3, 1)]).factor == 2.0
    assert calibrate([]).ratio is None


@given(st.lists(st.tuples(st.floats(min_value=-2, max_value=4),
                          st.floats(min_value=0.1, max_value=4)), min_size=3))
def test_the_factor_stays_within_its_bounds(pairs: list[tuple[float, float]]):
    factor = calibrate(pairs).factor
    assert factor is not None and 0.0 <= factor <= 2.0


def test_stalled_past_one_and_a_half_times_the_duration_or_past_p85():
    start = date(2027, 1, 4)
    # 4 weeks planned: stalled after 6 weeks (42 days), not at 6 weeks exactly
    assert not is_stalled(start, date(2027, 2, 15), p85_weeks=None, duration_weeks=4)
    assert is_stalled(start, date(2027, 2, 16), p85_weeks=None, duration_weeks=4)
    # with an estimate whose P85 is 7.5 weeks, 7 weeks is not a stall
    assert not is_stalled(start, date(2027, 2, 22), p85_weeks=7.5, duration_weeks=4)
    assert not is_stalled(None, date(2027, 6, 1), p85_weeks=None, duration_weeks=1)
    assert not is_stalled(start, date(2027, 6, 1), p85_weeks=None, duration_weeks=None)
