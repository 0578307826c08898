"""The 95 % intervals of GET .../scores (DESIGN section 3, "Uncertainty"), computed by hand
with Student's t quantiles from the printed tables."""

from __future__ import annotations

import math

import pytest

from tests.builders import Scenario


def _rows(respondent_id: int, values: dict[str, float | None]) -> list[dict]:
    return [{"respondent_id": respondent_id, "dimension": code, "value": value}
            for code, value in values.items()]


def test_dimension_axis_and_overall_intervals(lead, admin):
    # The default grid: axis a (a.one w 1, a.two w 3), axis b (weight 2: b.one, b.two).
    scenario = Scenario(lead, admin)
    ann, bob, cat = (scenario.add_respondent(n) for n in ("Ann", "Bob", "Cat"))
    scenario.rate(_rows(ann, {"a.one": 1, "a.two": 4, "b.one": 2})
                  + _rows(bob, {"a.one": 3, "a.two": 2, "b.one": 4})
                  + _rows(cat, {"a.two": 3, "b.one": 5}))

    scores = scenario.scores()
    a, b = scores["axes"]
    a_one, a_two = a["dimensions"]

    # a.one: ratings 1, 3: sample sd √2, se = √2/√2 = 1, df 1, margin t(0.975, 1) = 12.7062
    assert a_one["margin"] == pytest.approx(12.7062047, rel=1e-6)
    assert a_one["ci95"] == pytest.approx([2 - 12.7062047, 2 + 12.7062047], rel=1e-6)
    # a.two: 4, 2, 3: sd 1, se 1/√3, df 2, margin 4.3026527 / √3 = 2.48414
    assert a_two["margin"] == pytest.approx(4.3026527 / math.sqrt(3), rel=1e-6)
    # b.two: no rating, no interval
    assert b["dimensions"][1]["margin"] is None and b["dimensions"][1]["ci95"] is None

    # axis a per respondent: Ann (1·1 + 3·4) / 4 = 3.25, Bob (3 + 6) / 4 = 2.25, Cat 3
    # (only a.two); sd of 3.25, 2.25, 3 = √((0.25² + 0.75² + 0.5²)·... ) computed below
    own = [3.25, 2.25, 3.0]
    mean = sum(own) / 3
    sd = math.sqrt(sum((x - mean) ** 2 for x in own) / 2)
    assert a["margin"] == pytest.approx(4.3026527 * sd / math.sqrt(3), rel=1e-6)
    # centred on the published axis score (2.75), not on the respondents' mean
    assert a["ci95"][0] + a["margin"] == pytest.approx(a["score"])

    # overall per respondent: Ann (3.25 + 2·2) / 3, Bob (2.25 + 2·4) / 3, Cat (3 + 2·5) / 3
    overall_own = [(3.25 + 4) / 3, (2.25 + 8) / 3, (3 + 10) / 3]
    mean = sum(overall_own) / 3
    sd = math.sqrt(sum((x - mean) ** 2 for x in overall_own) / 2)
    assert scores["margin"] == pytest.approx(4.3026527 * sd / math.sqrt(3), rel=1e-6)
    assert scores["ci95"] == pytest.approx([scores["overall"] - scores["margin"],
                                            scores["overall"] + scores["margin"]])


def test_one_respondent_gives_no_interval(lead, admin):
    scenario = Scenario(lead, admin)
    ann = scenario.add_respondent("Ann")
    scenario.rate(_rows(ann, {"a.one": 2, "a.two": 3, "b.one": 4, "b.two": 5}))
    scores = scenario.scores()
    assert scores["margin"] is None and scores["ci95"] is None
    assert all(axis["margin"] is None for axis in scores["axes"])
