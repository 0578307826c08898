"""Root causes between findings: acyclic links, root causes listed first, initiatives that
only answer symptoms flagged with the root cause they leave untreated."""

from __future__ import annotations

import pytest

from tests.builders import Scenario


@pytest.fixture
def scenario(lead, admin):
    scenario = Scenario(lead, admin)
    scenario.ids = {}
    for key, kind, dims in (("leaders", "blind_spot", ["a.one"]), ("roles", "gap", ["a.two"]),
                            ("ops", "gap", ["b.one"]), ("values", "tension", ["b.two"])):
        response = lead.post(scenario.url("/findings"), json={
            "kind": kind, "title": key.title(), "dimensions": dims,
            "assessment_id": scenario.assessment["id"]})
        assert response.status_code == 201, response.json
        scenario.ids[key] = response.json["id"]
    return scenario


def _link(scenario, symptom, cause):
    return scenario.api.post(scenario.url(f"/findings/{scenario.ids[symptom]}/root-causes"),
                             json={"root_cause_id": scenario.ids[cause]})


def test_links_answer_the_symptom_with_its_root_causes(scenario):
    response = _link(scenario, "ops", "roles")

    assert response.status_code == 201
    assert response.json["root_causes"] == [scenario.ids["roles"]]
    assert response.json["symptoms"] == []
    assert _link(scenario, "ops", "roles").status_code == 409  # already linked


def test_a_root_cause_cycle_is_refused_with_the_cycle_in_order(scenario, lead):
    ids = scenario.ids
    assert _link(scenario, "ops", "roles").status_code == 201  # roles → ops
    assert _link(scenario, "roles", "leaders").status_code == 201  # leaders → roles

    response = _link(scenario, "leaders", "ops")  # ops → leaders would close the loop

    assert response.status_code == 409
    assert response.json["cycle"] == [ids["leaders"], ids["roles"], ids["ops"], ids["leaders"]]
    assert response.json["cycle_titles"] == ["Leaders", "Roles", "Ops", "Leaders"]
    self_link = _link(scenario, "ops", "ops")
    assert self_link.status_code == 422 and "root_cause_id" in self_link.json["errors"]
    listed = lead.get(scenario.url("/findings/root-causes")).json["items"]
    assert [f["id"] for f in listed] == [ids["leaders"], ids["roles"], ids["ops"],
                                         ids["values"]]
    assert listed[1]["root_causes"] == [ids["leaders"]]
    assert listed[1]["symptoms"] == [ids["ops"]]


def test_root_causes_come_first_even_with_higher_ids(scenario, lead):
    ids = scenario.ids
    _link(scenario, "leaders", "values")  # values (last created) causes leaders

    listed = [f["id"] for f in lead.get(scenario.url("/findings/root-causes")).json["items"]]

    assert listed.index(ids["values"]) < listed.index(ids["leaders"])


def test_an_initiative_answering_only_symptoms_is_flagged_until_the_cause_is_treated(
        scenario, lead):
    ids = scenario.ids
    _link(scenario, "ops", "roles")
    product_ops = lead.post(scenario.url("/initiatives"), json={
        "title": "Create a product ops role", "finding_ids": [ids["ops"]]}).json
    lead.post(scenario.url("/initiatives"), json={"title": "Mirror session",
                                                  "finding_ids": [ids["leaders"]]})

    flagged = lead.get(scenario.url("/initiatives/symptom-only")).json["items"]

    assert flagged == [{"initiative_id": product_ops["id"], "title": "Create a product ops role",
                        "finding_ids": [ids["ops"]],
                        "untreated_root_causes": [{"id": ids["roles"], "title": "Roles"}]}]
    lead.post(scenario.url("/initiatives"), json={"title": "Clarify roles",
                                                  "finding_ids": [ids["roles"]]})
    assert lead.get(scenario.url("/initiatives/symptom-only")).json["items"] == []


def test_unlinking_removes_the_link_and_a_missing_link_is_404(scenario, lead):
    ids = scenario.ids
    _link(scenario, "ops", "roles")
    url = scenario.url(f"/findings/{ids['ops']}/root-causes/{ids['roles']}")

    assert lead.delete(url).status_code == 204
    assert lead.delete(url).status_code == 404
    assert _link(scenario, "ops", "roles").status_code == 201
    assert lead.delete(scenario.url(f"/findings/{ids['ops']}/root-causes"),
                       json={"root_cause_id": ids["roles"]}).status_code == 204


def test_findings_of_another_organization_cannot_be_linked(scenario, lead):
    other = lead.post("/api/v1/orgs", json={"name": "Other"}).json
    foreign = lead.post(f"/api/v1/orgs/{other['id']}/findings",
                        json={"kind": "gap", "title": "Theirs", "dimensions": []}).json
    response = lead.post(scenario.url(f"/findings/{scenario.ids['ops']}/root-causes"),
                         json={"root_cause_id": foreign["id"]})
    assert response.status_code == 404
