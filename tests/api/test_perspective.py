"""A respondent's `perspective` (`client` or `consultant`, a cross self-assessment) over the
API: given and read back, imported with ratings, travelling with an export, and perception
gaps by it (DESIGN section 3), every number computed by hand."""

from __future__ import annotations

import pytest

from tests.builders import Scenario, framework_doc

CLIENT, CONSULTANT = {"perspective": "client"}, {"perspective": "consultant"}


def _gaps(scenario: Scenario, by: str = "perspective") -> dict[str, dict]:
    response = scenario.api.get(scenario.assessment_url(f"/perception-gaps?by={by}"))
    assert response.status_code == 200, response.json
    return {d["dimension"]: d for d in response.json["dimensions"]}


@pytest.fixture
def cross(lead, admin) -> Scenario:
    """a.one rated by 3 clients (4, 5, 3), 3 consultants (2, 2, 3) and one respondent without
    a perspective (1); a.two by the 3 clients (3, 3, 4) and 2 of the consultants (1, 2)."""
    scenario = Scenario(lead, admin)
    people = [("C1", CLIENT, 4, 3), ("C2", CLIENT, 5, 3), ("C3", CLIENT, 3, 4),
              ("K1", CONSULTANT, 2, 1), ("K2", CONSULTANT, 2, 2), ("K3", CONSULTANT, 3, None),
              ("N1", {}, 1, None)]
    rows = []
    for name, attrs, one, two in people:
        respondent = scenario.add_respondent(name, **attrs)
        rows.append({"respondent_id": respondent, "dimension": "a.one", "value": one})
        if two is not None:
            rows.append({"respondent_id": respondent, "dimension": "a.two", "value": two})
    assert scenario.rate(rows).status_code == 200
    return scenario


def test_the_perspective_is_given_and_read_back(cross):
    people = cross.api.get(cross.assessment_url("/respondents")).json["items"]

    assert [(p["name"], p["perspective"]) for p in people] == [
        ("C1", "client"), ("C2", "client"), ("C3", "client"), ("K1", "consultant"),
        ("K2", "consultant"), ("K3", "consultant"), ("N1", None)]


def test_a_perspective_outside_client_and_consultant_is_refused(lead, admin):
    scenario = Scenario(lead, admin)

    response = scenario.api.post(scenario.assessment_url("/respondents"),
                                 json={"name": "Ann", "perspective": "partner"})

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["perspective"]


def test_the_perception_gap_by_perspective(cross):
    gaps = _gaps(cross)

    one = gaps["a.one"]
    # client (4+5+3)/3 = 4, consultant (2+2+3)/3 = 7/3; N1 has no perspective: no group
    assert [(g["name"], g["n"]) for g in one["groups"]] == [("client", 3), ("consultant", 3)]
    assert one["groups"][0]["mean"] == pytest.approx(4.0, rel=1e-15)
    assert one["groups"][1]["mean"] == pytest.approx(7 / 3, rel=1e-15)
    # gap 4 - 7/3 = 5/3 ≥ 1.0: flagged
    assert one["gap"] == pytest.approx(5 / 3, rel=1e-15)
    assert one["flagged"] is True and one["hidden_groups"] == 0


def test_a_perspective_below_min_group_size_is_not_shown(cross):
    two = _gaps(cross)["a.two"]

    # only 2 consultants rated a.two (< 3): hidden; clients (3+3+4)/3 = 10/3 alone, no gap
    assert [(g["name"], g["n"]) for g in two["groups"]] == [("client", 3)]
    assert two["groups"][0]["mean"] == pytest.approx(10 / 3, rel=1e-15)
    assert two["hidden_groups"] == 1
    assert two["gap"] is None and two["flagged"] is False
    assert "consultant" not in str(two)


def test_suggested_findings_read_the_perspective_gap(cross):
    response = cross.api.post(cross.assessment_url("/findings/suggest"))

    assert response.status_code == 200, response.json
    found = {f["suggestion_key"]: f["metrics"] for f in response.json["created"]}
    # a.one: the flagged gap of 5/3 by perspective triggers a tension
    assert "perception:perspective" in found["tension:a.one"]["triggers"]
    # a.two: its only shown group gives no gap (its dispersion alone is a tension)
    assert not any(t.startswith("perception:")
                   for t in found.get("tension:a.two", {}).get("triggers", []))


def _import(scenario: Scenario, text: str):
    return scenario.api.post(scenario.assessment_url("/ratings/import"), data=text.encode(),
                             headers={"Content-Type": "text/csv"})


FILE_HEADER = "name,role,team,level,source,perspective,a.one\n"


def test_a_ratings_file_may_give_the_perspective(lead, admin):
    scenario = Scenario(lead, admin)

    response = _import(scenario, FILE_HEADER + "Ann,cio,,leader,,client,4\n"
                       "Bob,pm,,team,interview,consultant,2\nCat,pm,,team,,,3\n")

    assert response.status_code == 201, response.json
    people = scenario.api.get(scenario.assessment_url("/respondents")).json["items"]
    assert [(p["name"], p["perspective"]) for p in people] == [
        ("Ann", "client"), ("Bob", "consultant"), ("Cat", None)]
    # a.one: (4 + 2 + 3) / 3 = 3
    assert scenario.scores()["axes"][0]["dimensions"][0]["score"] == pytest.approx(3.0)


def test_a_bad_perspective_cell_is_named_with_the_others_and_nothing_is_saved(lead, admin):
    scenario = Scenario(lead, admin)

    response = _import(scenario, FILE_HEADER + "Ann,cio,,leader,,client,4\n"
                       "Bob,pm,,team,,partner,2\nCat,pm,,team,,consultant,9\n")

    assert response.status_code == 422
    assert set(response.json["errors"]) == {"row 3.perspective", "row 4.a.one"}
    assert scenario.api.get(scenario.assessment_url("/respondents")).json["total"] == 0


def test_a_dimension_coded_perspective_keeps_its_column(lead, admin):
    doc = framework_doc(code="cross-grid", axes=[{"code": "x", "name": "X", "dimensions": [
        {"code": "perspective", "name": "Perspective"}]}])
    scenario = Scenario(lead, admin, doc)

    response = _import(scenario, "name,role,team,level,source,perspective\nAnn,,,,,3\n")

    assert response.status_code == 201, response.json
    assert response.json["ratings"] == 1
    assert scenario.api.get(scenario.assessment_url("/respondents")).json["items"][0][
        "perspective"] is None


def test_the_perspective_and_planned_dates_travel_with_an_export(cross):
    cross.api.patch(cross.assessment_url(), json={"planned_open_on": "2027-03-01",
                                                  "planned_close_on": "2027-03-15"})
    document = cross.api.get(cross.url("/export")).json
    assert {r["name"]: r["perspective"] for r in document["respondent"]}["K1"] == "consultant"

    created = cross.api.post("/api/v1/orgs/import", json={**document})

    assert created.status_code == 201, created.json
    copy = f"/api/v1/orgs/{created.json['id']}"
    [assessment] = cross.api.get(f"{copy}/assessments").json["items"]
    assert (assessment["planned_open_on"], assessment["planned_close_on"]) == \
        ("2027-03-01", "2027-03-15")
    people = cross.api.get(f"{copy}/assessments/{assessment['id']}/respondents").json["items"]
    assert [p["perspective"] for p in people].count("client") == 3
