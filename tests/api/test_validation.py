"""Bad input answers problem+json naming the field, and leaves the database unchanged."""

from __future__ import annotations

from tests.builders import Scenario, framework_doc

PROBLEM = "application/problem+json"


def _assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.json
    assert body["status"] == status and body["title"] and body["detail"]
    if field is not None:
        assert field in body["errors"], body
    return body


def test_unknown_dimension_and_out_of_scale_value_reject_the_whole_batch(lead, admin):
    scenario = Scenario(lead, admin)
    ann = scenario.add_respondent()
    scenario.rate([{"respondent_id": ann, "dimension": "a.one", "value": 2}])

    response = scenario.rate([
        {"respondent_id": ann, "dimension": "a.one", "value": 4},
        {"respondent_id": ann, "dimension": "nope", "value": 3},
        {"respondent_id": ann, "dimension": "a.two", "value": 6},
    ])

    body = _assert_problem(response, 422, "[1].dimension")
    assert "[2].value" in body["errors"]
    # the valid first row was not applied either
    assert scenario.scores()["axes"][0]["dimensions"][0]["score"] == 2.0


def test_a_respondent_of_another_assessment_is_refused(lead, admin):
    scenario = Scenario(lead, admin)
    other = lead.post(scenario.url("/assessments"), json={
        "framework_id": scenario.framework["id"], "title": "Other"}).json
    stranger = lead.post(scenario.url(f"/assessments/{other['id']}/respondents"),
                         json={"name": "Zed"}).json["id"]

    response = scenario.rate([{"respondent_id": stranger, "dimension": "a.one", "value": 3}])

    _assert_problem(response, 422, "[0].respondent_id")


def test_wrong_types_name_the_field(lead, admin):
    scenario = Scenario(lead, admin)
    response = scenario.rate([{"respondent_id": "ann", "dimension": "a.one", "value": "high"}])
    body = _assert_problem(response, 422, "[0].respondent_id")
    assert "[0].value" in body["errors"]


def test_malformed_json_is_a_422_on_the_body(lead, admin):
    scenario = Scenario(lead, admin)
    response = lead.client.put(scenario.assessment_url("/ratings"), data="[{oops",
                               headers={**lead.headers, "Content-Type": "application/json"})
    _assert_problem(response, 422, "body")


def test_duplicate_framework_code_and_version_is_a_conflict(admin):
    assert admin.post("/api/v1/frameworks", json=framework_doc()).status_code == 201
    response = admin.post("/api/v1/frameworks", json=framework_doc())
    _assert_problem(response, 409, "version")
    assert admin.post("/api/v1/frameworks", json=framework_doc(version=2)).status_code == 201


def test_a_framework_with_duplicate_codes_or_descending_scale_is_refused(admin):
    doc = framework_doc()
    doc["axes"][1]["dimensions"][0]["code"] = "a.one"
    doc["scale"] = list(reversed(doc["scale"]))
    body = _assert_problem(admin.post("/api/v1/frameworks", json=doc), 422, "scale")
    assert "axes[1].dimensions[0].code" in body["errors"]
    assert admin.get("/api/v1/frameworks").json["total"] == 0


def test_only_admins_create_shared_frameworks(lead):
    _assert_problem(lead.post("/api/v1/frameworks", json=framework_doc()), 422, "org_id")


def test_an_org_owns_its_framework_and_others_do_not_see_it(lead, make_api):
    org = lead.post("/api/v1/orgs", json={"name": "Acme"}).json
    created = lead.post("/api/v1/frameworks", json=framework_doc(org_id=org["id"]))
    assert created.status_code == 201
    outsider = make_api("out@example.org")
    assert outsider.get(f"/api/v1/frameworks/{created.json['id']}").status_code == 404
    assert outsider.get("/api/v1/frameworks").json["total"] == 0


def test_closed_assessments_refuse_ratings_and_transitions_only_go_forward(lead, admin):
    scenario = Scenario(lead, admin)
    ann = scenario.add_respondent()
    _assert_problem(lead.patch(scenario.assessment_url(), json={"status": "closed"}), 409,
                    "status")
    assert lead.patch(scenario.assessment_url(), json={"status": "open"}).json["opened_at"]
    closed = lead.patch(scenario.assessment_url(), json={"status": "closed"}).json
    assert closed["status"] == "closed" and closed["closed_at"]
    _assert_problem(scenario.rate([{"respondent_id": ann, "dimension": "a.one", "value": 1}]),
                    409)


def test_unknown_route_wrong_method_and_pagination_limits(lead):
    _assert_problem(lead.get("/api/v1/nowhere"), 404)
    response = lead.delete("/api/v1/orgs")
    _assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]
    _assert_problem(lead.get("/api/v1/orgs?per_page=201"), 422, "per_page")


def test_an_unexpected_error_is_a_500_problem_without_traceback(app, lead, monkeypatch):
    from tracker.services.tenancy import organizations

    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(organizations, "list_organizations", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = lead.get("/api/v1/orgs")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    body = _assert_problem(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in body["detail"]


def test_lists_are_paginated(lead):
    for i in range(5):
        lead.post("/api/v1/orgs", json={"name": f"Org {i}"})
    page = lead.get("/api/v1/orgs?page=2&per_page=2").json
    assert page["total"] == 5
    assert [o["name"] for o in page["items"]] == ["Org 2", "Org 3"]
