"""Targets at PUT/GET .../targets and their effect on .../scores, computed by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.builders import Scenario, add_member


def _put(scenario: Scenario, rows: list[dict]) -> object:
    return scenario.api.put(scenario.url("/targets"), json={
        "framework_id": scenario.framework["id"], "targets": rows})


def _get(scenario: Scenario) -> dict[str, float]:
    response = scenario.api.get(scenario.url(f"/targets?framework_id={scenario.framework['id']}"))
    assert response.status_code == 200, response.json
    return {row["dimension"]: row["level"] for row in response.json["targets"]}


def test_put_targets_answers_and_stores_them(lead, admin):
    scenario = Scenario(lead, admin)

    response = _put(scenario, [{"dimension": "a.one", "level": 4},
                               {"dimension": "b.one", "level": 3.5}])

    assert response.status_code == 200, response.json
    assert _get(scenario) == {"a.one": 4.0, "b.one": 3.5}


def test_a_bare_list_with_the_framework_in_the_query_is_accepted(lead, admin):
    scenario = Scenario(lead, admin)

    response = scenario.api.put(scenario.url(f"/targets?framework_id={scenario.framework['id']}"),
                                json=[{"dimension": "b.two", "level": 3}])

    assert response.status_code == 200, response.json
    assert _get(scenario) == {"b.two": 3.0}


def test_a_bare_list_without_framework_is_a_validation_error(lead, admin):
    scenario = Scenario(lead, admin)

    response = scenario.api.put(scenario.url("/targets"), json=[{"dimension": "b.two",
                                                                 "level": 3}])

    assert response.status_code == 422
    assert "framework_id" in response.json["errors"]


def test_setting_a_target_again_the_same_day_replaces_it(lead, admin):
    scenario = Scenario(lead, admin)
    _put(scenario, [{"dimension": "a.one", "level": 4}])

    _put(scenario, [{"dimension": "a.one", "level": 2}])

    assert _get(scenario) == {"a.one": 2.0}


def test_the_latest_valid_target_wins_and_future_ones_wait(lead, admin):
    from tracker.extensions import db
    from tracker.models import Dimension, Target

    scenario = Scenario(lead, admin)
    _put(scenario, [{"dimension": "a.one", "level": 4}])
    dim_id = db.session.scalar(db.select(Dimension.id).where(
        Dimension.code == "a.one", Dimension.framework_id == scenario.framework["id"]))
    today = date.today()
    db.session.add_all([
        Target(org_id=scenario.org["id"], dimension_id=dim_id, level=2,
               valid_from=today - timedelta(days=30)),
        Target(org_id=scenario.org["id"], dimension_id=dim_id, level=5,
               valid_from=today + timedelta(days=30))])
    db.session.commit()

    assert _get(scenario) == {"a.one": 4.0}


def test_bad_rows_reject_the_whole_batch_naming_each_field(lead, admin):
    scenario = Scenario(lead, admin)

    response = _put(scenario, [{"dimension": "a.one", "level": 4},
                               {"dimension": "nope", "level": 3},
                               {"dimension": "b.one", "level": 6}])

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"[1].dimension", "[2].level"}
    assert _get(scenario) == {}


def test_a_viewer_cannot_set_targets(lead, admin, make_api):
    scenario = Scenario(lead, admin)
    viewer = make_api("viewer@example.org")
    add_member(scenario.org["id"], "viewer@example.org", "viewer")

    response = viewer.put(scenario.url("/targets"), json={
        "framework_id": scenario.framework["id"], "targets": [{"dimension": "a.one",
                                                               "level": 4}]})

    assert response.status_code == 403


def test_scores_show_target_gap_share_weighted_gap_and_percent_to_target(lead, admin):
    # Axis a (W 1): a.one (w 1), a.two (w 3); axis b (W 2): b.one, b.two (w 1).
    # Shares: a.one 1·1/(3·4) = 1/12, a.two 1·3/(3·4) = 1/4, b.one = b.two = 2·1/(3·2) = 1/3.
    scenario = Scenario(lead, admin)
    ann = scenario.add_respondent()
    scenario.rate([{"respondent_id": ann, "dimension": code, "value": value}
                   for code, value in {"a.one": 2, "a.two": 4, "b.one": 3}.items()])
    _put(scenario, [{"dimension": "a.one", "level": 4}, {"dimension": "a.two", "level": 3},
                    {"dimension": "b.one", "level": 4.5}, {"dimension": "b.two", "level": 5}])

    scores = scenario.scores()
    dims = {d["code"]: d for axis in scores["axes"] for d in axis["dimensions"]}

    assert {c: d["target"] for c, d in dims.items()} == {"a.one": 4, "a.two": 3, "b.one": 4.5,
                                                        "b.two": 5}
    # target gap max(0, target - score): 2, 0 (score above target), 1.5, null (no score)
    assert {c: d["target_gap"] for c, d in dims.items()} == {"a.one": 2, "a.two": 0,
                                                            "b.one": 1.5, "b.two": None}
    assert dims["a.one"]["share"] == pytest.approx(1 / 12, rel=1e-15)
    assert dims["a.two"]["share"] == 0.25
    assert dims["b.one"]["share"] == pytest.approx(1 / 3, rel=1e-15)
    assert dims["a.one"]["weighted_gap"] == pytest.approx(2 / 12, rel=1e-15)
    assert dims["a.two"]["weighted_gap"] == 0
    assert dims["b.one"]["weighted_gap"] == pytest.approx(0.5, rel=1e-15)
    assert dims["b.two"]["weighted_gap"] is None
    # 1 - (2 + 0 + 1.5) / (4 + 3 + 4.5): b.two has no score and is left out of both sums
    assert scores["percent_to_target"] == pytest.approx(1 - 3.5 / 11.5, rel=1e-15)
    assert dims["a.one"]["score"] == 2.0  # existing fields unchanged


def test_percent_to_target_is_null_without_targets(lead, admin):
    scenario = Scenario(lead, admin)
    ann = scenario.add_respondent()
    scenario.rate([{"respondent_id": ann, "dimension": "a.one", "value": 2}])

    scores = scenario.scores()

    assert scores["percent_to_target"] is None
    assert scores["axes"][0]["dimensions"][0]["target"] is None
