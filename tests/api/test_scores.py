"""Scores at GET .../scores, every number computed by hand from DESIGN section 3."""

from __future__ import annotations

import pytest

from tests.builders import Scenario, framework_doc, one_dimension_axes


def _rows(respondent_id: int, values: dict[str, float | None]) -> list[dict]:
    return [{"respondent_id": respondent_id, "dimension": code, "value": value}
            for code, value in values.items()]


def test_six_axes_of_one_dimension_rated_211121_score_four_thirds(lead, admin):
    scenario = Scenario(lead, admin, framework_doc(axes=one_dimension_axes(6)))
    ann = scenario.add_respondent()
    values = dict(zip([f"x{i}.d" for i in range(6)], [2, 1, 1, 1, 2, 1], strict=True))
    assert scenario.rate(_rows(ann, values)).status_code == 200

    scores = scenario.scores()

    assert scores["overall"] == 8 / 6  # 1.333..., unrounded
    assert [axis["score"] for axis in scores["axes"]] == [2.0, 1.0, 1.0, 1.0, 2.0, 1.0]


def test_dimension_axis_and_overall_use_weights_and_skip_nulls(lead, admin):
    # Axis a (weight 1): a.one (w 1), a.two (w 3); axis b (weight 2): b.one, b.two.
    scenario = Scenario(lead, admin)
    ann, bob, cat = (scenario.add_respondent(n) for n in ("Ann", "Bob", "Cat"))
    scenario.rate(_rows(ann, {"a.one": 1, "a.two": 4, "b.one": 2, "b.two": None})
                  + _rows(bob, {"a.one": 3, "a.two": 2, "b.one": 4, "b.two": None})
                  + _rows(cat, {"a.one": None, "a.two": 3, "b.one": 5}))

    scores = scenario.scores()
    a, b = scores["axes"]

    # a.one: (1 + 3) / 2 = 2 ; a.two: (4 + 2 + 3) / 3 = 3 ; axis a: (1·2 + 3·3) / 4 = 2.75
    assert [d["score"] for d in a["dimensions"]] == [2.0, 3.0]
    assert a["score"] == 11 / 4
    # b.one: (2 + 4 + 5) / 3 = 11/3 ; b.two only nulls: null, not zero; axis b = 11/3
    assert b["dimensions"][0]["score"] == 11 / 3
    assert b["dimensions"][1]["score"] is None
    assert b["dimensions"][1]["n"] == 0
    assert b["score"] == 11 / 3
    # overall: (1·2.75 + 2·11/3) / 3
    assert scores["overall"] == pytest.approx((11 / 4 + 2 * 11 / 3) / 3, rel=1e-15)


def test_dispersion_is_population_stdev_with_count(lead, admin):
    scenario = Scenario(lead, admin)
    ids = [scenario.add_respondent(n) for n in ("Ann", "Bob", "Cat", "Dan")]
    scenario.rate([{"respondent_id": r, "dimension": "a.one", "value": v}
                   for r, v in zip(ids, [1, 2, 4, 5], strict=True)])

    dim = scenario.scores()["axes"][0]["dimensions"][0]

    # mean 3; squared deviations 4, 1, 1, 4 → variance 10/4 → stdev sqrt(2.5)
    assert dim["n"] == 4
    assert dim["stdev"] == pytest.approx(2.5 ** 0.5, rel=1e-15)


def test_source_weights_weigh_ratings_and_sources_are_triangulated(lead, admin):
    doc = framework_doc(source_weights={"interview": 3, "survey": 1})
    scenario = Scenario(lead, admin, doc)
    boss = scenario.add_respondent("Boss", source="interview")
    ann = scenario.add_respondent("Ann", source="survey")
    bob = scenario.add_respondent("Bob", source="survey")
    scenario.rate([{"respondent_id": boss, "dimension": "a.one", "value": 5},
                   {"respondent_id": ann, "dimension": "a.one", "value": 1},
                   {"respondent_id": bob, "dimension": "a.one", "value": 2}])

    dim = scenario.scores()["axes"][0]["dimensions"][0]

    # (3·5 + 1·1 + 1·2) / (3 + 1 + 1) = 18/5
    assert dim["score"] == 18 / 5
    assert dim["source_means"] == {"interview": 5.0, "survey": 1.5}
    assert dim["source_spread"] == 3.5


def test_an_axis_with_no_scored_dimension_does_not_count_as_zero(lead, admin):
    scenario = Scenario(lead, admin)
    ann = scenario.add_respondent()
    scenario.rate(_rows(ann, {"a.one": 4, "a.two": 4}))

    scores = scenario.scores()

    assert scores["axes"][1]["score"] is None
    assert scores["overall"] == 4.0


def test_an_assessment_without_ratings_has_null_scores(lead, admin):
    scores = Scenario(lead, admin).scores()
    assert scores["overall"] is None
    assert all(d["score"] is None for a in scores["axes"] for d in a["dimensions"])


def test_upserting_a_rating_again_updates_it(lead, admin):
    scenario = Scenario(lead, admin)
    ann = scenario.add_respondent()
    first = scenario.rate(_rows(ann, {"a.one": 2}))
    second = scenario.rate(_rows(ann, {"a.one": 5, "a.two": 1}))

    assert first.json == {"created": 1, "updated": 0}
    assert second.json == {"created": 1, "updated": 1}
    assert scenario.scores()["axes"][0]["dimensions"][0]["score"] == 5.0
