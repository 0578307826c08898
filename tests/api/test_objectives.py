"""Objectives: CRUD, links of the organization only, status from the KPIs' latest
measurements (DESIGN section 3, "Objective status"; section 5, `/objectives`)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import AuditEvent


@pytest.fixture
def scenario(lead, admin):
    return Scenario(lead, admin)


def kpi(scenario, lead, name, direction, target, *values):
    """A KPI with measurements dated in the order given (the last one is the latest)."""
    created = lead.post(scenario.url("/kpis"), json={
        "name": name, "direction": direction, "target": target}).json
    for day, value in enumerate(values, start=1):
        response = lead.post(scenario.url(f"/kpis/{created['id']}/measurements"),
                             json={"value": value, "measured_at": f"2026-10-{day:02d}"})
        assert response.status_code == 201, response.json
    return created["id"]


def objective(scenario, lead, **body):
    response = lead.post(scenario.url("/objectives"), json={"title": "Faster delivery", **body})
    assert response.status_code == 201, response.json
    return response.json


def status(body):
    return body["status"], body["kpis_on_target"], body["kpis_total"]


def test_an_objective_is_created_read_changed_and_deleted(scenario, lead):
    initiative = lead.post(scenario.url("/initiatives"), json={"title": "Role cards"}).json
    lead_time = kpi(scenario, lead, "Lead time", "lower_is_better", 5)
    created = objective(scenario, lead, description="Cut story lead time by 30 %",
                        horizon="2027-06-30", kpi_ids=[lead_time],
                        initiative_ids=[initiative["id"]], dimensions=["a.one"])
    url = scenario.url(f"/objectives/{created['id']}")
    body = lead.get(url).json
    assert (body["title"], body["description"], body["horizon"]) == (
        "Faster delivery", "Cut story lead time by 30 %", "2027-06-30")
    assert (body["kpi_ids"], body["initiative_ids"], body["dimensions"]) == (
        [lead_time], [initiative["id"]], ["a.one"])
    assert status(body) == ("no_data", 0, 1)
    patched = lead.patch(url, json={"title": "Faster stories", "dimensions": ["b.two"],
                                    "initiative_ids": []}).json
    assert (patched["title"], patched["dimensions"], patched["initiative_ids"],
            patched["kpi_ids"]) == ("Faster stories", ["b.two"], [], [lead_time])
    assert lead.delete(url).status_code == 204
    assert lead.get(url).status_code == 404
    # the KPI stays
    assert lead.get(scenario.url(f"/kpis/{lead_time}")).status_code == 200
    actions = [(e.action, e.changes) for e in db.session.query(AuditEvent)
               .filter_by(entity="objective", entity_id=created["id"]).order_by(AuditEvent.id)]
    assert actions == [
        ("create", {"title": "Faster delivery"}),
        ("update", {"title": ["Faster delivery", "Faster stories"],
                    "initiatives": [[initiative["id"]], []],
                    "dimensions": [["a.one"], ["b.two"]]}),
        ("delete", {"title": "Faster stories"})]


def test_status_follows_the_latest_measurements(scenario, lead):
    # lead time, lower is better, target 5: latest 4 (9 first) → on target
    lead_time = kpi(scenario, lead, "Lead time", "lower_is_better", 5, 9, 4)
    # adoption, higher is better, target 80: latest 70 (85 first) → off target
    adoption = kpi(scenario, lead, "Adoption", "higher_is_better", 80, 85, 70)
    # satisfaction never measured: left out of the status, counted in kpis_total
    satisfaction = kpi(scenario, lead, "Satisfaction", "higher_is_better", 85)
    cases = [([lead_time], ("on_track", 1, 1)),
             ([lead_time, satisfaction], ("on_track", 1, 2)),
             ([lead_time, adoption, satisfaction], ("at_risk", 1, 3)),
             ([adoption, satisfaction], ("off_track", 0, 2)),
             ([satisfaction], ("no_data", 0, 1)),
             ([], ("no_data", 0, 0))]
    for kpi_ids, expected in cases:
        assert status(objective(scenario, lead, kpi_ids=kpi_ids)) == expected, kpi_ids
    # a new latest measurement moves it: adoption 82 ≥ 80 → both on target
    both = objective(scenario, lead, kpi_ids=[lead_time, adoption])
    lead.post(scenario.url(f"/kpis/{adoption}/measurements"),
              json={"value": 82, "measured_at": "2026-11-15"})
    body = lead.get(scenario.url(f"/objectives/{both['id']}")).json
    assert status(body) == ("on_track", 2, 2)
    assert [(k["name"], k["current"], k["on_target"]) for k in body["kpis"]] == [
        ("Adoption", 82, True), ("Lead time", 4, True)]
    # an archived KPI leaves the status: lead time alone (4 ≤ 5)
    lead.post(scenario.url(f"/kpis/{adoption}/archive"))
    body = lead.get(scenario.url(f"/objectives/{both['id']}")).json
    assert status(body) == ("on_track", 1, 1) and body["kpi_ids"] == sorted([lead_time,
                                                                             adoption])


def test_the_list_is_paginated_soonest_horizon_first_in_fixed_queries(scenario, lead, app):
    lead_time = kpi(scenario, lead, "Lead time", "lower_is_better", 5, 4)
    for title, horizon in (("C", None), ("B", "2027-12-31"), ("A", "2027-03-31")):
        objective(scenario, lead, title=title, horizon=horizon, kpi_ids=[lead_time])
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = lead.get(scenario.url("/objectives?per_page=2")).json
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert [o["title"] for o in page["items"]] == ["A", "B"] and page["total"] == 3
    assert all(status(o) == ("on_track", 1, 1) for o in page["items"])
    second = lead.get(scenario.url("/objectives?per_page=2&page=2")).json
    assert [o["title"] for o in second["items"]] == ["C"]
    measurement_reads = [s for s in statements if "FROM measurement" in s]
    assert len(measurement_reads) == 1, measurement_reads


@pytest.mark.parametrize("body,field", [({"title": ""}, "title"),
                                        ({"horizon": "soon"}, "horizon"),
                                        ({"kpi_ids": [999999]}, "kpi_ids"),
                                        ({"initiative_ids": [999999]}, "initiative_ids"),
                                        ({"dimensions": ["zz.unknown"]}, "dimensions")])
def test_bad_input_is_a_problem_naming_the_field(scenario, lead, body, field):
    response = lead.post(scenario.url("/objectives"), json={"title": "x", **body})
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert field in response.json["errors"]


def test_another_organizations_kpi_is_refused_and_outsiders_get_404(scenario, lead, make_api):
    outsider = make_api("out@example.org")
    other = outsider.post("/api/v1/orgs", json={"name": "Other"}).json
    theirs = outsider.post(f"/api/v1/orgs/{other['id']}/kpis", json={
        "name": "Theirs", "direction": "higher_is_better", "target": 1}).json
    response = lead.post(scenario.url("/objectives"),
                         json={"title": "x", "kpi_ids": [theirs["id"]]})
    assert response.status_code == 422 and "kpi_ids" in response.json["errors"]
    mine = objective(scenario, lead)
    url = scenario.url(f"/objectives/{mine['id']}")
    assert lead.patch(url, json={"kpi_ids": [theirs["id"]]}).status_code == 422
    assert outsider.get(url).status_code == 404
    assert outsider.patch(url, json={"title": "y"}).status_code == 404
    assert outsider.delete(url).status_code == 404
    assert outsider.get(scenario.url("/objectives")).status_code == 404
    assert outsider.get(f"/api/v1/orgs/{other['id']}/objectives/{mine['id']}"
                        ).status_code == 404
