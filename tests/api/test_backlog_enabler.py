"""The class and the enabler flag in the backlog and initiative reads (DESIGN section 3
"Class"): the class follows duration, quadrant and axes only; `enabler` is true when at
least 3 initiatives depend on it, directly or indirectly."""

from __future__ import annotations

from tests.builders import Scenario


def make(api, scenario, title, value, job_size, weeks):
    response = api.post(scenario.url("/initiatives"), json={
        "title": title, "business_value": value, "time_criticality": 0, "risk_reduction": 0,
        "job_size": job_size, "duration_weeks": weeks})
    assert response.status_code == 201, response.json
    return response.json["id"]


def depends(api, scenario, prerequisite, dependent):
    response = api.post(scenario.url("/dependencies"), json={
        "prerequisite_id": prerequisite, "dependent_id": dependent})
    assert response.status_code == 201, response.json


def test_a_quick_win_three_others_wait_on_is_a_quick_win_and_an_enabler(lead, admin):
    s = Scenario(lead, admin)
    # WSJF values 10, 10, 4, 4, 4 (median 4), job sizes 1, 5, 5, 5, 5 (median 5).
    roles = make(lead, s, "roles", 10, 1, 4)        # quick-win quadrant, 4 weeks ≤ 6
    big = make(lead, s, "big", 10, 5, 4)            # value 10 ≥ 4, effort 5 ≤ 5: quick-win
    a, b, c = (make(lead, s, name, 4, 5, 8) for name in "abc")   # 8 weeks: standard
    # roles → a → b, roles → c: three wait on roles (a and c directly, b behind a);
    # big → a only (a and b: two).
    for prerequisite, dependent in ((roles, a), (a, b), (roles, c), (big, a)):
        depends(lead, s, prerequisite, dependent)

    body = lead.get(s.url("/backlog")).json
    items = {i["id"]: i for i in body["items"]}
    assert (body["median_value"], body["median_effort"]) == (4, 5)
    assert {i: (items[i]["quadrant"], items[i]["computed_class"], items[i]["enabler"])
            for i in (roles, big, a)} == {
        roles: ("quick_win", "quick_win", True),
        big: ("quick_win", "quick_win", False),
        a: ("quick_win", "standard", False)}   # value 4 ≥ 4, effort 5 ≤ 5, but 8 weeks
    assert lead.get(s.url(f"/initiatives/{roles}")).json["enabler"] is True
    assert lead.get(s.url(f"/initiatives/{big}")).json["enabler"] is False
    csv = lead.get(s.url("/backlog.csv")).get_data(as_text=True).lstrip("\ufeff")
    header, *rows = csv.splitlines()
    assert "enabler" in header.split(",")
    column = header.split(",").index("enabler")
    by_title = {row.split(",")[2]: row.split(",")[column] for row in rows}
    assert by_title == {"roles": "true", "big": "false", "a": "false", "b": "false",
                        "c": "false"}


def test_enabler_is_read_only(lead, admin):
    s = Scenario(lead, admin)
    created = lead.post(s.url("/initiatives"), json={"title": "t", "enabler": True})
    assert created.status_code == 422, created.json
    assert "enabler" in created.json["errors"]
