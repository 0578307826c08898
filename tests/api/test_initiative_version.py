"""Initiative versions: every write counts one, the `ETag` carries it, a change sent with a
stale `If-Match` or `version` answers 412 and changes nothing, one sent without either
proceeds as before; the edit form sends the version it showed. Respondent names are unique
per assessment (409 naming `name`). The races themselves: `tests/integration/test_concurrency`.
"""

from __future__ import annotations

import re

import pytest

from tests.builders import Scenario
from tracker.domain.errors import Conflict
from tracker.extensions import db
from tracker.models import Initiative
from tracker.services.unit_of_work import transaction

PASSWORD = "correct horse battery"


@pytest.fixture
def scenario(lead, admin) -> Scenario:
    return Scenario(lead, admin)


@pytest.fixture
def url(lead, scenario) -> str:
    created = lead.post(scenario.url("/initiatives"), json={"title": "Shared roadmap"})
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'
    assert created.json["version"] == 1
    return scenario.url(f"/initiatives/{created.json['id']}")


def trail(lead, url: str) -> list[dict]:
    return lead.get(f"{url}/audit", query_string={"per_page": 200}).json["items"]


def test_every_write_counts_one_version_and_the_etag_carries_it(lead, scenario, url):
    assert lead.get(url).headers["ETag"] == '"1"'
    renamed = lead.patch(url, json={"title": "Shared product roadmap"})
    assert renamed.json["version"] == 2 and renamed.headers["ETag"] == '"2"'
    moved = lead.patch(url, json={"status": "approved"})
    assert moved.json["version"] == 3
    lifted = lead.patch(url, json={"uplifts": [{"dimension": "a.one", "expected": 0.5}]})
    assert lifted.json["version"] == 4  # stored in another table, counted all the same
    rated = lead.put(f"{url}/ratings/ann", json={"business_value": 5})
    assert rated.json["version"] == 5 and rated.headers["ETag"] == '"5"'
    same = lead.patch(url, json={"title": "Shared product roadmap"})
    assert same.json["version"] == 5  # nothing changed, nothing counted
    assert lead.post(f"{url}/archive").json["version"] == 6
    assert lead.post(f"{url}/restore").json["version"] == 7
    assert lead.get(url).headers["ETag"] == '"7"'


def test_a_change_on_the_current_version_is_made(lead, url):
    by_header = lead.patch(url, json={"title": "Roadmap v2"}, headers={"If-Match": '"1"'})
    assert by_header.status_code == 200 and by_header.json["version"] == 2
    by_body = lead.patch(url, json={"title": "Roadmap v3", "version": 2})
    assert by_body.status_code == 200 and by_body.json["version"] == 3
    any_version = lead.patch(url, json={"title": "Roadmap v4"}, headers={"If-Match": "*"})
    assert any_version.status_code == 200 and any_version.json["version"] == 4
    several = lead.patch(url, json={"title": "Roadmap v5"}, headers={"If-Match": '"3", "4"'})
    assert several.status_code == 200 and several.json["version"] == 5


@pytest.mark.parametrize("stale", [{"headers": {"If-Match": '"1"'}}, {"version": 1},
                                   {"headers": {"If-Match": 'W/"2"'}},
                                   {"headers": {"If-Match": '"two"'}}],
                         ids=["if-match", "body", "weak-tag", "not-a-version"])
def test_a_change_on_a_stale_version_answers_412_and_changes_nothing(lead, url, stale):
    assert lead.patch(url, json={"title": "Theirs"}).json["version"] == 2
    events = trail(lead, url)

    body = {"title": "Mine"} | ({"version": stale["version"]} if "version" in stale else {})
    refused = lead.patch(url, json=body, headers=stale.get("headers", {}))

    assert refused.status_code == 412
    assert refused.mimetype == "application/problem+json"
    assert refused.json["current_version"] == 2 and "version 2" in refused.json["detail"]
    assert refused.json["errors"] == {"version": ["The current version is 2."]}
    current = lead.get(url)
    assert current.json["title"] == "Theirs" and current.headers["ETag"] == '"2"'
    assert trail(lead, url) == events


def test_a_change_without_a_version_proceeds_as_before(lead, url):
    assert lead.patch(url, json={"title": "Theirs"}).status_code == 200
    blind = lead.patch(url, json={"title": "Mine"})
    assert blind.status_code == 200 and blind.json["title"] == "Mine"
    titles = [e["changes"]["title"] for e in trail(lead, url) if e["action"] == "update"]
    assert titles == [["Shared roadmap", "Theirs"], ["Theirs", "Mine"]]


def test_a_write_based_on_a_stale_read_is_refused_rather_than_merged(app, lead, url):
    initiative_id = int(url.rsplit("/", 1)[1])
    initiative = db.session.get(Initiative, initiative_id)  # read at version 1
    with app.app_context(), transaction():  # another request, with a session of its own
        db.session.get_one(Initiative, initiative_id).title = "Theirs"

    refused = pytest.raises(Conflict, match="Someone else changed this record at the same time")
    with refused, transaction():
        initiative.owner = "Mine"

    current = lead.get(url).json
    assert (current["title"], current["owner"], current["version"]) == ("Theirs", None, 2)


def test_the_document_shows_version_read_only_if_match_and_412(client):
    document = client.get("/api/v1/openapi.json").json
    version = document["components"]["schemas"]["Initiative"]["properties"]["version"]
    assert version["readOnly"] is True and version["type"] == "integer"
    patch = document["paths"]["/api/v1/orgs/{org_id}/initiatives/{initiative_id}"]["patch"]
    assert [p["name"] for p in patch["parameters"] if p["in"] == "header"] == ["If-Match"]
    assert "412" in patch["responses"] and "ETag" in patch["responses"]["200"]["headers"]


def test_the_edit_form_refuses_a_stale_submit_and_keeps_what_was_typed(app, lead, url):
    client = app.test_client()  # signed in by session, apart from the API client's
    assert client.post("/login", data={"email": "lead@example.org",
                                       "password": PASSWORD}).status_code == 302
    page = url.removeprefix("/api/v1")
    form = client.get(f"{page}/edit").text
    assert re.search(r'<input type="hidden" name="version" value="1">', form)
    assert lead.patch(url, json={"title": "Theirs"}).json["version"] == 2

    stale = client.post(f"{page}/edit", data={"title": "Mine", "version": "1"})

    assert stale.status_code == 422
    assert "Someone else saved this initiative while you were editing it" in stale.text
    assert re.search(r'name="title"[^>]*value="Mine"', stale.text)
    assert re.search(r'<input type="hidden" name="version" value="2">', stale.text)
    assert lead.get(url).json["title"] == "Theirs"
    again = client.post(f"{page}/edit", data={"title": "Mine", "version": "2"})
    assert again.status_code == 303 and lead.get(url).json["title"] == "Mine"


def test_respondent_names_are_unique_within_an_assessment(lead, admin, scenario):
    scenario.add_respondent("Ann")
    duplicate = lead.post(scenario.assessment_url("/respondents"),
                          json={"name": "Ann", "role": "pm", "source": "interview"})
    assert duplicate.status_code == 409
    assert duplicate.json["errors"] == {"name": ["Already a respondent of this assessment."]}
    assert [r["name"] for r in lead.get(scenario.assessment_url("/respondents")).json[
        "items"]] == ["Ann"]
    other = lead.post(scenario.url("/assessments"), json={
        "framework_id": scenario.framework["id"], "title": "Pulse", "kind": "pulse"}).json
    again = lead.post(scenario.url(f"/assessments/{other['id']}/respondents"),
                      json={"name": "Ann", "source": "survey"})
    assert again.status_code == 201
