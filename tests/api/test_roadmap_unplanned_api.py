"""The roadmap API never fails on incomplete data: initiatives without a duration, and
those waiting on them, are listed in `unplanned` with their reasons while every read built
on the plan goes on; under limited capacity `slack_weeks` is what a re-simulation
confirms (numbers worked by hand)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.api.roadmap_helpers import TEXTBOOK, TEXTBOOK_EDGES, add_network
from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Initiative

START = "2025-01-06"


@pytest.fixture
def ids(org):
    """The textbook network where C has no duration yet (so F, E and G wait on it)."""
    return add_network(org, {**TEXTBOOK, "C": None}, TEXTBOOK_EDGES)


def url(org_id: int, suffix: str) -> str:
    return f"/api/v1/orgs/{org_id}{suffix}"


def test_the_roadmap_plans_what_it_can_and_lists_the_rest_with_reasons(lead, org, ids):
    fresh = lead.post(url(org, "/initiatives"), json={"title": "Fresh idea"})
    assert fresh.status_code == 201, fresh.json

    response = lead.get(url(org, f"/roadmap?start={START}"))

    assert response.status_code == 200, response.json
    body = response.json
    assert [i["title"] for i in body["initiatives"]] == ["A", "B", "D"]
    assert (body["makespan_weeks"], body["end"]) == (11.0, "2025-03-24")
    assert body["critical_path"] == {"initiative_ids": [ids["A"], ids["B"], ids["D"]],
                                     "duration_weeks": 11.0}
    assert body["unplanned"] == [
        {"initiative_id": ids["C"], "title": "C", "reasons": ["no_duration"],
         "prerequisite_ids": []},
        {"initiative_id": ids["F"], "title": "F", "reasons": ["depends_on_unplanned"],
         "prerequisite_ids": [ids["C"]]},
        {"initiative_id": ids["E"], "title": "E", "reasons": ["depends_on_unplanned"],
         "prerequisite_ids": [ids["F"]]},
        {"initiative_id": ids["G"], "title": "G", "reasons": ["depends_on_unplanned"],
         "prerequisite_ids": [ids["E"]]},
        {"initiative_id": fresh.json["id"], "title": "Fresh idea", "reasons": ["no_duration"],
         "prerequisite_ids": []}]


def test_a_fresh_organization_with_done_work_and_a_bare_idea_has_a_roadmap(lead, org):
    """Done last month (2024-12-02 to 2024-12-23) and an idea with only a title: nothing
    is left to plan, nothing ends after the start, so there is no critical path."""
    ids = add_network(org, {"Done": None, "Idea": None}, [],
                      Done={"status": "done", "actual_start": date(2024, 12, 2),
                            "actual_end": date(2024, 12, 23)})

    for query in ("", "&capacity=1"):
        response = lead.get(url(org, f"/roadmap?start={START}{query}"))

        assert response.status_code == 200, response.json
        body = response.json
        assert (body["makespan_weeks"], body["end"]) == (0.0, START)
        assert body["critical_path"] == {"initiative_ids": [], "duration_weeks": 0.0}
        assert [(i["title"], i["slack_weeks"], i["critical"]) for i in body["initiatives"]] == [
            ("Done", 2.0, False)]
        assert [u["initiative_id"] for u in body["unplanned"]] == [ids["Idea"]]


def test_the_exports_hold_the_planned_initiatives(lead, org, ids):
    exported = lead.get(url(org, f"/roadmap.csv?start={START}"))
    calendar = lead.get(url(org, f"/roadmap.ics?start={START}"))

    assert (exported.status_code, calendar.status_code) == (200, 200)
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [(r["title"], r["start"], r["end"]) for r in rows] == [
        ("A", "2025-01-06", "2025-02-17"), ("B", "2025-02-17", "2025-03-03"),
        ("D", "2025-03-03", "2025-03-24")]
    assert calendar.get_data(as_text=True).count("BEGIN:VEVENT") == 3


def test_a_baseline_compares_with_a_plan_that_left_initiatives_out(lead, org, ids):
    db.session.get(Initiative, ids["C"]).duration_weeks = 2.0
    db.session.commit()
    saved = lead.post(url(org, "/roadmap/baselines"), json={"name": "Full", "start": START})
    assert saved.status_code == 201, saved.json
    db.session.get(Initiative, ids["C"]).duration_weeks = None
    db.session.commit()

    compared = lead.get(url(org, f"/roadmap/baselines/{saved.json['id']}/compare"))

    assert compared.status_code == 200, compared.json
    assert {i["title"]: i["status"] for i in compared.json["items"]} == {
        "A": "on_time", "B": "on_time", "C": "unplanned", "D": "on_time", "F": "unplanned",
        "E": "unplanned", "G": "unplanned"}
    before = lead.post(url(org, "/roadmap/baselines"), json={"name": "Partial"})
    assert before.status_code == 201, before.json


def test_what_if_and_impact_work_around_the_unplanned(lead, org, ids):
    dropped = lead.post(url(org, "/roadmap/what-if"), json={"start": START, "drop": [ids["C"]]})

    # Without C, F follows A: F 6-8, E after D (11) 11-15, G 15-16.
    assert dropped.status_code == 200, dropped.json
    assert (dropped.json["makespan_before"], dropped.json["makespan_after"]) == (11.0, 16.0)
    assert dropped.json["unplanned"] == []
    kept = lead.post(url(org, "/roadmap/what-if"), json={"start": START, "delay": {ids["B"]: 1}})
    assert [u["title"] for u in kept.json["unplanned"]] == ["C", "F", "E", "G"]
    impact = lead.get(url(org, f"/initiatives/{ids['C']}/impact?weeks=3&start={START}"))
    assert impact.status_code == 200, impact.json
    assert impact.json["makespan_change"] == 0.0
    assert [d["title"] for d in impact.json["dependents"]] == ["F", "E", "G"]


def test_the_trajectory_projects_the_planned_and_names_the_unplanned(lead, admin):
    scenario = Scenario(lead, admin)
    org = scenario.org["id"]
    assert lead.patch(scenario.assessment_url(), json={"status": "open"}).status_code == 200
    respondent = scenario.add_respondent()
    assert scenario.rate([{"respondent_id": respondent, "dimension": "a.one",
                           "value": 3}]).status_code == 200
    assert lead.patch(scenario.assessment_url(), json={"status": "closed"}).status_code == 200
    ids = add_network(org, {"X": 2, "Y": None}, [])

    response = lead.get(url(org, f"/roadmap/trajectory?framework_id="
                                 f"{scenario.framework['id']}&start={START}"))

    assert response.status_code == 200, response.json
    # X (2 weeks) is planned: three proposed phases of the 14 days, ending with the plan.
    assert [c["date"] for c in response.json["checkpoints"]] == [
        "2025-01-11", "2025-01-15", "2025-01-20"]
    assert response.json["unplanned"] == [{"initiative_id": ids["Y"], "title": "Y",
                                           "reasons": ["no_duration"],
                                           "prerequisite_ids": []}]


def test_under_capacity_the_slack_is_what_a_delay_can_take(lead, org):
    """One at a time, X (5 weeks, created first) runs 0-5 and Y (1 week) 5-6. The network
    alone gave Y 4 weeks of slack, yet a week's delay leaves the team idle and the end
    moves; X may start a week later (Y goes first) but not two."""
    ids = add_network(org, {"X": 5, "Y": 1}, [])
    plan = lead.get(url(org, f"/roadmap?start={START}&capacity=1")).json

    assert {i["title"]: (i["slack_weeks"], i["critical"], i["slack_verified"])
            for i in plan["initiatives"]} == {"X": (1.0, False, True), "Y": (0.0, True, True)}

    def change(name: str, weeks: float) -> float:
        body = lead.post(url(org, "/roadmap/what-if"),
                         json={"start": START, "capacity": 1, "delay": {ids[name]: weeks}}).json
        return body["makespan_change"]

    assert (change("Y", 0), change("Y", 1), change("X", 1), change("X", 2)) == (
        0.0, 1.0, 0.0, 1.0)
