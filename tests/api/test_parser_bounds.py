"""Parsers bounded before use (issue 13, findings 2 and 10): posted YAML and JSON documents
refuse anchors and aliases and keep within a byte limit and a node budget, the role is
checked before the document is parsed, and a ratings CSV keeps within its row and byte
limits; each over a limit answers 413 problem+json naming it."""

from __future__ import annotations

import json
import time
import tracemalloc
from io import BytesIO
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from tests.builders import Scenario, framework_doc
from tracker.adapters.importers.samm import SammLoader
from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import Membership, User

IMPORT = "/api/v1/frameworks/import"
MIB = 1024 * 1024
ALIASES = ["YAML anchors and aliases are not accepted."]


def alias_bomb() -> str:
    """The "billion laughs": nine levels of nine aliases, 9^9 strings from ~400 bytes."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


def measured(call: Any) -> tuple[Any, float, float]:
    """The call's answer, its duration in seconds and its peak of traced memory in MB."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        answer = call()
        return answer, time.perf_counter() - start, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.json
    assert response.headers["Content-Type"] == "application/problem+json"
    return response.json


def test_the_alias_bomb_is_refused_in_well_under_a_second_and_50_mb(make_api, admin):
    bomb = alias_bomb()
    assert len(bomb.encode()) < 450
    nobody = make_api("nobody@example.org")  # a signed-in user with no organization

    for api, expected in ((nobody, 422), (admin, 422)):
        response, seconds, peak_mb = measured(
            lambda api=api: api.post(IMPORT, json={"content": bomb}))
        print(f"alias bomb: {response.status_code} in {seconds:.3f} s, peak {peak_mb:.1f} MB")
        assert seconds < 1 and peak_mb < 50
        body = _assert_problem(response, expected)
        if api is admin:
            assert body["errors"] == {"content": ALIASES}
        else:  # no rights to a shared framework: refused before the YAML is parsed
            assert body["errors"] == {"org_id": ["Required for non-admin users."]}


def test_rights_are_checked_before_the_document_is_parsed(make_api, lead, admin):
    scenario = Scenario(lead, admin)
    outsider, viewer = make_api("out@example.org"), make_api("viewer@example.org")
    _join(scenario.org["id"], "viewer@example.org", "viewer")
    body = {"content": alias_bomb(), "org_id": scenario.org["id"]}

    assert _assert_problem(outsider.post(IMPORT, json=body), 404)
    assert _assert_problem(viewer.post(IMPORT, json=body), 403)
    assert _assert_problem(lead.post(IMPORT, json=body), 422)["errors"] == {"content": ALIASES}
    assert outsider.post(IMPORT, json={"format": "samm", "path": "/etc"}).status_code == 403


def _join(org_id: int, email: str, role: str) -> None:
    """Make an existing user a member, as `tracker members add` does."""
    user = db.session.scalar(select(User).where(User.email == email))
    db.session.add(Membership(org_id=org_id, user_id=user.id, role=role))
    db.session.commit()


def test_an_anchor_alone_is_refused_too(admin):
    document = yaml.safe_dump(framework_doc()).replace("axes:", "axes: &axes", 1)

    response = admin.post(IMPORT, json={"content": document})

    assert _assert_problem(response, 422)["errors"] == {"content": ALIASES}


def test_a_document_over_the_byte_limit_answers_413_with_the_limit(admin):
    response = admin.post(IMPORT, json={"content": "x" * (2 * MIB)})

    body = _assert_problem(response, 413)
    assert body["limit"] == 2 * MIB
    assert "2 MiB" in body["detail"] and "TRACKER_MAX_DOCUMENT_BYTES" in body["detail"]


def test_a_document_over_the_node_or_depth_budget_is_refused_quickly(admin):
    flat = "[" + "1," * 200_000 + "1]"
    deep: Any = 1
    for _ in range(40):
        deep = [deep]

    start = time.perf_counter()
    response = admin.post(IMPORT, json={"content": flat})
    assert time.perf_counter() - start < 3  # the whole list: 25 s with yaml.safe_load
    assert _assert_problem(response, 422)["errors"] == {"content": ["More than 50,000 nodes."]}
    response = admin.post(IMPORT, json={"content": {"code": "x", "axes": deep}})
    assert _assert_problem(response, 422)["errors"] == {
        "content": ["Nested deeper than 32 levels."]}


def test_a_json_body_nested_beyond_the_parser_is_a_422_not_a_500(admin):
    body = '{"content": ' + "[" * 100_000 + "]" * 100_000 + "}"

    response = admin.post(IMPORT, data=body, headers={"Content-Type": "application/json"})

    assert _assert_problem(response, 422)["errors"] == {
        "body": ["Malformed JSON: nested too deeply."]}


def test_legitimate_yaml_and_json_documents_still_import(lead, admin):
    org = lead.post("/api/v1/orgs", json={"name": "Acme"}).json

    as_yaml = lead.post(IMPORT, json={"content": yaml.safe_dump(framework_doc()),
                                      "org_id": org["id"]})
    as_json_text = admin.post(IMPORT, json={"content": json.dumps(framework_doc(version=2))})
    as_object = admin.post(IMPORT, json={"content": framework_doc(version=3)})

    assert as_yaml.status_code == 201, as_yaml.json
    assert as_yaml.json["org_id"] == org["id"]
    assert [r.status_code for r in (as_json_text, as_object)] == [201, 201]
    assert len(as_object.json["axes"]) == 2


def test_a_samm_model_file_with_an_anchor_is_refused():
    with pytest.raises(InvalidInput, match="anchors and aliases"):
        yaml.load("id: &x 1\nname: *x\n", Loader=SammLoader)


PLAYBOOK = "templates:\n  - &base {code: t-one, title: One}\n  - *base\n"


def test_a_playbook_with_anchors_is_refused_and_one_too_large_answers_413(lead, admin):
    scenario = Scenario(lead, admin)
    url = scenario.url("/playbook/import")

    refused = lead.post(url, data=PLAYBOOK, headers={"Content-Type": "application/yaml"})
    too_large = lead.post(url, data=b"#" * (2 * MIB + 1),
                          headers={"Content-Type": "application/yaml"})
    uploaded = lead.post(url, data={"file": (BytesIO(b"#" * (2 * MIB + 1)), "p.yaml")},
                         content_type="multipart/form-data")

    assert _assert_problem(refused, 422)["errors"] == {"body": ALIASES}
    assert _assert_problem(too_large, 413)["limit"] == 2 * MIB
    assert _assert_problem(uploaded, 413)["limit"] == 2 * MIB


def _csv(rows: int) -> str:
    return "name,role,team,level,source,a.one\n" + "".join(
        f"P{n},eng,claims,team,survey,3\n" for n in range(rows))


def test_a_ratings_csv_over_the_row_limit_answers_413_and_saves_nothing(lead, admin):
    scenario = Scenario(lead, admin)
    url = scenario.assessment_url("/ratings/import")

    response = lead.post(url, data=_csv(5001).encode(), headers={"Content-Type": "text/csv"})

    body = _assert_problem(response, 413)
    assert body["limit"] == 5000
    assert "5,000 respondent rows" in body["detail"]
    assert "row 5002" in body["detail"] and "Split it" in body["detail"]
    assert "TRACKER_RATINGS_IMPORT_MAX_ROWS" in body["detail"]
    assert scenario.api.get(scenario.assessment_url("/scores")).json["overall"] is None


def test_a_ratings_csv_over_the_byte_limit_answers_413_before_it_is_read(lead, admin):
    scenario = Scenario(lead, admin)
    url = scenario.assessment_url("/ratings/import")
    big = _csv(1) + "#" * (5 * MIB)

    for response in (
            lead.post(url, data=big.encode(), headers={"Content-Type": "text/csv"}),
            lead.post(url, data={"file": (BytesIO(big.encode()), "r.csv")},
                      content_type="multipart/form-data")):
        body = _assert_problem(response, 413)
        assert body["limit"] == 5 * MIB
        assert "5 MiB" in body["detail"] and "TRACKER_RATINGS_IMPORT_MAX_BYTES" in body["detail"]
        assert "Split it into files of at most 5,000 rows" in body["detail"]
