"""Respondent privacy by role (issue 13, finding 5): names, emails, survey links and what
each respondent answered are read by ops and leads only; viewers and contributors read
aggregates, which hide groups below the organization's `min_group_size`."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest

from tests.builders import Scenario, respondent
from tracker.extensions import db
from tracker.models import Organization, Respondent
from tracker.services.tenancy import organizations

NAME = "Zelda Quintessence"
EMAIL = "zelda@respondent.example"
COMMENT = "only-zelda-says-this"
VERBATIM = "We never see the users."


@pytest.fixture
def campaign(lead, admin, make_api) -> dict[str, Any]:
    """An open assessment with one interviewed respondent who rated with a comment and gave a
    verbatim; API clients of a viewer, a contributor and an ops member."""
    scenario = Scenario(lead, admin)
    respondent_id = scenario.add_respondent(NAME, email=EMAIL, source="interview")
    assert lead.patch(scenario.assessment_url(), json={"status": "open"}).status_code == 200
    rated = scenario.rate([{"respondent_id": respondent_id, "dimension": "a.one", "value": 2,
                            "comment": COMMENT}])
    assert rated.status_code == 200, rated.json
    evidence = lead.post(scenario.assessment_url("/evidence"), json={
        "text": VERBATIM, "dimensions": ["a.one"], "respondent_id": respondent_id})
    assert evidence.status_code == 201, evidence.json
    org = db.session.get(Organization, scenario.org["id"])
    members = {}
    for role in ("viewer", "contributor", "ops"):
        members[role] = make_api(f"{role}@example.org")
        organizations.add_member(org, f"{role}@example.org", role)
    token = db.session.scalar(db.select(Respondent.survey_token)
                              .where(Respondent.id == respondent_id))
    return {"scenario": scenario, "respondent_id": respondent_id, "token": token,
            "members": members}


def _get_routes(client) -> list[str]:
    """Every GET route of the API with an `{org_id}`, from the OpenAPI document."""
    spec = client.get("/api/v1/openapi.json").json
    return [path for path, operations in spec["paths"].items()
            if "{org_id}" in path and "get" in operations]


def _fill(path: str, campaign: dict[str, Any]) -> str:
    scenario = campaign["scenario"]
    ids = {"org_id": scenario.org["id"], "assessment_id": scenario.assessment["id"],
           "respondent_id": campaign["respondent_id"], "framework_id": scenario.framework["id"]}
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_the_respondents_list_answers_403_below_ops_and_says_why(campaign, role):
    response = campaign["members"][role].get(
        campaign["scenario"].assessment_url("/respondents"))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert response.json["required_role"] == "ops"
    assert "ops and leads only" in response.json["detail"]
    assert NAME not in response.text and EMAIL not in response.text


def _readable(data: bytes) -> bytes:
    """The bytes a reader could see: a workbook's (zip's) members unpacked, else as sent."""
    if not data.startswith(b"PK"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return b"".join(book.read(name) for name in book.namelist())


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_no_api_read_gives_a_name_email_survey_link_or_comment_below_ops(
        campaign, client, role):
    member = campaign["members"][role]
    secrets = (NAME, EMAIL, campaign["token"], COMMENT)
    read = 0
    for path in _get_routes(client):
        response = member.get(_fill(path, campaign))
        assert response.status_code < 500, path
        body = _readable(response.get_data())
        leaked = [secret for secret in secrets if secret.encode() in body]
        assert not leaked, (path, leaked)
        read += response.status_code == 200
    assert read >= 20  # the sweep read real answers, not only refusals


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_verbatims_never_say_whose_they_are_below_ops(campaign, role):
    response = campaign["members"][role].get(campaign["scenario"].assessment_url("/evidence"))
    assert response.status_code == 200
    (item,) = response.json["items"]
    assert item["text"] == VERBATIM and item["respondent_id"] is None


def test_a_contributor_adding_a_respondent_gets_no_survey_link_back(campaign):
    contributor = campaign["members"]["contributor"]
    response = contributor.post(campaign["scenario"].assessment_url("/respondents"),
                                json=respondent("Yann", email="yann@respondent.example"))
    assert response.status_code == 201, response.json
    assert response.json["name"] == "Yann" and response.json["id"] > 0
    assert response.json["survey_url"] is None and response.json["email"] is None
    token = db.session.scalar(db.select(Respondent.survey_token)
                              .where(Respondent.id == response.json["id"]))
    assert token and token not in response.text
    rated = contributor.put(campaign["scenario"].assessment_url("/ratings"), json=[
        {"respondent_id": response.json["id"], "dimension": "a.two", "value": 3}])
    assert rated.status_code == 200  # contributors still enter ratings


def test_ops_still_see_respondents_their_links_and_whose_verbatims(campaign):
    ops, scenario = campaign["members"]["ops"], campaign["scenario"]
    (person,) = ops.get(scenario.assessment_url("/respondents")).json["items"]
    assert (person["name"], person["email"]) == (NAME, EMAIL)
    assert person["survey_url"] == f"http://tracker.test/survey/{campaign['token']}"
    (item,) = ops.get(scenario.assessment_url("/evidence")).json["items"]
    assert item["respondent_id"] == campaign["respondent_id"]
    added = ops.post(scenario.assessment_url("/respondents"), json=respondent("Xavier"))
    assert added.json["survey_url"].startswith("http://tracker.test/survey/")


def test_only_the_respondents_own_link_shows_their_saved_comment(campaign, client):
    own = client.get(f"/survey/{campaign['token']}")
    assert own.status_code == 200 and COMMENT in own.text
    client.post("/login", data={"email": "viewer@example.org",
                                "password": "correct horse battery"})
    token = campaign["token"]
    guessed = client.get(f"/survey/{token[:-1]}{'y' if token.endswith('x') else 'x'}")
    assert guessed.status_code == 404 and COMMENT not in guessed.text


def test_groups_below_min_group_size_stay_hidden_from_a_viewer(campaign):
    viewer, scenario = campaign["members"]["viewer"], campaign["scenario"]
    gaps = viewer.get(scenario.assessment_url("/perception-gaps?by=team")).json
    assert gaps["min_group_size"] == 3
    one = next(d for d in gaps["dimensions"] if d["dimension"] == "a.one")
    assert one["groups"] == [] and one["hidden_groups"] == 1
