"""KPIs archived and restored (out of the lists, measurements kept), and measurements with a
comment, listed newest first."""

from __future__ import annotations

import pytest

from tests.builders import Scenario, add_member
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.follow import kpis


@pytest.fixture
def scenario(lead, admin):
    return Scenario(lead, admin)


def create(scenario, api, name: str, **fields):
    response = api.post(scenario.url("/kpis"), json={
        "name": name, "direction": "lower_is_better", "target": 5, **fields})
    assert response.status_code == 201, response.json
    return response.json


def names(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [k["name"] for k in response.json["items"]]


def test_an_archived_kpi_leaves_the_list_keeps_its_measurements_and_comes_back(
        scenario, lead):
    lead_time = create(scenario, lead, "Lead time")
    create(scenario, lead, "Cycle time")
    url = scenario.url(f"/kpis/{lead_time['id']}")
    lead.post(f"{url}/measurements", json={"value": 7, "measured_at": "2026-10-31"})
    assert lead_time["archived_at"] is None

    archived = lead.post(f"{url}/archive")

    assert archived.status_code == 200 and archived.json["archived_at"] is not None
    assert names(lead.get(scenario.url("/kpis"))) == ["Cycle time"]
    assert names(lead.get(scenario.url("/kpis?archived=true"))) == ["Lead time"]
    assert names(lead.get(scenario.url("/kpis?archived=false"))) == ["Cycle time"]
    # its measurements stay: current 7, gap 7 - 5 = 2
    kept = lead.get(url).json
    assert (kept["current"], kept["gap"], len(kept["history"])) == (7, 2, 1)
    org = db.session.get(Organization, scenario.org["id"])
    assert [k.name for k in kpis.kpis_of(org)] == ["Cycle time"]  # barometer and its email
    assert lead.post(f"{url}/archive").status_code == 409
    refused = lead.post(f"{url}/measurements", json={"value": 6, "measured_at": "2026-11-30"})
    assert refused.status_code == 409

    restored = lead.post(f"{url}/restore")

    assert restored.status_code == 200 and restored.json["archived_at"] is None
    assert names(lead.get(scenario.url("/kpis"))) == ["Cycle time", "Lead time"]
    assert lead.post(f"{url}/restore").status_code == 409


def test_archive_and_restore_need_ops_and_stay_in_the_organization(scenario, lead, admin,
                                                                   make_api):
    kpi = create(scenario, lead, "Lead time")
    url = scenario.url(f"/kpis/{kpi['id']}")
    contributor = make_api("carl@example.org")
    add_member(scenario.org["id"], "carl@example.org", "contributor")
    ops = make_api("olga@example.org")
    add_member(scenario.org["id"], "olga@example.org", "ops")
    outsider = make_api("out@example.org")
    other = outsider.post("/api/v1/orgs", json={"name": "Other"}).json

    assert contributor.post(f"{url}/archive").status_code == 403
    assert outsider.post(f"{url}/archive").status_code == 404
    assert outsider.post(f"/api/v1/orgs/{other['id']}/kpis/{kpi['id']}/archive"
                         ).status_code == 404
    assert ops.post(f"{url}/archive").status_code == 200
    assert contributor.post(f"{url}/restore").status_code == 403
    assert ops.post(f"{url}/restore").status_code == 200


def test_measurements_keep_their_comment_and_list_newest_first(scenario, lead):
    kpi = create(scenario, lead, "Lead time")
    url = scenario.url(f"/kpis/{kpi['id']}/measurements")
    first = lead.post(url, json={"value": 9, "measured_at": "2026-05-31",
                                 "comment": "Before the pilot"})
    lead.post(url, json={"value": 7, "measured_at": "2026-10-31"})
    lead.post(url, json={"value": 8, "measured_at": "2026-07-31", "comment": "Holidays"})

    assert first.status_code == 201
    assert first.json["history"][0]["comment"] == "Before the pilot"
    listed = lead.get(url)
    assert listed.status_code == 200 and listed.json["total"] == 3
    assert [(m["measured_at"], m["value"], m["comment"]) for m in listed.json["items"]] == [
        ("2026-10-31", 7, ""), ("2026-07-31", 8, "Holidays"),
        ("2026-05-31", 9, "Before the pilot")]
    second_page = lead.get(f"{url}?per_page=2&page=2").json
    assert [m["value"] for m in second_page["items"]] == [9]
    too_long = lead.post(url, json={"value": 1, "measured_at": "2026-11-30",
                                    "comment": "x" * 2001})
    assert too_long.status_code == 422 and "comment" in too_long.json["errors"]


def test_the_openapi_document_describes_archive_restore_and_the_archived_filter(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    assert "post" in paths["/api/v1/orgs/{org_id}/kpis/{kpi_id}/archive"]
    assert "post" in paths["/api/v1/orgs/{org_id}/kpis/{kpi_id}/restore"]
    listed = paths["/api/v1/orgs/{org_id}/kpis"]["get"]["parameters"]
    assert any(p["name"] == "archived" and p.get("description") for p in listed)
    assert "get" in paths["/api/v1/orgs/{org_id}/kpis/{kpi_id}/measurements"]
