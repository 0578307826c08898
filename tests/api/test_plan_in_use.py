"""One plan everywhere: the organization's plan settings (start, capacity) are saved by
leads, and the trajectory and the barometer's projection plan with them, or with a named
baseline, or with the query's own parameters, and say which (`plan`); what the plan leaves
out is listed, never a failure.

The numbers, by hand. Grid: axis a (weight 1) with a.one (1) and a.two (3), axis b (weight
2) with b.one and b.two (1 each). Ratings a.one 4, a.two 2, b.one 3, b.two 1: a = (4 + 6)/4
= 2.5, b = 2, overall (2.5 + 2·2)/3 = 6.5/3. X (2 weeks) lifts a.one by 2, Y (3 weeks) lifts
b.two by 1.5, no dependency, so X goes first under capacity 1 (same priority, lower id).
Phases end P1 2025-02-03 and P2 2025-03-03; the plan starts 2025-01-06.

* unlimited: X ends 01-20, Y 01-27, both by P1: a.one 5 → a = (5 + 6)/4 = 2.75, b.two 2.5 →
  b = 2.75, overall (2.75 + 5.5)/3 = 2.75 at P1 and at P2.
* capacity 1: X 01-06 → 01-20, Y 01-20 → 02-10: P1 has X only, overall (2.75 + 4)/3 = 2.25;
  P2 both, 2.75.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.api.roadmap_helpers import add_network
from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Dimension, Initiative, Organization, Uplift
from tracker.services.tenancy import organizations

START = "2025-01-06"


@pytest.fixture
def planned(lead, admin) -> dict[str, Any]:
    """The scenario of the module docstring: a closed assessment, X and Y, two phases."""
    scenario = Scenario(lead, admin)
    org = scenario.org["id"]
    assert lead.patch(scenario.assessment_url(), json={"status": "open"}).status_code == 200
    respondent = scenario.add_respondent()
    rated = scenario.rate([{"respondent_id": respondent, "dimension": code, "value": value}
                           for code, value in
                           {"a.one": 4, "a.two": 2, "b.one": 3, "b.two": 1}.items()])
    assert rated.status_code == 200, rated.json
    assert lead.patch(scenario.assessment_url(), json={"status": "closed"}).status_code == 200
    ids = add_network(org, {"X": 2, "Y": 3}, [])
    dimension = {d.code: d.id for d in db.session.query(Dimension).filter(
        Dimension.framework_id == scenario.framework["id"])}
    db.session.add_all([
        Uplift(initiative_id=ids["X"], dimension_id=dimension["a.one"], expected=2.0),
        Uplift(initiative_id=ids["Y"], dimension_id=dimension["b.two"], expected=1.5)])
    db.session.commit()
    assert lead.put(scenario.url("/phases"), json=[
        {"name": "P1", "start": "2025-01-06", "end": "2025-02-03"},
        {"name": "P2", "start": "2025-02-03", "end": "2025-03-03"}]).status_code == 200
    return {"scenario": scenario, "ids": ids, "framework": scenario.framework["id"]}


def trajectory(api, planned: dict[str, Any], query: str = "") -> Any:
    return api.get(planned["scenario"].url(
        f"/roadmap/trajectory?framework_id={planned['framework']}{query}"))


def overall_by_phase(body: dict[str, Any]) -> dict[str, float]:
    return {point["phase"]: point["overall"] for point in body["checkpoints"]}


def save_plan(api, planned: dict[str, Any], **settings: Any) -> Any:
    return api.patch(planned["scenario"].url(), json=settings)


# Settings ----------------------------------------------------------------------------------

def test_a_lead_saves_and_clears_the_plan_settings(lead, planned):
    response = save_plan(lead, planned, plan_start=START, plan_capacity=2, plan_points=3.5)
    assert response.status_code == 200, response.json
    assert {k: response.json[k] for k in ("plan_start", "plan_capacity", "plan_points")} == {
        "plan_start": START, "plan_capacity": 2, "plan_points": 3.5}
    read = lead.get(planned["scenario"].url()).json
    assert (read["plan_start"], read["plan_capacity"], read["plan_points"]) == (START, 2, 3.5)

    cleared = save_plan(lead, planned, plan_capacity=None, plan_points=None).json
    assert (cleared["plan_start"], cleared["plan_capacity"], cleared["plan_points"]) == (
        START, None, None)


def test_a_new_organization_has_no_plan_settings(lead):
    body = lead.post("/api/v1/orgs", json={"name": "Fresh"}).json
    assert (body["plan_start"], body["plan_capacity"], body["plan_points"]) == (None, None, None)


def test_bad_plan_settings_are_422_naming_every_field(lead, planned):
    response = save_plan(lead, planned, plan_start="06/01/2025", plan_capacity=0,
                         plan_points=-1)
    assert response.status_code == 422
    assert {"plan_start", "plan_capacity", "plan_points"} <= set(response.json["errors"])


def test_only_leads_change_the_plan_settings(lead, planned, make_api):
    ops = make_api("ops@example.org")
    org = db.session.get(Organization, planned["scenario"].org["id"])
    organizations.add_member(org, "ops@example.org", "ops")
    assert save_plan(ops, planned, plan_capacity=1).status_code == 403
    assert lead.get(planned["scenario"].url()).json["plan_capacity"] is None


# The trajectory ----------------------------------------------------------------------------

def test_without_settings_the_trajectory_plans_from_today_unlimited_and_says_default(
        lead, planned):
    body = trajectory(lead, planned).json
    assert body["plan"] == {"source": "default", "start": datetime.now(UTC).date().isoformat(),
                            "capacity": None, "points": None, "baseline": None}


def test_the_trajectory_plans_with_the_saved_settings(lead, planned):
    assert save_plan(lead, planned, plan_start=START, plan_capacity=1).status_code == 200
    body = trajectory(lead, planned).json
    assert body["plan"] == {"source": "settings", "start": START, "capacity": 1,
                            "points": None, "baseline": None}
    assert overall_by_phase(body) == {"P1": 2.25, "P2": 2.75}
    first, second = body["checkpoints"]
    assert first["finished"] == [planned["ids"]["X"]]
    assert second["finished"] == sorted(planned["ids"].values())


def test_saved_settings_without_capacity_plan_unlimited(lead, planned):
    assert save_plan(lead, planned, plan_start=START).status_code == 200
    body = trajectory(lead, planned).json
    assert body["plan"]["source"] == "settings" and body["plan"]["capacity"] is None
    assert overall_by_phase(body) == {"P1": 2.75, "P2": 2.75}


def test_the_query_parameters_win_and_say_request(lead, planned):
    assert save_plan(lead, planned, plan_start=START, plan_capacity=1).status_code == 200
    body = trajectory(lead, planned, f"&start={START}").json
    assert body["plan"] == {"source": "request", "start": START, "capacity": None,
                            "points": None, "baseline": None}
    assert overall_by_phase(body) == {"P1": 2.75, "P2": 2.75}


def test_a_named_baseline_plans_with_its_own_start_and_capacity(lead, planned):
    scenario = planned["scenario"]
    created = lead.post(scenario.url("/roadmap/baselines"),
                        json={"name": "Q1 commitment", "start": START, "capacity": 1})
    assert created.status_code == 201, created.json
    assert save_plan(lead, planned, plan_start=START).status_code == 200  # unlimited

    body = trajectory(lead, planned, "&baseline=Q1 commitment").json
    assert body["plan"] == {"source": "baseline", "start": START, "capacity": 1,
                            "points": None, "baseline": "Q1 commitment"}
    assert overall_by_phase(body) == {"P1": 2.25, "P2": 2.75}
    assert overall_by_phase(trajectory(lead, planned).json) == {"P1": 2.75, "P2": 2.75}


def test_an_unknown_baseline_or_a_baseline_with_parameters_is_422(lead, planned):
    response = trajectory(lead, planned, "&baseline=nope")
    assert response.status_code == 422 and "baseline" in response.json["errors"]
    lead.post(planned["scenario"].url("/roadmap/baselines"), json={"name": "B", "start": START})
    response = trajectory(lead, planned, "&baseline=B&capacity=2")
    assert response.status_code == 422 and "baseline" in response.json["errors"]


# The barometer -----------------------------------------------------------------------------

def barometer(api, planned: dict[str, Any], query: str = "") -> Any:
    return api.get(planned["scenario"].url(f"/barometer?framework_id={planned['framework']}"
                                           f"{query}"))


def test_the_barometer_projects_with_the_saved_settings_and_says_so(lead, planned):
    assert save_plan(lead, planned, plan_start=START, plan_capacity=1).status_code == 200
    body = barometer(lead, planned).json
    assert body["plan"] == {"source": "settings", "start": START, "capacity": 1,
                            "points": None, "baseline": None}
    assert [(p["phase"], p["overall"]) for p in body["projected"]] == [("P1", 2.25),
                                                                        ("P2", 2.75)]
    assert body["projected"] == trajectory(lead, planned).json["checkpoints"]
    assert body["unplanned"] == [] and body["projection_error"] is None


def test_the_barometer_projects_with_a_named_baseline(lead, planned):
    lead.post(planned["scenario"].url("/roadmap/baselines"),
              json={"name": "Tight", "start": START, "capacity": 1})
    assert save_plan(lead, planned, plan_start=START).status_code == 200
    body = barometer(lead, planned, "&baseline=Tight").json
    assert body["plan"]["source"] == "baseline" and body["plan"]["baseline"] == "Tight"
    assert [p["overall"] for p in body["projected"]] == [2.25, 2.75]
    assert barometer(lead, planned, "&baseline=missing").status_code == 422


def test_an_empty_barometer_projects_nothing_and_names_no_plan(lead):
    org = lead.post("/api/v1/orgs", json={"name": "Empty"}).json["id"]
    body = lead.get(f"/api/v1/orgs/{org}/barometer").json
    assert body["projected"] == [] and body["plan"] is None and body["unplanned"] == []


# What the plan leaves out ------------------------------------------------------------------

def test_an_initiative_without_duration_is_left_out_not_a_failure(lead, planned):
    idea = Initiative(org_id=planned["scenario"].org["id"], title="Fresh idea",
                      status="proposed")
    db.session.add(idea)
    db.session.commit()
    idea_id = idea.id
    assert save_plan(lead, planned, plan_start=START, plan_capacity=1).status_code == 200

    response = trajectory(lead, planned)
    assert response.status_code == 200, response.json
    assert overall_by_phase(response.json) == {"P1": 2.25, "P2": 2.75}
    [left_out] = response.json["unplanned"]
    assert (left_out["initiative_id"], left_out["title"]) == (idea_id, "Fresh idea")
    assert left_out["reasons"]

    body = barometer(lead, planned).json
    assert [p["overall"] for p in body["projected"]] == [2.25, 2.75]
    assert [u["title"] for u in body["unplanned"]] == ["Fresh idea"]
