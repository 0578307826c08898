"""KPIs: current value (latest by date), gap and on-target status (DESIGN section 3)."""

from __future__ import annotations

import pytest

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.follow import kpis

CASES = [
    # name, unit, direction, target, measurements (value, date) in posting order,
    # expected current, gap, on_target
    ("Lead time of stories", "days", "lower_is_better", 5,
     [(7, "2026-10-31"), (9, "2026-05-31")], 7, 2, False),
    ("Incident cycle time", "h", "lower_is_better", 24,
     [(52, "2026-05-31"), (36, "2026-10-31")], 36, 12, False),
    ("Internal satisfaction", "%", "higher_is_better", 85,
     [(71, "2026-05-31"), (78, "2026-10-31")], 78, -7, False),
]


@pytest.fixture
def scenario(lead, admin):
    return Scenario(lead, admin)


@pytest.mark.parametrize("name,unit,direction,target,points,current,gap,on_target", CASES)
def test_a_kpi_reads_its_latest_measurement_by_date_with_gap_and_status(
        scenario, lead, name, unit, direction, target, points, current, gap, on_target):
    created = lead.post(scenario.url("/kpis"), json={
        "name": name, "unit": unit, "direction": direction, "target": target})
    assert created.status_code == 201, created.json
    assert created.json["current"] is None and created.json["gap"] is None
    kpi_url = scenario.url(f"/kpis/{created.json['id']}")
    for value, day in points:
        response = lead.post(f"{kpi_url}/measurements", json={"value": value,
                                                              "measured_at": day})
        assert response.status_code == 201, response.json
    body = lead.get(kpi_url).json
    assert (body["current"], body["gap"], body["on_target"]) == (current, gap, on_target)
    assert [m["measured_at"] for m in body["history"]] == sorted(day for _, day in points)


def test_a_kpi_reaching_its_target_is_on_target(scenario, lead):
    kpi = lead.post(scenario.url("/kpis"), json={
        "name": "Lead time", "unit": "days", "direction": "lower_is_better", "target": 5}).json
    body = lead.post(scenario.url(f"/kpis/{kpi['id']}/measurements"),
                     json={"value": 5, "measured_at": "2026-11-01"}).json
    assert (body["current"], body["gap"], body["on_target"]) == (5, 0, True)
    patched = lead.patch(scenario.url(f"/kpis/{kpi['id']}"),
                         json={"direction": "higher_is_better", "target": 6}).json
    assert (patched["gap"], patched["on_target"]) == (-1, False)


def test_a_kpi_links_dimensions_by_code_and_rejects_unknown_ones(scenario, lead):
    ok = lead.post(scenario.url("/kpis"), json={
        "name": "NPS", "direction": "higher_is_better", "target": 30,
        "dimensions": ["a.one", "b.two"]})
    assert ok.status_code == 201 and ok.json["dimensions"] == ["a.one", "b.two"]
    bad = lead.post(scenario.url("/kpis"), json={
        "name": "NPS", "direction": "higher_is_better", "target": 30, "dimensions": ["zz"]})
    assert bad.status_code == 422 and "dimensions" in bad.json["errors"]


def test_kpi_input_is_validated(scenario, lead):
    response = lead.post(scenario.url("/kpis"), json={"name": "x", "direction": "up",
                                                      "target": 1})
    assert response.status_code == 422 and "direction" in response.json["errors"]
    kpi = lead.post(scenario.url("/kpis"), json={"name": "x", "direction": "higher_is_better",
                                                 "target": 1}).json
    response = lead.post(scenario.url(f"/kpis/{kpi['id']}/measurements"), json={"value": 1})
    assert response.status_code == 422 and "measured_at" in response.json["errors"]


def test_the_demo_loads_the_three_kpis_of_the_story(app):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    reports = {k.name: k for k in kpis.kpis_of(db.session.get(Organization, org_id))}
    story = ("Incident cycle time", "Internal satisfaction", "Lead time of stories")
    assert {name: (k.current, k.gap, k.on_target) for name, k in reports.items()
            if name in story} == {
        "Incident cycle time": (36, 12, False),
        "Internal satisfaction": (78, -7, False),
        "Lead time of stories": (7, 2, False),
    }
