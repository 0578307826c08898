"""The pilot effect at each re-assessment: perimeter minus the rest (DESIGN section 3)."""

from __future__ import annotations

from tests.builders import Scenario


def _rated_and_closed(lead, scenario, inside: list[float], outside: list[float]) -> None:
    rows = []
    for team, values in (("pilot", inside), ("other", outside)):
        for k, value in enumerate(values):
            rid = scenario.add_respondent(f"{team}-{k}", team=team)
            rows.append({"respondent_id": rid, "dimension": "a.one", "value": value})
    assert scenario.rate(rows).status_code == 200
    for status in ("open", "closed"):
        assert lead.patch(scenario.assessment_url(), json={"status": status}).status_code == 200


def _pilot(lead, scenario) -> int:
    initiative = lead.post(scenario.url("/initiatives"), json={
        "title": "Release autonomy", "uplifts": [{"dimension": "a.one", "expected": 0.5}]})
    assert initiative.status_code == 201, initiative.json
    pilot = lead.post(scenario.url(f"/initiatives/{initiative.json['id']}/pilots"), json={
        "teams": ["pilot"], "start": "2026-01-05", "hypothesis": "Teams release alone."})
    assert pilot.status_code == 201, pilot.json
    return pilot.json["id"]


def test_the_effect_is_the_perimeter_mean_minus_the_rest(lead, admin):
    scenario = Scenario(lead, admin)
    _rated_and_closed(lead, scenario, inside=[4, 4, 5], outside=[2, 3, 2, 1])
    pilot_id = _pilot(lead, scenario)

    report = lead.get(scenario.url("/barometer/pilot-effects")).json

    (pilot,) = report["pilots"]
    assert pilot["pilot_id"] == pilot_id and pilot["dimensions"] == ["a.one"]
    (measure,) = pilot["measures"]
    # inside (4 + 4 + 5) / 3 = 13/3 ; outside (2 + 3 + 2 + 1) / 4 = 2; no assessment was
    # closed before the pilot's start: no difference before, so no effect (DESIGN section 3)
    assert measure["difference_now"] == 13 / 3 - 2
    assert measure["effect"] is None and measure["difference_before"] is None
    assert measure["sizes"] == {"pilot_now": 3, "rest_now": 4}
    assert "No closed assessment before the pilot's start" in measure["reason"]
    assert measure["per_dimension"] == {"a.one": 13 / 3 - 2}
    assert (measure["inside_n"], measure["outside_n"]) == (3, 4)
    assert "association" in report["note"]


def test_a_perimeter_below_the_minimum_group_size_shows_no_effect(lead, admin):
    scenario = Scenario(lead, admin)
    _rated_and_closed(lead, scenario, inside=[5, 5], outside=[1, 1, 1])
    _pilot(lead, scenario)

    (measure,) = lead.get(scenario.url("/barometer/pilot-effects")).json["pilots"][0]["measures"]

    assert measure["effect"] is None and measure["difference_now"] is None
    assert measure["per_dimension"] == {"a.one": None}
    assert "Pilot teams, now: 2 respondent(s), under the minimum of 3" in measure["reason"]
