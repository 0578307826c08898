"""KPI fields of issue 17: family, owner, perimeter `{kind, name}`, links to initiatives and
objectives (DESIGN section 5, "KPI fields"); links are the organization's own."""

from __future__ import annotations

import pytest

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.follow import kpis

LEAD_TIME = {"name": "Pricing lead time", "unit": "days", "direction": "lower_is_better",
             "target": 5}


@pytest.fixture
def scenario(lead, admin):
    return Scenario(lead, admin)


def test_a_new_kpi_is_unclassified_on_the_whole_organization(scenario, lead):
    body = lead.post(scenario.url("/kpis"), json=LEAD_TIME).json
    assert (body["family"], body["owner"]) == (None, None)
    assert body["perimeter"] == {"kind": "organization", "name": None}
    assert (body["initiative_ids"], body["objective_ids"]) == ([], [])


def test_a_kpi_carries_family_owner_perimeter_and_links(scenario, lead):
    initiative = lead.post(scenario.url("/initiatives"), json={"title": "Pricing squad"}).json
    objective = lead.post(scenario.url("/objectives"), json={"title": "Faster pricing"}).json
    created = lead.post(scenario.url("/kpis"), json={
        **LEAD_TIME, "family": "flow", "owner": "Ann Martin",
        "perimeter": {"kind": "value_stream", "name": "Pricing"},
        "initiative_ids": [initiative["id"]], "objective_ids": [objective["id"]]})
    assert created.status_code == 201, created.json
    body = lead.get(scenario.url(f"/kpis/{created.json['id']}")).json
    assert (body["family"], body["owner"]) == ("flow", "Ann Martin")
    assert body["perimeter"] == {"kind": "value_stream", "name": "Pricing"}
    assert body["initiative_ids"] == [initiative["id"]]
    assert body["objective_ids"] == [objective["id"]]
    # the objective sees the KPI from its side
    assert lead.get(scenario.url(f"/objectives/{objective['id']}")).json["kpi_ids"] == [
        created.json["id"]]
    patched = lead.patch(scenario.url(f"/kpis/{body['id']}"), json={
        "family": "business", "perimeter": {"kind": "organization"}, "initiative_ids": []}).json
    assert (patched["family"], patched["perimeter"]) == (
        "business", {"kind": "organization", "name": None})
    assert patched["initiative_ids"] == [] and patched["objective_ids"] == [objective["id"]]


@pytest.mark.parametrize("perimeter", [{"kind": "team"}, {"kind": "value_stream", "name": " "},
                                       {"kind": "organization", "name": "Claims"}])
def test_a_team_or_value_stream_needs_its_name_and_the_organization_has_none(
        scenario, lead, perimeter):
    response = lead.post(scenario.url("/kpis"), json={**LEAD_TIME, "perimeter": perimeter})
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert "perimeter.name" in response.json["errors"]


@pytest.mark.parametrize("body,field", [({"family": "vanity"}, "family"),
                                        ({"perimeter": {"kind": "tribe", "name": "x"}},
                                         "perimeter.kind"),
                                        ({"owner": "x" * 201}, "owner")])
def test_unknown_family_perimeter_kind_or_overlong_owner_is_refused(scenario, lead, body, field):
    response = lead.post(scenario.url("/kpis"), json={**LEAD_TIME, **body})
    assert response.status_code == 422 and field in response.json["errors"]


def test_another_organizations_initiative_or_objective_is_refused(scenario, lead, make_api):
    outsider = make_api("out@example.org")
    other = outsider.post("/api/v1/orgs", json={"name": "Other"}).json
    theirs = f"/api/v1/orgs/{other['id']}"
    initiative = outsider.post(f"{theirs}/initiatives", json={"title": "Theirs"}).json
    objective = outsider.post(f"{theirs}/objectives", json={"title": "Theirs"}).json
    for field, record in (("initiative_ids", initiative), ("objective_ids", objective)):
        response = lead.post(scenario.url("/kpis"), json={**LEAD_TIME, field: [record["id"]]})
        assert response.status_code == 422 and field in response.json["errors"]
    kpi = lead.post(scenario.url("/kpis"), json=LEAD_TIME).json
    response = lead.patch(scenario.url(f"/kpis/{kpi['id']}"),
                          json={"objective_ids": [objective["id"]]})
    assert response.status_code == 422 and "objective_ids" in response.json["errors"]


def test_kpis_off_target_lists_the_latest_measurement_off_target_in_use_only(scenario, lead):
    def kpi(name, direction, target, value):
        created = lead.post(scenario.url("/kpis"), json={
            "name": name, "direction": direction, "target": target}).json
        if value is not None:
            lead.post(scenario.url(f"/kpis/{created['id']}/measurements"),
                      json={"value": value, "measured_at": "2026-11-02"})
        return created["id"]

    kpi("Lead time", "lower_is_better", 5, 7)          # 7 > 5: off target
    kpi("Adoption", "higher_is_better", 80, 80)        # 80 ≥ 80: on target
    kpi("Satisfaction", "higher_is_better", 85, None)  # never measured: unknown
    shelved = kpi("Old cycle time", "lower_is_better", 24, 36)  # off, but archived
    lead.post(scenario.url(f"/kpis/{shelved}/archive"))
    org = db.session.get(Organization, scenario.org["id"])
    assert [k.name for k in kpis.kpis_off_target(org)] == ["Lead time"]
