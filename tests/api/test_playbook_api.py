"""Profile, playbook templates (own, overridden, retired, YAML), suggested initiatives ranked
by gap value and their adoption with dependencies; every number by hand from DESIGN §3."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.builders import Scenario, add_member
from tracker.seeding.playbook import seed_playbook

# Test grid: axis a (weight 1): a.one (w 1), a.two (w 3); axis b (weight 2): b.one, b.two.
# Shares: a.one 1·1/(3·4) = 1/12, a.two 1·3/(3·4) = 1/4, b.one = b.two = 2·1/(3·2) = 1/3.
ROLES = {"code": "t-roles", "title": "Clarify roles", "class": "quick_win",
         "duration_weeks": 4, "uplifts": {"a.one": 1}}
TRIOS = {"code": "t-trios", "title": "Product trios", "duration_weeks": 6,
         "uplifts": {"a.two": 1}, "prerequisites": ["t-roles"]}
DISCOVERY = {"code": "t-discovery", "title": "Continuous discovery", "class": "structural_lever",
             "duration_weeks": 13, "uplifts": {"b.one": 2}, "prerequisites": ["t-trios"],
             "rules": {"score": "a.one", "op": ">=", "value": 2},
             "success_criteria": ["Trios talk to users weekly"]}
OPS = {"code": "t-ops", "title": "Product ops", "uplifts": {"a.one": 1, "b.one": 1},
       "rules": {"all": [{"profile": "management_levels", "op": ">=", "value": 2},
                         {"score": "a.one", "op": ">=", "value": 3}]}}
BIG = {"code": "t-big", "title": "Three levels of governance", "uplifts": {"a.one": 1},
       "rules": {"profile": "management_levels", "op": ">=", "value": 3}}


@pytest.fixture
def scenario(lead, admin):
    scenario = Scenario(lead, admin)
    ann = scenario.add_respondent()
    assert scenario.rate([{"respondent_id": ann, "dimension": d, "value": v} for d, v in
                          {"a.one": 2, "a.two": 1, "b.one": 1, "b.two": 4}.items()]
                         ).status_code == 200
    targets = [{"dimension": d, "level": v} for d, v in
               {"a.one": 3, "a.two": 3, "b.one": 4, "b.two": 4}.items()]
    assert lead.put(scenario.url("/targets"), json={
        "framework_id": scenario.framework["id"], "targets": targets}).status_code == 200
    assert lead.put(scenario.url("/profile"), json={
        "size_band": "mid_size", "management_levels": 2, "product_tech_people": 80,
        "growth_outlook": "steady"}).status_code == 200
    for template in (ROLES, TRIOS, DISCOVERY, OPS, BIG):
        response = lead.post(scenario.url("/playbook"), json=template)
        assert response.status_code == 201, response.json
    scenario.findings = [_finding(scenario, "gap", "Roles are blurred", ["a.one"]),
                         _finding(scenario, "gap", "No discovery", ["a.two", "b.one"]),
                         _finding(scenario, "strength", "Reliable releases", ["b.two"])]
    return scenario


def _finding(scenario, kind, title, dimensions):
    response = scenario.api.post(scenario.url("/findings"), json={
        "kind": kind, "title": title, "dimensions": dimensions,
        "assessment_id": scenario.assessment["id"]})
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_the_profile_reads_back_as_written(scenario, lead):
    assert lead.get(scenario.url("/profile")).json == {
        "size_band": "mid_size", "management_levels": 2, "product_tech_people": 80,
        "growth_outlook": "steady", "regulatory_constraints": []}


def test_only_leads_write_the_profile(scenario, lead, make_api):
    ops = make_api("ops@example.org")
    add_member(scenario.org["id"], "ops@example.org", "ops")
    assert ops.put(scenario.url("/profile"), json={"size_band": "startup"}).status_code == 403
    assert ops.get(scenario.url("/profile")).json["size_band"] == "mid_size"
    bad = lead.put(scenario.url("/profile"), json={"size_band": "huge"})
    assert bad.status_code == 422 and "size_band" in bad.json["errors"]


def test_suggestions_rank_applicable_templates_by_gap_value_with_reasons(scenario, lead):
    body = lead.get(scenario.assessment_url("/suggested-initiatives")).json

    roles_finding, discovery_finding = body["findings"]  # the strength is not answered
    assert roles_finding["finding_id"] == scenario.findings[0]
    # t-roles: 1/12·min(1, gap 3 − 2 = 1) = 1/12. t-ops needs a.one ≥ 3 (score 2) and t-big
    # three management levels (profile: 2): neither applies.
    assert [(t["code"], t["value"]) for t in roles_finding["templates"]] == [("t-roles", 1 / 12)]
    # t-discovery: 1/3·min(2, 4 − 1 = 3) = 2/3 ; t-trios: 1/4·min(1, 3 − 1 = 2) = 1/4
    assert [(t["code"], t["value"]) for t in discovery_finding["templates"]] == [
        ("t-discovery", 2 / 3), ("t-trios", 1 / 4)]
    discovery = discovery_finding["templates"][0]
    assert discovery["class"] == "structural_lever" and discovery["duration_weeks"] == 13
    assert discovery["dimensions"] == ["b.one"]
    assert "a.one score ≥ 2 holds" in discovery["reason"]
    assert "b.one: min(uplift 2, gap 3)" in discovery["reason"]


def test_adopting_a_prerequisite_chain_gives_three_initiatives_two_dependencies(scenario,
                                                                               lead):
    response = lead.post(scenario.assessment_url("/suggested-initiatives/adopt"),
                         json={"template_codes": ["t-discovery", "t-trios", "t-roles"]})

    assert response.status_code == 201, response.json
    created = {i["template_code"]: i for i in response.json["initiatives"]}
    roles, trios, discovery = created["t-roles"], created["t-trios"], created["t-discovery"]
    assert roles["finding_ids"] == [scenario.findings[0]]
    assert trios["finding_ids"] == discovery["finding_ids"] == [scenario.findings[1]]
    assert discovery["uplifts"] == [{"dimension": "b.one", "expected": 2.0}]
    assert discovery["duration_weeks"] == 13 and discovery["title"] == "Continuous discovery"
    edges = {(d["prerequisite_id"], d["dependent_id"]) for d in response.json["dependencies"]}
    assert edges == {(roles["id"], trios["id"]), (trios["id"], discovery["id"])}
    listed = lead.get(scenario.url("/dependencies")).json
    assert listed["total"] == 2
    stored = lead.get(scenario.url(f"/initiatives/{discovery['id']}")).json
    assert stored["finding_ids"] == [scenario.findings[1]]


def test_adopting_an_inapplicable_or_unknown_template_creates_nothing(scenario, lead):
    response = lead.post(scenario.assessment_url("/suggested-initiatives/adopt"),
                         json={"template_codes": ["t-roles", "t-ops", "nope"]})

    assert response.status_code == 422
    assert response.json["errors"]["template_codes"] == [
        "'t-ops' does not apply to any open gap, tension or blind spot of this assessment",
        "'nope' is not in the playbook"]
    assert lead.get(scenario.url("/initiatives")).json["total"] == 0


def test_a_template_with_an_unknown_dimension_or_profile_field_is_refused(scenario, lead):
    response = lead.post(scenario.url("/playbook"), json={
        "code": "t-bad", "title": "Bad", "uplifts": {"a.zero": 1},
        "rules": {"any": [{"profile": "headcount", "op": ">=", "value": 10}]}})

    assert response.status_code == 422
    assert response.json["errors"]["uplifts"] == ["unknown dimension 'a.zero'"]
    assert response.json["errors"]["rules"][0].startswith(
        "rules.any[0].profile: unknown profile field 'headcount'")
    assert lead.get(scenario.url("/playbook/t-bad")).status_code == 404


def test_a_yaml_playbook_with_a_prerequisite_cycle_saves_nothing(scenario, lead):
    document = yaml.safe_dump({"templates": [
        {"code": "t-new", "title": "New", "uplifts": {"a.one": 1}},
        {**ROLES, "prerequisites": ["t-discovery"]}]})

    response = lead.post(scenario.url("/playbook/import"), data=document,
                         headers={"Content-Type": "application/yaml"})

    assert response.status_code == 422
    cycle = response.json["errors"]["prerequisites"][0]
    assert cycle.startswith("cycle: ") and {"t-roles", "t-trios", "t-discovery"} <= set(
        cycle.removeprefix("cycle: ").split(" → "))
    assert lead.get(scenario.url("/playbook/t-new")).status_code == 404
    assert lead.get(scenario.url("/playbook/t-roles")).json["prerequisites"] == []


def test_yaml_export_imports_back_and_bad_documents_are_named(scenario, lead):
    exported = lead.get(scenario.url("/playbook/export"))
    assert exported.mimetype == "application/yaml"
    document = yaml.safe_load(exported.get_data(as_text=True))
    assert [t["code"] for t in document["templates"]] == [
        "t-big", "t-discovery", "t-ops", "t-roles", "t-trios"]
    document["templates"][3]["title"] = "Clarify product roles"
    response = lead.post(scenario.url("/playbook/import"), data=yaml.safe_dump(document),
                         headers={"Content-Type": "application/yaml"})
    assert response.status_code == 201 and response.json["total"] == 5
    assert lead.get(scenario.url("/playbook/t-roles")).json["title"] == "Clarify product roles"
    bad = lead.post(scenario.url("/playbook/import"), data="templates: [{code: X}]",
                    headers={"Content-Type": "application/yaml"})
    assert bad.status_code == 422
    assert set(bad.json["errors"]) == {"templates[0].code", "templates[0].title"}


def test_built_ins_are_overridden_per_organization_and_retired(lead, admin):
    grid = Path(__file__).resolve().parents[2] / "seeds" / "frameworks" / "pom-grid.yaml"
    assert admin.post("/api/v1/frameworks", json=yaml.safe_load(grid.read_text())
                      ).status_code == 201
    assert seed_playbook().created >= 25
    assert seed_playbook().created == 0  # idempotent
    mine = lead.post("/api/v1/orgs", json={"name": "Mine"}).json
    theirs = lead.post("/api/v1/orgs", json={"name": "Theirs"}).json
    url = f"/api/v1/orgs/{mine['id']}/playbook"
    total = lead.get(url).json["total"]

    changed = lead.patch(f"{url}/simplify-rituals", json={"duration_weeks": 3})
    assert changed.status_code == 200
    assert changed.json["builtin"] is False and changed.json["duration_weeks"] == 3
    assert lead.get(f"/api/v1/orgs/{theirs['id']}/playbook/simplify-rituals"
                    ).json["duration_weeks"] == 4
    assert lead.delete(f"{url}/product-ops-role").status_code == 204
    assert lead.get(url).json["total"] == total - 1
    assert lead.get(url, query_string={"include_retired": "true"}).json["total"] == total
    assert lead.patch(f"{url}/simplify-rituals", json={"prerequisites": ["nope"]}
                      ).status_code == 422
