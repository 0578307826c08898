"""The roadmap API on the textbook critical-path network (numbers worked by hand)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlalchemy import event

from tests.api.roadmap_helpers import TEXTBOOK, TEXTBOOK_EDGES, add_network
from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Dimension, Initiative, Uplift

START = "2025-01-06"


@pytest.fixture
def org(lead):
    response = lead.post("/api/v1/orgs", json={"name": "Acme"})
    assert response.status_code == 201
    return response.json["id"]


@pytest.fixture
def textbook(org):
    return add_network(org, TEXTBOOK, TEXTBOOK_EDGES)


def url(org_id: int, suffix: str) -> str:
    return f"/api/v1/orgs/{org_id}{suffix}"


def by_title(body):
    return {item["title"]: item for item in body["initiatives"]}


def test_the_textbook_network_has_its_known_critical_path_slack_and_dates(lead, org, textbook):
    response = lead.get(url(org, f"/roadmap?start={START}"))
    assert response.status_code == 200, response.json
    body = response.json
    ids = textbook
    assert body["critical_path"] == {
        "initiative_ids": [ids[n] for n in "ABDEG"], "duration_weeks": 16.0}
    assert body["makespan_weeks"] == 16.0
    items = by_title(body)
    assert {n: items[n]["slack_weeks"] for n in "ABCDEFG"} == {
        "A": 0.0, "B": 0.0, "C": 1.0, "D": 0.0, "E": 0.0, "F": 1.0, "G": 0.0}
    assert {n for n in items if items[n]["critical"]} == set("ABDEG")
    assert {n: items[n]["wave"] for n in "ABCDEFG"} == {
        "A": 0, "B": 1, "C": 1, "D": 2, "F": 2, "E": 3, "G": 4}
    # dates = start + weeks × 7 days; ends are exclusive
    assert {n: (items[n]["start"], items[n]["end"]) for n in "ABCDEFG"} == {
        "A": ("2025-01-06", "2025-02-17"), "B": ("2025-02-17", "2025-03-03"),
        "C": ("2025-02-17", "2025-03-03"), "D": ("2025-03-03", "2025-03-24"),
        "F": ("2025-03-03", "2025-03-17"), "E": ("2025-03-24", "2025-04-21"),
        "G": ("2025-04-21", "2025-04-28")}


def test_without_phases_the_roadmap_proposes_three_equal_ones(lead, org, textbook):
    body = lead.get(url(org, f"/roadmap?start={START}")).json
    # 16 weeks = 112 days split at days 37 and 75
    assert body["phases"] == [
        {"name": "Phase 1", "start": "2025-01-06", "end": "2025-02-12", "proposed": True},
        {"name": "Phase 2", "start": "2025-02-12", "end": "2025-03-22", "proposed": True},
        {"name": "Phase 3", "start": "2025-03-22", "end": "2025-04-28", "proposed": True}]
    items = by_title(body)
    assert {n: items[n]["phase"] for n in "ABCDEFG"} == {
        "A": "Phase 2", "B": "Phase 2", "C": "Phase 2", "D": "Phase 3", "F": "Phase 2",
        "E": "Phase 3", "G": "Phase 3"}


def test_unlimited_capacity_makespan_is_the_critical_path_and_capacity_one_the_sum(
        lead, org, textbook):
    unlimited = lead.get(url(org, f"/roadmap?start={START}")).json
    assert unlimited["makespan_weeks"] == unlimited["critical_path"]["duration_weeks"] == 16.0
    one = lead.get(url(org, f"/roadmap?start={START}&capacity=1")).json
    assert one["makespan_weeks"] == sum(TEXTBOOK.values()) == 20.0
    spans = sorted((item["start"], item["end"]) for item in one["initiatives"])
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_capacity_points_are_spent_against_load(lead, org):
    add_network(org, {"X": 2, "Y": 2, "Z": 2}, [],
                X={"load": 3.0}, Y={"load": 2.0}, Z={"load": 2.0})
    body = lead.get(url(org, f"/roadmap?start={START}&points=4")).json
    # X (3) alone fills 4 points with nobody else fitting; then Y + Z (4) together
    assert body["makespan_weeks"] == 4.0
    assert {i["title"]: i["start"] for i in body["initiatives"]} == {
        "X": "2025-01-06", "Y": "2025-01-20", "Z": "2025-01-20"}


def test_dropped_initiatives_leave_the_plan_and_done_ones_keep_their_dates(lead, org):
    ids = add_network(org, {"P": 2, "Q": 3, "R": 1}, [("P", "Q"), ("Q", "R")],
                      P={"status": "done", "actual_start": date(2024, 12, 2),
                         "actual_end": date(2024, 12, 30)},
                      Q={"status": "dropped"})
    body = lead.get(url(org, f"/roadmap?start={START}")).json
    items = by_title(body)
    assert set(items) == {"P", "R"}
    assert (items["P"]["start"], items["P"]["end"]) == ("2024-12-02", "2024-12-30")
    assert items["R"]["start"] == START and ids["Q"] not in body["critical_path"]


def test_start_defaults_to_today(lead, org, textbook):
    body = lead.get(url(org, "/roadmap")).json
    assert by_title(body)["A"]["start"] == date.today().isoformat()


@pytest.mark.parametrize(("query", "field"), [
    ("capacity=0", "capacity"), ("capacity=-2", "capacity"), ("points=0", "points"),
    ("points=-1.5", "points"), ("start=tomorrow", "start"), ("start=2025-02-30", "start")])
def test_bad_plan_parameters_are_422_naming_the_parameter(lead, org, textbook, query, field):
    response = lead.get(url(org, f"/roadmap?{query}"))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]


def test_pinned_dates_before_prerequisites_end_are_409_with_every_conflict(lead, org, textbook):
    db.session.get(Initiative, textbook["D"]).pinned_start = date(2025, 3, 1)
    db.session.get(Initiative, textbook["G"]).pinned_start = date(2025, 4, 1)
    db.session.commit()
    response = lead.get(url(org, f"/roadmap?start={START}"))
    assert response.status_code == 409
    conflicts = response.json["conflicts"]
    assert [(c["id"], c["prerequisite_id"], c["prerequisite_end"]) for c in conflicts] == [
        (textbook["D"], textbook["B"], "2025-03-03"), (textbook["G"], textbook["E"], "2025-04-21")]
    assert "pinned" in response.json["detail"]


def test_a_reachable_pinned_date_is_respected(lead, org, textbook):
    db.session.get(Initiative, textbook["C"]).pinned_start = date(2025, 3, 3)
    db.session.commit()
    items = by_title(lead.get(url(org, f"/roadmap?start={START}")).json)
    assert items["C"]["start"] == "2025-03-03"
    assert items["F"]["start"] == "2025-03-17"   # C ends 2 weeks later
    assert items["E"]["start"] == "2025-03-31"   # F ends at week 12, after D's 11


def test_the_roadmap_loads_in_a_constant_number_of_queries(lead, app, org):
    def count_for(size: int, first: int) -> int:
        names = {f"N{first + k}": 1 for k in range(size)}
        chain = list(names)
        add_network(org, names, list(itertools.pairwise(chain)))
        statements: list[str] = []

        def record(*args) -> None:
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert lead.get(url(org, f"/roadmap?start={START}")).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    assert count_for(3, 0) == count_for(30, 100)


def test_what_if_reports_both_makespans_and_what_moves(lead, org, textbook):
    ids = textbook
    response = lead.post(url(org, "/roadmap/what-if"),
                         json={"start": START, "delay": {str(ids["C"]): 2}})
    assert response.status_code == 200, response.json
    body = response.json
    # C 8–10, F 10–12, E 12–16, G 16–17
    assert (body["makespan_before"], body["makespan_after"], body["makespan_change"]) == (
        16.0, 17.0, 1.0)
    assert [(m["title"], m["delta_weeks"], m["start_after"]) for m in body["moved"]] == [
        ("C", 2.0, "2025-03-03"), ("F", 2.0, "2025-03-17"), ("E", 1.0, "2025-03-31"),
        ("G", 1.0, "2025-04-28")]


def test_what_if_drop_keeps_precedence_and_new_capacity_replans(lead, org, textbook):
    ids = textbook
    dropped = lead.post(url(org, "/roadmap/what-if"),
                        json={"start": START, "drop": [ids["B"]]}).json
    # D 6–9, E waits for F (10) → 14, G 14–15
    assert dropped["makespan_after"] == 15.0
    assert [(m["title"], m["delta_weeks"]) for m in dropped["moved"]] == [
        ("D", -2.0), ("E", -1.0), ("G", -1.0)]
    serial = lead.post(url(org, "/roadmap/what-if"), json={"start": START, "new_capacity": 1})
    assert serial.json["makespan_after"] == 20.0
    assert lead.get(url(org, f"/roadmap?start={START}")).json["makespan_weeks"] == 16.0


def test_what_if_on_an_unknown_initiative_is_422(lead, org, textbook):
    response = lead.post(url(org, "/roadmap/what-if"), json={"delay": {"999999": 1}})
    assert response.status_code == 422
    assert "delay" in response.json["errors"]


def test_impact_lists_every_dependent_and_the_makespan_change(lead, org, textbook):
    ids = textbook
    body = lead.get(url(org, f"/initiatives/{ids['A']}/impact?weeks=2&start={START}")).json
    assert [d["title"] for d in body["dependents"]] == ["B", "C", "D", "F", "E", "G"]
    assert body["makespan_change"] == 2.0
    # C has one week of slack: slipping one week costs nothing, three weeks cost two
    one = lead.get(url(org, f"/initiatives/{ids['C']}/impact?weeks=1&start={START}")).json
    assert ([d["title"] for d in one["dependents"]], one["makespan_change"]) == (
        ["F", "E", "G"], 0.0)
    three = lead.get(url(org, f"/initiatives/{ids['C']}/impact?weeks=3&start={START}")).json
    assert three["makespan_change"] == 2.0


def test_impact_of_another_organizations_initiative_is_404(lead, org, make_api):
    other = make_api("other@example.org")
    theirs = other.post("/api/v1/orgs", json={"name": "Other"}).json["id"]
    ids = add_network(theirs, {"T": 1}, [])
    assert lead.get(url(org, f"/initiatives/{ids['T']}/impact?weeks=1")).status_code == 404


def test_a_baseline_is_saved_and_compared_with_the_current_plan(lead, org, textbook):
    created = lead.post(url(org, "/roadmap/baselines"),
                        json={"name": "Plan of record", "start": START})
    assert created.status_code == 201, created.json
    baseline = created.json
    assert baseline["params"] == {"start": START, "capacity": None, "points": None}
    assert lead.post(url(org, "/roadmap/baselines"),
                     json={"name": "Plan of record"}).status_code == 409
    db.session.get(Initiative, textbook["D"]).duration_weeks = 5.0
    db.session.commit()
    added = add_network(org, {"H": 1}, [])
    listed = lead.get(url(org, "/roadmap/baselines")).json
    assert (listed["total"], listed["items"][0]["name"]) == (1, "Plan of record")
    body = lead.get(url(org, f"/roadmap/baselines/{baseline['id']}/compare")).json
    slips = {item["title"]: (item["slip_weeks"], item["status"]) for item in body["items"]}
    # D 8–13 instead of 8–11, so E 13–17 and G 17–18: two weeks late each
    assert slips == {"A": (0.0, "on_time"), "B": (0.0, "on_time"), "C": (0.0, "on_time"),
                     "D": (2.0, "late"), "F": (0.0, "on_time"), "E": (2.0, "late"),
                     "G": (2.0, "late"), "H": (None, "added")}
    assert added["H"] in [item["initiative_id"] for item in body["items"]]


def test_trajectory_adds_uplifts_by_phase_end_capped_at_the_scale_maximum(lead, admin):
    scenario = Scenario(lead, admin)
    org = scenario.org["id"]
    assert lead.patch(scenario.assessment_url(), json={"status": "open"}).status_code == 200
    respondent = scenario.add_respondent()
    rated = scenario.rate([{"respondent_id": respondent, "dimension": code, "value": value}
                           for code, value in
                           {"a.one": 4, "a.two": 2, "b.one": 3, "b.two": 1}.items()])
    assert rated.status_code == 200, rated.json
    assert lead.patch(scenario.assessment_url(), json={"status": "closed"}).status_code == 200
    ids = add_network(org, {"X": 2, "Y": 4}, [("X", "Y")])
    dimension = {d.code: d.id for d in db.session.query(Dimension).filter(
        Dimension.framework_id == scenario.framework["id"])}
    db.session.add_all([Uplift(initiative_id=ids["X"], dimension_id=dimension["a.one"],
                               expected=2.0),
                        Uplift(initiative_id=ids["Y"], dimension_id=dimension["b.two"],
                               expected=1.5)])
    db.session.commit()
    assert lead.put(url(org, "/phases"), json=[
        {"name": "P1", "start": "2025-01-06", "end": "2025-01-20"},
        {"name": "P2", "start": "2025-01-20", "end": "2025-03-03"}]).status_code == 200
    response = lead.get(url(org, f"/roadmap/trajectory?framework_id={scenario.framework['id']}"
                                 f"&start={START}"))
    assert response.status_code == 200, response.json
    body = response.json
    assert body["measured_overall"] == pytest.approx(6.5 / 3, abs=1e-12)
    first, second = body["checkpoints"]
    # P1: X done (ends 01-20), a.one 4 + 2 capped at 5; a = (5 + 3·2)/4, overall (2.75 + 2·2)/3
    assert first["phase"] == "P1" and first["finished"] == [ids["X"]]
    assert {d["code"]: d["score"] for d in first["dimensions"]} == {
        "a.one": 5.0, "a.two": 2.0, "b.one": 3.0, "b.two": 1.0}
    assert {a["code"]: a["score"] for a in first["axes"]} == {"a": 2.75, "b": 2.0}
    assert first["overall"] == 2.25
    # P2: Y done (ends 02-17), b.two 2.5; b = 2.75, overall (2.75 + 2·2.75)/3
    assert {d["code"]: d["score"] for d in second["dimensions"]}["b.two"] == 2.5
    assert second["overall"] == 2.75


def test_trajectory_without_a_closed_assessment_is_404(lead, admin):
    scenario = Scenario(lead, admin)
    response = lead.get(scenario.url(
        f"/roadmap/trajectory?framework_id={scenario.framework['id']}"))
    assert response.status_code == 404


def test_the_plan_starts_first_what_the_default_method_ranks_first(lead, admin):
    """Under capacity 1, the scorecard's top initiative (higher id) starts first."""
    s = Scenario(lead, admin)
    lead.put(s.url("/scorecard"), json={"criteria": [
        {"code": "gain", "kind": "benefit", "weight": 1}]})
    assert lead.patch(s.url(), json={"default_method": "scorecard"}).status_code == 200
    low = lead.post(s.url("/initiatives"), json={"title": "low", "duration_weeks": 2,
                                                 "criteria": {"gain": 1}}).json["id"]
    high = lead.post(s.url("/initiatives"), json={"title": "high", "duration_weeks": 3,
                                                  "criteria": {"gain": 9}}).json["id"]

    plan = lead.get(s.url("/roadmap?start=2027-01-04&capacity=1")).json

    starts = {i["initiative_id"]: i["start"] for i in plan["initiatives"]}
    assert starts == {high: "2027-01-04", low: "2027-01-25"}
