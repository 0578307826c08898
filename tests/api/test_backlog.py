"""Initiatives, the ranked backlog, dependencies, raters, pilots and import through the API;
every number computed by hand from DESIGN section 3."""

from __future__ import annotations

from tests.builders import Scenario


def _make(api, scenario, **fields):
    response = api.post(scenario.url("/initiatives"), json={"title": "x", **fields})
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_wsjf_scaled_agile_example_is_26_over_5(lead, admin):
    s = Scenario(lead, admin)
    _make(lead, s, title="F", business_value=8, time_criticality=5, risk_reduction=13,
          job_size=5)
    item = lead.get(s.url("/backlog?method=wsjf")).json["items"][0]
    assert (item["value"], item["effort"], item["score"]) == (26.0, 5.0, 26 / 5)


def test_rice_example_is_320(lead, admin):
    s = Scenario(lead, admin)
    _make(lead, s, reach=1000, impact=2, confidence=0.8, effort=5)
    item = lead.get(s.url("/backlog?method=rice")).json["items"][0]
    assert item["score"] == 1000 * 2 * 0.8 / 5


def test_low_score_blocker_ranks_first_with_inherited_priority(lead, admin):
    s = Scenario(lead, admin)
    low = _make(lead, s, title="low", business_value=1, time_criticality=0, risk_reduction=0,
                job_size=1)
    high = _make(lead, s, title="high", business_value=9, time_criticality=0,
                 risk_reduction=1, job_size=1)
    mid = _make(lead, s, title="mid", business_value=5, time_criticality=0, risk_reduction=0,
                job_size=1)
    r = lead.post(s.url("/dependencies"), json={"prerequisite_id": low, "dependent_id": high})
    assert r.status_code == 201
    items = lead.get(s.url("/backlog")).json["items"]
    assert [i["id"] for i in items] == [low, high, mid]
    assert [i["effective_priority"] for i in items] == [10.0, 10.0, 5.0]
    assert items[1]["blocked_by"] == [low] and items[1]["actionable"] is False
    cycle = lead.post(s.url("/dependencies"), json={"prerequisite_id": high, "dependent_id": low})
    assert cycle.status_code == 409
    assert cycle.json["cycle"] == [low, high, low]
    assert cycle.json["cycle_titles"] == ["low", "high", "low"]
    assert lead.post(s.url("/dependencies"), json={"prerequisite_id": low,
                                                   "dependent_id": low}).status_code == 422
    assert lead.post(s.url("/dependencies"), json={"prerequisite_id": low,
                                                   "dependent_id": high}).status_code == 409


def test_quadrants_and_classes_on_a_hand_made_backlog(lead, admin):
    s = Scenario(lead, admin)
    # wsjf values 10, 4, 10, 4 (median 7), job sizes 1, 1, 5, 5 (median 3)
    specs = [(10, 1, 4), (4, 1, 4), (10, 5, 20), (4, 5, 8)]
    ids = [_make(lead, s, title=f"i{n}", business_value=v, time_criticality=0,
                 risk_reduction=0, job_size=j, duration_weeks=d)
           for n, (v, j, d) in enumerate(specs)]
    by_id = {i["id"]: i for i in lead.get(s.url("/backlog")).json["items"]}
    assert [by_id[i]["quadrant"] for i in ids] == ["quick_win", "fill_in", "big_bet",
                                                   "money_pit"]
    assert [by_id[i]["computed_class"] for i in ids] == ["quick_win", "standard",
                                                         "structural_lever", "standard"]
    lead.patch(s.url(f"/initiatives/{ids[1]}"), json={"class_override": "structural_lever"})
    item = next(i for i in lead.get(s.url("/backlog")).json["items"] if i["id"] == ids[1])
    assert (item["class"], item["computed_class"]) == ("structural_lever", "standard")


def test_bad_inputs(lead, admin, make_api):
    s = Scenario(lead, admin)
    r = lead.post(s.url("/initiatives"), json={"title": "t", "job_size": 0})
    assert r.status_code == 422 and "job_size" in r.json["errors"]
    r = lead.get(s.url("/backlog?method=moscow"))
    assert r.status_code == 422 and "method" in r.json["errors"]
    r = lead.put(s.url("/scorecard"), json={"criteria": [
        {"code": "b", "kind": "benefit", "weight": 0}]})
    assert r.status_code == 422
    mine = _make(lead, s)
    other = lead.post("/api/v1/orgs", json={"name": "Other"}).json["id"]
    theirs = lead.post(f"/api/v1/orgs/{other}/initiatives", json={"title": "t"}).json["id"]
    r = lead.post(s.url("/dependencies"), json={"prerequisite_id": mine,
                                                "dependent_id": theirs})
    assert r.status_code == 404


def test_status_transitions_and_audit(lead, admin):
    s = Scenario(lead, admin)
    i = _make(lead, s)
    r = lead.patch(s.url(f"/initiatives/{i}"), json={"status": "done"})
    assert r.status_code == 409
    assert r.json["allowed"] == ["approved", "piloting", "dropped"]
    assert lead.patch(s.url(f"/initiatives/{i}"), json={"status": "approved"}).status_code == 200
    trail = lead.get(s.url(f"/initiatives/{i}/audit")).json["items"]
    assert [e["action"] for e in trail] == ["create", "update"]
    assert trail[1]["changes"]["status"] == ["proposed", "approved"]


def test_scorecard_and_raters(lead, admin):
    s = Scenario(lead, admin)
    r = lead.put(s.url("/scorecard"), json={"criteria": [
        {"code": "gain", "kind": "benefit", "weight": 3},
        {"code": "reach", "kind": "benefit", "weight": 1},
        {"code": "cost", "kind": "cost", "weight": 1}]})
    assert r.status_code == 200, r.json
    _make(lead, s, criteria={"gain": 4, "reach": 8, "cost": 2})
    item = lead.get(s.url("/backlog?method=scorecard")).json["items"][0]
    assert (item["value"], item["effort"], item["score"]) == (5.0, 2.0, 2.5)
    i = _make(lead, s)
    for rater, size in (("ann", 3), ("bob", 8), ("cat", 5)):
        r = lead.put(s.url(f"/initiatives/{i}/ratings/{rater}"), json={"job_size": size})
        assert r.status_code == 200, r.json
    assert r.json["job_size"] == 5 and r.json["spread"] == {"job_size": 5}
    # without bob (8): the median of 3 and 5 is 4, the spread 5 - 3 = 2
    r = lead.delete(s.url(f"/initiatives/{i}/ratings/bob"))
    assert r.status_code == 200, r.json
    assert r.json["job_size"] == 4 and r.json["spread"] == {"job_size": 2}
    assert lead.delete(s.url(f"/initiatives/{i}/ratings/bob")).status_code == 404


def test_pilot_generalize_moves_initiative_and_stop_drops(lead, admin):
    s = Scenario(lead, admin)
    i = _make(lead, s, status="piloting")
    r = lead.post(s.url(f"/initiatives/{i}/pilots"), json={"teams": ["pricing"],
                                                          "hypothesis": "h"})
    assert r.status_code == 201
    r = lead.patch(s.url(f"/pilots/{r.json['id']}"), json={
        "status": "succeeded", "decision": "generalize", "decision_date": "2026-10-02",
        "decided_by": "Thomas"})
    assert r.status_code == 200
    assert lead.get(s.url(f"/initiatives/{i}")).json["status"] == "in_progress"
    j = _make(lead, s)
    p = lead.post(s.url(f"/initiatives/{j}/pilots"), json={}).json["id"]
    lead.patch(s.url(f"/pilots/{p}"), json={"decision": "stop"})
    assert lead.get(s.url(f"/initiatives/{j}")).json["status"] == "dropped"


def test_import_all_or_nothing(lead, admin):
    s = Scenario(lead, admin)
    good = {"initiatives": [{"ref": "a", "title": "A", "job_size": 2},
                            {"ref": "b", "title": "B"}],
            "dependencies": [{"prerequisite_ref": "a", "dependent_ref": "b"}]}
    bad = {**good, "initiatives": [*good["initiatives"], {"ref": "c", "title": "C",
                                                          "job_size": 0}]}
    assert lead.post(s.url("/initiatives/import"), json=bad).status_code == 422
    cyclic = {**good, "dependencies": [*good["dependencies"],
                                       {"prerequisite_ref": "b", "dependent_ref": "a"}]}
    assert lead.post(s.url("/initiatives/import"), json=cyclic).status_code == 409
    assert lead.get(s.url("/initiatives")).json["total"] == 0
    r = lead.post(s.url("/initiatives/import"), json=good)
    assert r.status_code == 201, r.json
    ids = r.json["ids"]
    deps = lead.get(s.url("/dependencies")).json["items"]
    assert [(d["prerequisite_id"], d["dependent_id"]) for d in deps] == [(ids["a"], ids["b"])]
    csv = lead.get(s.url("/backlog.csv"))
    header = csv.get_data().decode("utf-8-sig").splitlines()[0]
    assert csv.status_code == 200 and header.startswith("rank,id,title")
