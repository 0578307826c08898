"""The intervals, the significance of a change and the alignment trend (DESIGN section 3),
against figures computed by hand and against scipy's Student's t, an independent
implementation."""

from __future__ import annotations

import math
import statistics
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from tracker.domain.follow.uncertainty import (
    QUARTER_DAYS,
    Interval,
    change,
    change_per_quarter,
    dimension_interval,
    respondent_interval,
    t_quantile,
)


@pytest.mark.parametrize("df", [1, 2, 3, 5, 11, 30, 120, 1000])
def test_t_quantile_matches_scipy(df: int):
    assert t_quantile(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), abs=1e-9)


def test_t_quantile_of_the_tables():
    # the printed tables: t(0.975, 1) = 12.706, t(0.975, 2) = 4.303, t(0.975, 11) = 2.201
    assert round(t_quantile(0.975, 1), 3) == 12.706
    assert round(t_quantile(0.975, 2), 3) == 4.303
    assert round(t_quantile(0.975, 11), 3) == 2.201


def test_dimension_interval_with_equal_weights_is_the_t_interval():
    # ratings 1, 2, 4, 5: mean 3, sample sd = √((4 + 1 + 1 + 4) / 3) = √(10/3) = 1.8257,
    # se = 1.8257 / 2 = 0.91287, df = 3, margin = 3.18245 · 0.91287 = 2.9052
    interval = dimension_interval([(1, 1), (2, 1), (4, 1), (5, 1)])
    assert interval is not None
    assert interval.df == 3
    assert interval.se == pytest.approx(math.sqrt(10 / 3) / 2)
    assert interval.margin == pytest.approx(2.9052, abs=1e-4)
    assert (interval.low, interval.high) == pytest.approx((3 - 2.9052, 3 + 2.9052), abs=1e-4)


def test_dimension_interval_with_source_weights():
    # values 2 (weight 2), 4 (weight 1), 5 (weight 1): Σw = 4, m = (4 + 4 + 5) / 4 = 3.25,
    # σ²_w = (2·1.5625 + 0.5625 + 3.0625) / 4 = 1.6875, n_eff = 16 / 6 = 2.667,
    # se = √(1.6875 / 1.667) = 1.00623, df = max(1, 2 − 1) = 1, margin = 12.7062 · 1.00623
    interval = dimension_interval([(2, 2), (4, 1), (5, 1)])
    assert interval is not None
    assert interval.centre == pytest.approx(3.25)
    assert interval.df == 1
    assert interval.se == pytest.approx(math.sqrt(1.6875 / (16 / 6 - 1)))
    assert interval.margin == pytest.approx(12.7062 * 1.00623, rel=1e-4)


def test_no_interval_under_two_effective_ratings():
    assert dimension_interval([(3, 1)]) is None
    # weights 10 and 1: n_eff = 121 / 101 = 1.198 < 2
    assert dimension_interval([(3, 10), (4, 1)]) is None
    assert dimension_interval([]) is None


def test_respondent_interval_is_centred_on_the_published_score():
    # respondents' overall scores 2, 3, 4: sd 1, se 1/√3, df 2; centred on 3.2 (published)
    interval = respondent_interval([2.0, 3.0, 4.0], 3.2)
    assert interval is not None
    assert interval.centre == 3.2
    assert interval.margin == pytest.approx(4.302653 / math.sqrt(3), rel=1e-6)
    assert respondent_interval([3.0], 3.0) is None


def test_a_pulse_of_twelve_moving_by_eight_hundredths_is_not_significant():
    # the case: +0.08 between two pulses whose se is 0.15 each (df 11):
    # se_Δ = √(0.0225 · 2) = 0.21213, df = ⌊0.045² / (2 · 0.0225² / 11)⌋ = 22,
    # margin = 2.07387 · 0.21213 = 0.43993
    before, after = Interval(3.00, 0.15, 11, 0.0), Interval(3.08, 0.15, 11, 0.0)
    result = change(before, after, 0.08)
    assert result is not None
    assert result.margin == pytest.approx(stats.t.ppf(0.975, 22) * math.sqrt(0.045))
    assert not result.significant
    big = change(before, after, 0.5)
    assert big is not None and big.significant


def test_change_is_unknown_without_both_intervals():
    assert change(None, Interval(3, 0.1, 5, 0.2), 0.3) is None


def test_change_per_quarter_is_the_least_squares_slope():
    # the demo's empowerment gap: 2.29 then 1.81 one quarter later: −0.48 per quarter
    start = datetime(2027, 1, 15)
    points = [(start, 2.29), (start + timedelta(days=QUARTER_DAYS), 1.81)]
    assert change_per_quarter(points) == pytest.approx(-0.48)
    # three points two quarters apart each, gaps 3, 2, 2: slope over x = 0, 2, 4 quarters
    # is Σ(x − 2)(y − 7/3) / Σ(x − 2)² = (−2·2/3 + 0 + 2·(−1/3)) / 8 = −0.25
    three = [(start + timedelta(days=2 * k * QUARTER_DAYS), gap)
             for k, gap in enumerate((3.0, 2.0, 2.0))]
    assert change_per_quarter(three) == pytest.approx(-0.25)
    assert change_per_quarter(points[:1]) is None


@given(st.lists(st.floats(min_value=1, max_value=5), min_size=2, max_size=40))
def test_equal_weights_give_the_usual_t_interval(values: list[float]):
    interval = dimension_interval([(value, 1.0) for value in values])
    assert interval is not None
    n = len(values)
    expected_se = statistics.stdev(values) / math.sqrt(n)
    assert interval.se == pytest.approx(expected_se, abs=1e-9)
    assert interval.df == n - 1
    assert interval.low <= interval.centre <= interval.high


@given(st.lists(st.tuples(st.floats(min_value=1, max_value=5),
                          st.floats(min_value=0.1, max_value=5)), min_size=1, max_size=30))
def test_the_interval_contains_the_score(points: list[tuple[float, float]]):
    interval = dimension_interval(points)
    score = sum(v * w for v, w in points) / sum(w for _, w in points)
    if interval is not None:
        assert interval.margin >= 0
        assert interval.low - 1e-9 <= score <= interval.high + 1e-9
        assert interval.centre == pytest.approx(score)


@given(st.floats(min_value=-3, max_value=3), st.floats(min_value=0.01, max_value=1),
       st.integers(min_value=1, max_value=60))
def test_significance_is_symmetric(delta: float, se: float, df: int):
    a, b = Interval(3, se, df, 0), Interval(3, se, df, 0)
    up, down = change(a, b, delta), change(b, a, -delta)
    assert up is not None and down is not None
    assert up.margin == pytest.approx(down.margin)
    assert up.significant == down.significant
