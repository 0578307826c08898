"""The forecast of the roadmap, the three-point estimate of an initiative, the alignment
trend and the calibration, through the API (DESIGN sections 3 and 5)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import Scenario, closed_with_levels
from tracker.extensions import db
from tracker.models import Initiative, Uplift
from tracker.services.frame import frameworks


def _org(lead) -> int:
    return lead.post("/api/v1/orgs", json={"name": "Acme"}).json["id"]


def test_an_estimate_is_written_read_and_cleared(lead):
    org = _org(lead)
    created = lead.post(f"/api/v1/orgs/{org}/initiatives", json={
        "title": "Role cards", "duration_weeks": 4,
        "estimate": {"optimistic": 3, "likely": 4, "pessimistic": 8}})
    assert created.status_code == 201, created.json
    assert created.json["estimate"] == {"optimistic": 3.0, "likely": 4.0, "pessimistic": 8.0}
    url = f"/api/v1/orgs/{org}/initiatives/{created.json['id']}"
    bad = lead.patch(url, json={"estimate": {"optimistic": 5, "likely": 4, "pessimistic": 8}})
    assert bad.status_code == 422
    assert list(bad.json["errors"]) == ["estimate.likely"]
    cleared = lead.patch(url, json={"estimate": None})
    assert cleared.status_code == 200 and cleared.json["estimate"] is None


def test_the_forecast_of_a_chain_is_seeded_and_ordered(lead):
    org = _org(lead)
    base = f"/api/v1/orgs/{org}/initiatives"
    first = lead.post(base, json={"title": "Roles", "status": "approved", "duration_weeks": 4,
                                  "estimate": {"optimistic": 2, "likely": 4,
                                               "pessimistic": 12}}).json["id"]
    second = lead.post(base, json={"title": "Rituals", "status": "approved",
                                   "duration_weeks": 6}).json["id"]
    assert lead.post(f"/api/v1/orgs/{org}/dependencies", json={
        "prerequisite_id": first, "dependent_id": second}).status_code == 201
    query = {"start": "2027-01-04", "runs": 4000, "seed": 3}
    answer = lead.get(f"/api/v1/orgs/{org}/roadmap/forecast", query_string=query)
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["runs"] == 4000 and body["seed"] == 3 and body["estimated"] == 1
    spread = body["makespan_weeks"]
    # PERT (2, 4, 12): mean 5, so the chain's mean is 11 weeks and its P50 a little under
    # (the Beta is skewed right); P50 ≤ P85 ≤ P95, all between 2 + 6 and 12 + 6
    assert 8 <= spread["p50"] <= spread["p85"] <= spread["p95"] <= 18
    assert body["deterministic_makespan_weeks"] == 10
    again = lead.get(f"/api/v1/orgs/{org}/roadmap/forecast", query_string=query).json
    assert again == body
    ends = {row["initiative_id"]: row for row in body["initiatives"]}
    assert ends[first]["end_p50"] <= ends[first]["end_p85"] <= ends[second]["end_p85"]
    assert all(0 <= phase["probability"] <= 1 for phase in body["phases"])


def test_too_many_runs_are_refused_with_the_field(lead):
    org = _org(lead)
    answer = lead.get(f"/api/v1/orgs/{org}/roadmap/forecast", query_string={"runs": 10 ** 6})
    assert answer.status_code == 422
    assert "runs" in str(answer.json["errors"])


def test_the_alignment_gap_closes_and_names_the_initiatives(lead, admin):
    scenario = Scenario(lead, admin)
    leaders = [("L1", "leader"), ("L2", "leader"), ("L3", "leader")]
    teams = [("T1", "team"), ("T2", "team"), ("T3", "team")]
    # January: leaders 5, 5, 4 (4.667), teams 2, 2, 3 (2.333): gap 2.3333
    first = closed_with_levels(lead, scenario, "Q1", dict(zip(leaders + teams, [5, 5, 4, 2, 2, 3],
                                                   strict=True)), date(2027, 1, 1))
    # 182.625 days later (two quarters): leaders 4, 4, 4, teams 3, 3, 3: gap 1.0
    second = closed_with_levels(lead, scenario, "Q3", dict(zip(leaders + teams, [4, 4, 4, 3, 3, 3],
                                                    strict=True)), date(2027, 7, 2))
    dims = frameworks.dimensions_by_code(frameworks.load_framework(scenario.framework["id"]))
    initiative = Initiative(org_id=scenario.org["id"], title="Mirror", status="approved")
    db.session.add(initiative)
    db.session.flush()
    initiative_id = initiative.id
    db.session.add(Uplift(initiative_id=initiative_id, dimension_id=dims["a.one"].id,
                          expected=0.5))
    db.session.commit()

    body = lead.get(scenario.url("/barometer/alignment")).json
    row = next(d for d in body["dimensions"] if d["code"] == "a.one")
    assert [p["assessment_id"] for p in row["points"]] == [first, second]
    assert [p["gap"] for p in row["points"]] == pytest.approx([7 / 3, 1.0])
    # slope: (1 − 7/3) over 182 days = 1.9932 quarters (91.3125 days each)
    assert row["change_per_quarter"] == pytest.approx((1 - 7 / 3) / (182 / 91.3125))
    assert row["initiative_ids"] == [initiative_id]
    # a.two has no rating: no gap, no trend
    other = next(d for d in body["dimensions"] if d["code"] == "a.two")
    assert other["change_per_quarter"] is None


def test_calibration_without_finished_work_is_empty(lead, admin):
    scenario = Scenario(lead, admin)
    body = lead.get(scenario.url("/barometer/calibration")).json
    assert body["n"] == 0 and body["ratio"] is None and body["factor"] is None
    assert body["templates"] == []


def test_a_partial_estimate_is_refused_naming_the_missing_points(lead):
    org = _org(lead)
    created = lead.post(f"/api/v1/orgs/{org}/initiatives", json={"title": "Rituals"}).json
    answer = lead.patch(f"/api/v1/orgs/{org}/initiatives/{created['id']}",
                        json={"estimate": {"optimistic": 2}})
    assert answer.status_code == 422
    assert sorted(answer.json["errors"]) == ["estimate.likely", "estimate.pessimistic"]
