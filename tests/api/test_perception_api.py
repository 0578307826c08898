"""Perception gaps and blind spots over the API, every number computed by hand."""

from __future__ import annotations

import pytest

from tests.builders import Scenario


def _rate(scenario: Scenario, dimension: str, people: list[tuple[dict, float]]) -> None:
    rows = [{"respondent_id": scenario.add_respondent(f"R{i}", **attrs), "dimension": dimension,
             "value": value} for i, (attrs, value) in enumerate(people)]
    assert scenario.rate(rows).status_code == 200


@pytest.fixture
def roles(lead, admin) -> Scenario:
    """a.one rated by 3 product managers (4, 4, 5), 3 engineers (2, 3, 2), 2 designers (1, 1)."""
    scenario = Scenario(lead, admin)
    _rate(scenario, "a.one", [({"role": "pm"}, 4), ({"role": "pm"}, 4), ({"role": "pm"}, 5),
                              ({"role": "eng"}, 2), ({"role": "eng"}, 3), ({"role": "eng"}, 2),
                              ({"role": "designer"}, 1), ({"role": "designer"}, 1)])
    return scenario


def _gaps(scenario: Scenario, by: str) -> dict[str, dict]:
    response = scenario.api.get(scenario.assessment_url(f"/perception-gaps?by={by}"))
    assert response.status_code == 200, response.json
    return {d["dimension"]: d for d in response.json["dimensions"]}


def test_a_group_below_min_group_size_is_never_shown(roles):
    gap = _gaps(roles, "role")["a.one"]

    # eng (2+3+2)/3 = 7/3, pm (4+4+5)/3 = 13/3; the two designers (< 3) are hidden
    assert [g["name"] for g in gap["groups"]] == ["eng", "pm"]
    assert [g["n"] for g in gap["groups"]] == [3, 3]
    assert gap["groups"][0]["mean"] == pytest.approx(7 / 3, rel=1e-15)
    assert gap["groups"][1]["mean"] == pytest.approx(13 / 3, rel=1e-15)
    assert gap["hidden_groups"] == 1
    assert gap["gap"] == pytest.approx(2.0, rel=1e-15)
    assert gap["flagged"] is True
    assert "designer" not in str(gap)


def test_min_group_size_and_threshold_are_organization_settings(roles):
    roles.api.patch(roles.url(), json={"min_group_size": 2, "perception_gap_threshold": 3.5})

    gap = _gaps(roles, "role")["a.one"]

    # designers now shown with mean 1: gap 13/3 - 1 = 10/3 < 3.5, not flagged
    assert [g["name"] for g in gap["groups"]] == ["designer", "eng", "pm"]
    assert gap["gap"] == pytest.approx(10 / 3, rel=1e-15)
    assert gap["flagged"] is False


def test_one_shown_group_has_no_gap_and_unrated_dimensions_are_listed(roles):
    gaps = _gaps(roles, "team")  # everyone is in team claims

    assert gaps["a.one"]["gap"] is None and gaps["a.one"]["flagged"] is False
    assert [g["name"] for g in gaps["a.one"]["groups"]] == ["claims"]
    assert gaps["b.two"] == {"dimension": "b.two", "groups": [], "hidden_groups": 0,
                             "gap": None, "flagged": False}


def test_grouping_by_an_unknown_attribute_is_a_validation_error(roles):
    response = roles.api.get(roles.assessment_url("/perception-gaps?by=shoe_size"))

    assert response.status_code == 422
    assert "by" in response.json["errors"]


def test_leaders_rating_higher_than_the_others_is_a_blind_spot(lead, admin):
    scenario = Scenario(lead, admin)
    _rate(scenario, "a.two", [({"level": "leader"}, 5), ({"level": "leader"}, 5),
                              ({"level": "leader"}, 4), ({"level": "team"}, 3),
                              ({"level": "team"}, 2), ({"level": None}, 2)])

    response = scenario.api.get(scenario.assessment_url("/blind-spots"))
    dims = {d["dimension"]: d for d in response.json["dimensions"]}

    # leaders 14/3, others (3 + 2 + 2)/3 = 7/3 (no level counts as "others"): 7/3 ≥ 1
    assert dims["a.two"]["leaders_mean"] == pytest.approx(14 / 3, rel=1e-15)
    assert dims["a.two"]["others_mean"] == pytest.approx(7 / 3, rel=1e-15)
    assert dims["a.two"]["difference"] == pytest.approx(7 / 3, rel=1e-15)
    assert dims["a.two"]["blind_spot"] is True
    assert dims["a.one"]["difference"] is None and dims["a.one"]["blind_spot"] is False


def test_too_few_leaders_hide_the_comparison(lead, admin):
    scenario = Scenario(lead, admin)
    _rate(scenario, "a.two", [({"level": "leader"}, 5), ({"level": "leader"}, 5),
                              ({"level": "team"}, 1), ({"level": "team"}, 1),
                              ({"level": "team"}, 1)])

    dims = {d["dimension"]: d for d in scenario.api.get(
        scenario.assessment_url("/blind-spots")).json["dimensions"]}

    assert dims["a.two"]["n_leaders"] == 2
    assert dims["a.two"]["leaders_mean"] is None and dims["a.two"]["blind_spot"] is False
