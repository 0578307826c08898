"""Tenants never see each other's data; roles limit what members may change."""

from __future__ import annotations

import re

import pytest

from tests.builders import Scenario, add_member

WRITE_METHODS = {"post", "put", "patch", "delete"}


def _org_routes(client) -> list[tuple[str, str]]:
    spec = client.get("/api/v1/openapi.json").json
    routes = []
    for path, operations in spec["paths"].items():
        if "{org_id}" not in path:
            continue
        for method in operations:
            if method in WRITE_METHODS | {"get"}:
                routes.append((method, path))
    assert len(routes) >= 10  # the check covers the real API, not an empty one
    return routes


def _fill(path: str, org_id: int, ids: dict[str, int]) -> str:
    path = path.replace("{org_id}", str(org_id))
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)


@pytest.fixture
def victim(lead, admin):
    scenario = Scenario(lead, admin, org_name="Victim")
    respondent = scenario.add_respondent()
    ids = {"assessment_id": scenario.assessment["id"], "user_id": 1,
           "respondent_id": respondent}
    return scenario, ids


def test_a_member_of_another_organization_gets_404_on_every_org_route(victim, make_api,
                                                                     client):
    scenario, ids = victim
    outsider = make_api("outsider@example.org")
    outsider.post("/api/v1/orgs", json={"name": "Their own"})
    for method, path in _org_routes(client):
        response = outsider.request(method.upper(), _fill(path, scenario.org["id"], ids),
                                    json={})
        assert response.status_code == 404, (method, path, response.json)
        assert response.mimetype == "application/problem+json"


def test_a_head_request_is_checked_like_the_get_it_runs(victim, make_api, client):
    scenario, ids = victim
    outsider = make_api("head-outsider@example.org")
    outsider.post("/api/v1/orgs", json={"name": "Theirs"})
    reads = [path for method, path in _org_routes(client) if method == "get"]
    for path in reads:
        url = _fill(path, scenario.org["id"], ids)
        assert client.head(url).status_code == 401, path
        assert outsider.request("HEAD", url).status_code == 404, path


def test_an_unknown_organization_is_indistinguishable_from_a_foreign_one(lead):
    assert lead.get("/api/v1/orgs/999999").json["detail"] == "Organization 999999 not found."


def test_a_viewer_cannot_write_anywhere_but_can_read(victim, make_api, lead, client):
    scenario, ids = victim
    viewer = make_api("viewer@example.org")
    add_member(scenario.org["id"], "viewer@example.org", "viewer")
    for method, path in _org_routes(client):
        url = _fill(path, scenario.org["id"], ids)
        response = viewer.request(method.upper(), url, json={})
        if method == "get" and response.status_code == 403:
            # a read declared for a higher role (invitations, the audit log, the export...)
            assert response.json["required_role"] != "viewer", (path, response.json)
        elif method == "get":
            assert response.status_code not in (401, 403), (path, response.json)
            assert response.status_code < 500, (path, response.json)
        else:
            assert response.status_code == 403, (method, path, response.json)


def test_contributors_write_ratings_and_evidence_but_not_assessments(victim, make_api, lead):
    scenario, ids = victim
    contributor = make_api("contrib@example.org")
    add_member(scenario.org["id"], "contrib@example.org", "contributor")
    rating = {"respondent_id": ids["respondent_id"], "dimension": "a.one", "value": 3}
    assert contributor.put(scenario.assessment_url("/ratings"), json=[rating]).status_code == 200
    assert contributor.post(scenario.assessment_url("/evidence"),
                            json={"text": "We ship weekly.", "dimensions": ["a.one"]}
                            ).status_code == 201
    assert contributor.post(scenario.url("/assessments"), json={
        "framework_id": scenario.framework["id"], "title": "x"}).status_code == 403
    assert contributor.patch(scenario.url(), json={"name": "Mine"}).status_code == 403


def test_only_leads_manage_members_and_the_last_lead_stays(victim, make_api, lead):
    scenario, _ = victim
    make_api("ops@example.org")
    ops_member = add_member(scenario.org["id"], "ops@example.org", "ops")
    lead_id = next(m["user_id"] for m in lead.get(scenario.url("/members")).json["items"]
                   if m["role"] == "lead")
    response = lead.patch(scenario.url(f"/members/{lead_id}"), json={"role": "viewer"})
    assert response.status_code == 409
    assert lead.patch(scenario.url(f"/members/{ops_member['user_id']}"),
                      json={"role": "lead"}).json["role"] == "lead"


def test_an_admin_sees_every_organization(victim, admin):
    assert admin.get("/api/v1/orgs").json["total"] == 1
    assert admin.get(victim[0].url()).status_code == 200


def test_contributors_do_not_write_the_backlog_or_findings(victim, make_api, lead):
    """Contributors write respondents, ratings and evidence; ops and leads the rest."""
    scenario, _ = victim
    contributor = make_api("contrib2@example.org")
    add_member(scenario.org["id"], "contrib2@example.org", "contributor")
    assert contributor.post(scenario.url("/initiatives"), json={"title": "x"}).status_code == 403
    assert contributor.post(scenario.url("/findings"), json={
        "kind": "gap", "title": "x", "dimensions": ["a.one"]}).status_code == 403
    assert contributor.post(scenario.url("/dependencies"), json={
        "prerequisite_id": 1, "dependent_id": 2}).status_code == 403


def test_members_roles_and_settings_are_in_the_audit_log_for_leads(victim, make_api, lead):
    scenario, _ = victim
    viewer = make_api("viewer@example.org")
    make_api("ops@example.org")
    ops = add_member(scenario.org["id"], "ops@example.org", "viewer")
    add_member(scenario.org["id"], "viewer@example.org", "viewer")
    lead.patch(scenario.url(f"/members/{ops['user_id']}"), json={"role": "ops"})
    lead.delete(scenario.url(f"/members/{ops['user_id']}"))
    lead.patch(scenario.url(), json={"name": "Victim Inc", "min_group_size": 3})

    log = lead.get(scenario.url("/audit")).json
    assert [(e["entity"], e["action"]) for e in log["items"]] == [
        ("organization", "settings"), ("member", "remove"), ("member", "role"),
        ("member", "add"), ("member", "add")]
    settings, removal, role = log["items"][:3]
    assert settings["changes"] == {"name": ["Victim", "Victim Inc"]}  # unchanged keys left out
    assert settings["actor_email"] == "lead@example.org" and settings["at"]
    assert removal["changes"] == {"email": "ops@example.org", "role": "ops"}
    assert role["changes"] == {"email": "ops@example.org", "role": ["viewer", "ops"]}
    assert log["items"][-1]["actor_email"] is None  # added from the server, by no one

    page = lead.get(scenario.url("/audit?entity=member&action=add&per_page=1&page=2")).json
    assert page["total"] == 2 and len(page["items"]) == 1
    assert viewer.get(scenario.url("/audit")).status_code == 403
