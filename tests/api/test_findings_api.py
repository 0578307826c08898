"""Findings: CRUD over the API and suggestions by the rules of DESIGN section 3."""

from __future__ import annotations

import pytest

from tests.builders import Scenario

# Three leaders (level leader, role lead, source interview) and three team members (level
# team, role engineer, source survey), all in team claims.
RATINGS = {
    # leaders 5,5,5 / team 2,2,2: score 3.5, stdev 1.5; groups and sources 3 apart
    "a.one": [5, 5, 5, 2, 2, 2],
    # dispersion only: 1,5,3 twice: mean 3, variance (4+4+0)·2/6 = 8/3, stdev ≈ 1.63
    "a.two": [1, 5, 3, 1, 5, 3],
    # sources disagree by 1.0 (interview 3, survey 2) with a stdev of only 0.5
    "b.one": [3, 3, 3, 2, 2, 2],
    # score 4: a strength
    "b.two": [4, 4, 4, 4, 4, 4],
}


@pytest.fixture
def scenario(lead, admin) -> Scenario:
    scenario = Scenario(lead, admin)
    leaders = [scenario.add_respondent(f"L{i}", level="leader", role="lead", source="interview")
               for i in range(3)]
    team = [scenario.add_respondent(f"T{i}", level="team", role="engineer", source="survey")
            for i in range(3)]
    rows = [{"respondent_id": who, "dimension": code, "value": value}
            for code, values in RATINGS.items()
            for who, value in zip(leaders + team, values, strict=True)]
    assert scenario.rate(rows).status_code == 200
    response = lead.put(scenario.url("/targets"), json={
        "framework_id": scenario.framework["id"],
        "targets": [{"dimension": "a.two", "level": 5}]})
    assert response.status_code == 200
    return scenario


def _suggest(scenario: Scenario) -> dict:
    response = scenario.api.post(scenario.assessment_url("/findings/suggest"))
    assert response.status_code == 200, response.json
    return response.json


def test_suggestions_follow_the_rules_with_their_numbers(scenario):
    result = _suggest(scenario)
    found = {f["suggestion_key"]: f for f in result["created"]}

    assert sorted(found) == sorted([
        "strength:b.two", "gap:a.two", "tension:a.one", "tension:a.two", "tension:b.one",
        "blind_spot:a.one", "blind_spot:b.one"])
    assert all(f["status"] == "suggested" for f in found.values())
    assert found["gap:a.two"]["metrics"]["target_gap"] == 2.0  # 5 - 3
    assert found["gap:a.two"]["dimensions"] == ["a.two"]
    assert found["strength:b.two"]["metrics"]["score"] == 4.0
    # tension by dispersion alone
    a_two = found["tension:a.two"]["metrics"]
    assert a_two["triggers"] == ["dispersion"]
    assert a_two["stdev"] == pytest.approx((8 / 3) ** 0.5, rel=1e-15)
    # tension by source disagreement (stdev 0.5 is below 1: no dispersion trigger)
    b_one = found["tension:b.one"]["metrics"]
    assert "dispersion" not in b_one["triggers"]
    assert {"source_spread", "perception:source"} <= set(b_one["triggers"])
    assert b_one["source_spread"] == 1.0
    assert b_one["source_means"] == {"interview": 3.0, "survey": 2.0}
    assert found["tension:a.one"]["metrics"]["stdev"] == 1.5
    # blind spots: leaders 5 vs others 2, and 3 vs 2
    assert found["blind_spot:a.one"]["metrics"]["difference"] == 3.0
    assert found["blind_spot:b.one"]["metrics"]["difference"] == 1.0
    assert result["skipped"] == 0


def test_suggesting_twice_does_not_duplicate_and_a_dismissed_one_stays_dismissed(scenario):
    first = _suggest(scenario)
    tension = next(f for f in first["created"] if f["suggestion_key"] == "tension:a.two")
    response = scenario.api.patch(scenario.url(f"/findings/{tension['id']}"),
                                  json={"status": "dismissed"})
    assert response.status_code == 200

    second = _suggest(scenario)

    assert second == {"created": [], "skipped": 7, "skipped_dismissed": 1}
    listed = scenario.api.get(scenario.url(
        f"/findings?assessment_id={scenario.assessment['id']}&per_page=200")).json
    assert listed["total"] == 7
    assert scenario.api.get(scenario.url(f"/findings/{tension['id']}")).json["status"] \
        == "dismissed"


def test_findings_list_filters_by_kind_and_status(scenario):
    _suggest(scenario)

    tensions = scenario.api.get(scenario.url("/findings?kind=tension")).json
    accepted = scenario.api.get(scenario.url("/findings?status=accepted")).json
    page = scenario.api.get(scenario.url("/findings?per_page=2&page=2")).json

    assert tensions["total"] == 3
    assert accepted["total"] == 0
    assert page["total"] == 7 and len(page["items"]) == 2


def test_create_edit_and_accept_a_finding_with_evidence(scenario):
    evidence = scenario.api.post(scenario.assessment_url("/evidence"), json={
        "text": "We never meet users.", "dimensions": ["a.one"], "tone": "pain"}).json

    response = scenario.api.post(scenario.url("/findings"), json={
        "kind": "gap", "title": "No discovery", "dimensions": ["a.one", "a.two"],
        "assessment_id": scenario.assessment["id"], "evidence_ids": [evidence["id"]]})

    assert response.status_code == 201, response.json
    finding = response.json
    assert finding["dimensions"] == ["a.one", "a.two"]
    assert finding["evidence_ids"] == [evidence["id"]]
    assert finding["status"] == "accepted"
    patched = scenario.api.patch(scenario.url(f"/findings/{finding['id']}"), json={
        "title": "Ideas go straight to build", "kind": "tension", "dimensions": ["b.one"],
        "evidence_ids": []}).json
    assert (patched["title"], patched["kind"], patched["dimensions"],
            patched["evidence_ids"]) == ("Ideas go straight to build", "tension", ["b.one"], [])


def test_unknown_dimension_kind_or_evidence_is_rejected(scenario):
    response = scenario.api.post(scenario.url("/findings"), json={
        "kind": "gap", "title": "X", "dimensions": ["nope"],
        "assessment_id": scenario.assessment["id"]})
    assert response.status_code == 422
    assert "dimensions" in response.json["errors"]

    response = scenario.api.post(scenario.url("/findings"), json={
        "kind": "gap", "title": "X", "evidence_ids": [99999]})
    assert response.status_code == 422
    assert "evidence_ids" in response.json["errors"]

    response = scenario.api.post(scenario.url("/findings"), json={"kind": "worry", "title": "X"})
    assert response.status_code == 422
    assert "kind" in response.json["errors"]


def test_another_organizations_finding_is_not_found(scenario, make_api):
    _suggest(scenario)
    finding_id = scenario.api.get(scenario.url("/findings")).json["items"][0]["id"]
    outsider = make_api("outsider@example.org")
    own = outsider.post("/api/v1/orgs", json={"name": "Elsewhere"}).json

    response = outsider.get(f"/api/v1/orgs/{own['id']}/findings/{finding_id}")

    assert response.status_code == 404
