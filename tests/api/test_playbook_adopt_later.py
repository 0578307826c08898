"""Adopting a playbook template records its origin, and a template adopted after its
prerequisite depends on the initiative adopted earlier (unless that one was dropped)."""

from __future__ import annotations

import pytest

from tests.builders import Scenario

ROLES = {"code": "t-roles", "title": "Clarify roles", "duration_weeks": 4,
         "uplifts": {"a.one": 1}}
TRIOS = {"code": "t-trios", "title": "Product trios", "duration_weeks": 6,
         "uplifts": {"a.two": 1}, "prerequisites": ["t-roles"]}


@pytest.fixture
def scenario(lead, admin):
    scenario = Scenario(lead, admin)
    ann = scenario.add_respondent()
    assert scenario.rate([{"respondent_id": ann, "dimension": d, "value": v} for d, v in
                          {"a.one": 2, "a.two": 1, "b.one": 1, "b.two": 4}.items()]
                         ).status_code == 200
    for template in (ROLES, TRIOS):
        assert lead.post(scenario.url("/playbook"), json=template).status_code == 201
    response = lead.post(scenario.url("/findings"), json={
        "kind": "gap", "title": "Roles and trios are missing", "dimensions": ["a.one", "a.two"],
        "assessment_id": scenario.assessment["id"]})
    assert response.status_code == 201, response.json
    return scenario


def adopt(scenario, lead, codes):
    response = lead.post(scenario.assessment_url("/suggested-initiatives/adopt"),
                         json={"template_codes": codes})
    assert response.status_code == 201, response.json
    return response.json


def test_a_later_adoption_depends_on_the_prerequisite_adopted_earlier(scenario, lead):
    roles = adopt(scenario, lead, ["t-roles"])["initiatives"][0]
    assert roles["template_code"] == "t-roles"
    assert lead.get(scenario.url(f"/initiatives/{roles['id']}")).json["template_code"] == \
        "t-roles"

    later = adopt(scenario, lead, ["t-trios"])
    trios = later["initiatives"][0]
    assert [(d["prerequisite_id"], d["dependent_id"]) for d in later["dependencies"]] == [
        (roles["id"], trios["id"])]
    listed = lead.get(scenario.url("/dependencies")).json
    assert listed["total"] == 1
    assert (listed["items"][0]["prerequisite_id"], listed["items"][0]["dependent_id"]) == (
        roles["id"], trios["id"])
    assert lead.get(scenario.url(f"/initiatives/{trios['id']}")).json["template_code"] == \
        "t-trios"


def test_a_dropped_earlier_adoption_is_not_a_prerequisite(scenario, lead):
    roles = adopt(scenario, lead, ["t-roles"])["initiatives"][0]
    assert lead.patch(scenario.url(f"/initiatives/{roles['id']}"),
                      json={"status": "dropped"}).status_code == 200

    later = adopt(scenario, lead, ["t-trios"])
    assert later["dependencies"] == []
    assert lead.get(scenario.url("/dependencies")).json["total"] == 0


def test_the_template_code_cannot_be_written_through_the_api(scenario, lead):
    response = lead.post(scenario.url("/initiatives"),
                         json={"title": "Hand-made", "template_code": "t-roles"})
    assert response.status_code == 422
