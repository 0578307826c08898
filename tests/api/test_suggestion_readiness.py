"""The suggested-initiatives read lists the templates held back by their rule (`readiness`):
the conditions with the organization's values, what stands in the way, and what would lift
it, its reason in the organization's language (tests/readiness_scenario.py)."""

from __future__ import annotations

from html import unescape

from tests.readiness_scenario import FRENCH_FIGURES, REASON, readiness_scenario


def _readiness(lead, scenario):
    response = lead.get(scenario.assessment_url("/suggested-initiatives"))
    assert response.status_code == 200, response.json
    return response.json


def test_a_held_back_template_says_which_conditions_fail_with_the_values(lead, admin):
    scenario = readiness_scenario(lead, admin)
    body = _readiness(lead, scenario)

    suggested = {t["code"] for f in body["findings"] for t in f["templates"]}
    assert suggested == {"t-roles"}  # t-ops is held back by its rule
    [held] = [r for r in body["readiness"] if r["code"] == "t-ops"]
    assert held["ready"] is False
    assert held["reason"] == REASON
    assert [(c["name"], c["actual"], c["holds"]) for c in held["conditions"]] == [
        ("management_levels", 3, True), ("a.one", 2.5, False), ("b.one", 1.5, False)]
    assert [[c["name"] for c in group] for group in held["unmet"]] == [["a.one"], ["b.one"]]
    findings = {f["title"]: f["finding_id"] for f in body["findings"]}
    assert held["finding_ids"] == [findings["No product operations"]]
    assert held["lifted_by_findings"] == [{"id": findings["Unclear roles"],
                                           "title": "Unclear roles"}]
    assert held["lifted_by_templates"] == [{"code": "t-roles", "title": "Clarify roles",
                                            "adopted_by": None}]


def test_after_adopting_the_prerequisite_the_reason_only_names_the_finding(lead, admin):
    scenario = readiness_scenario(lead, admin)
    assert lead.post(scenario.assessment_url("/suggested-initiatives/adopt"),
                     json={"template_codes": ["t-roles"]}).status_code == 201

    [held] = _readiness(lead, scenario)["readiness"]

    assert held["reason"] == ("Not yet: a.one 2.5 < 3, b.one 1.5 < 3; answer “Unclear "
                              "roles” first.")
    assert held["lifted_by_templates"][0]["adopted_by"]["title"] == "Clarify roles"


def test_the_reason_follows_the_organization_language(lead, admin):
    scenario = readiness_scenario(lead, admin)
    assert lead.patch(scenario.url(), json={"locale": "fr"}).status_code == 200

    [held] = _readiness(lead, scenario)["readiness"]

    for figures in FRENCH_FIGURES:
        assert figures in held["reason"]
    assert "2.5" not in held["reason"]


def test_no_template_held_back_gives_an_empty_readiness_list(lead, admin):
    scenario = readiness_scenario(lead, admin)
    assert lead.patch(scenario.url("/playbook/t-ops"), json={"rules": None}).status_code == 200

    body = _readiness(lead, scenario)

    assert body["readiness"] == []
    assert "t-ops" in {t["code"] for f in body["findings"] for t in f["templates"]}


def test_the_report_lists_the_held_back_template_with_its_reason(lead, admin):
    scenario = readiness_scenario(lead, admin)

    response = lead.get(scenario.assessment_url("/report?format=html"))

    assert response.status_code == 200
    text = unescape(response.text)
    section = text[text.index('id="readiness"'):text.index('id="backlog"')]
    # the report names the dimensions (the test grid's "A one", "B one")
    assert "Create a product ops role" in section
    assert "Not yet: A one 2.5 < 3, B one 1.5 < 3; answer “Unclear roles” first" in section
