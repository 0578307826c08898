"""The OpenAPI document tells the truth (issue 13): a valid OpenAPI 3 document where every
operation has an id and its security, every error is problem+json and documented where it
occurs, every reference resolves, and no two schemas collide in a generated client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis

from tracker.schemas.problems import PROBLEM_JSON

PREFIX = "/api/v1"
METHODS = ("get", "post", "put", "patch", "delete")
#: The operations anyone may call, signed in or not; every other one needs a caller.
PUBLIC = {"GET /health", "GET /ready", "POST /auth/tokens", "POST /auth/password-reset",
          "POST /auth/password-reset/{token}", "POST /invitations/{token}/accept"}
#: Where the rate limits of anti-automation apply (429): sign-in, password reset, sending
#: invitations and creating tokens, accepting invitations.
RATE_LIMITED = {"POST /auth/tokens", "POST /auth/password-reset",
                "POST /auth/password-reset/{token}", "POST /orgs/{org_id}/invitations",
                "POST /orgs/{org_id}/members", "POST /me/tokens",
                "POST /invitations/{token}/accept"}
#: Bodies that are documents or uploads.
IMPORTS = {"POST /frameworks/import", "POST /orgs/import",
           "POST /orgs/{org_id}/assessments/{assessment_id}/ratings/import",
           "POST /orgs/{org_id}/initiatives/import", "POST /orgs/{org_id}/playbook/import"}


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    """The document the API serves."""
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    return response.json


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every operation as ("METHOD /path" under the prefix, operation)."""
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path.removeprefix(PREFIX)}", item[method]


def _responses(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    """The operation's responses by status, references to components followed."""
    components = document["components"]["responses"]
    return {status: components[response["$ref"].rsplit("/", 1)[1]]
            if "$ref" in response else response
            for status, response in operation["responses"].items()}


def _refs(node: Any) -> Iterator[str]:
    """Every `$ref` under `node`."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_document_is_valid_openapi_3(document):
    schemathesis.openapi.from_dict(document).validate()
    assert document["openapi"].startswith("3.")


def test_every_operation_has_a_unique_operation_id(document):
    ids = [operation.get("operationId") for _, operation in _operations(document)]
    assert None not in ids
    assert len(ids) == len(set(ids)) > 100


def test_public_operations_say_security_none_and_the_others_need_a_caller(document):
    assert document["security"] == [{"bearer": []}, {"session": []}]
    assert set(document["components"]["securitySchemes"]) == {"bearer", "session"}
    for name, operation in _operations(document):
        public = name in PUBLIC
        assert (operation.get("security") == []) is public, name
        signs_in = name == "POST /auth/tokens"  # a wrong password is a 401 too
        assert ("401" in operation["responses"]) is (not public or signs_in), name


def test_errors_are_problem_json_with_the_problem_schema_and_never_json(document):
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert problem["additionalProperties"] is True  # extras: cycle, current_version, limit
    assert problem["properties"]["errors"]["additionalProperties"]["items"] == {
        "type": "string"}
    for name, operation in _operations(document):
        assert "default" not in operation["responses"], name
        for status, response in _responses(document, operation).items():
            if int(status) < 400 or name in {"GET /health", "GET /ready"}:  # 503: what is down
                continue
            assert list(response["content"]) == [PROBLEM_JSON], (name, status)
            assert response["content"][PROBLEM_JSON]["schema"] == {
                "$ref": "#/components/schemas/Problem"}, (name, status)


def test_errors_are_documented_where_they_occur(document):
    assert {name for name, _ in _operations(document)} >= IMPORTS | RATE_LIMITED
    for name, operation in _operations(document):
        statuses = set(operation["responses"])
        method, path = name.split(" ")
        if "{org_id}" in path:
            assert "403" in statuses, name
        if "{" in path:
            assert "404" in statuses, name
        if "requestBody" in operation:
            assert {"413", "422"} <= statuses, name
        if any(p.get("in") == "query" for p in operation.get("parameters", [])):
            assert "422" in statuses, name
        if method != "GET" and name not in PUBLIC:  # a cookie without CSRF token, a race
            assert {"400", "409"} <= statuses, name
        if name in IMPORTS:
            assert "413" in statuses, name
        assert ("429" in statuses) is (name in RATE_LIMITED), name
        if name in RATE_LIMITED:
            retry_after = _responses(document, operation)["429"]["headers"]["Retry-After"]
            assert retry_after["schema"] == {"type": "integer"}
    patch = document["paths"][f"{PREFIX}/orgs/{{org_id}}/initiatives/{{initiative_id}}"]["patch"]
    assert {"409", "412"} <= set(patch["responses"])


def test_every_reference_resolves(document):
    refs = set(_refs(document))
    assert refs
    for ref in refs:
        kind, name = ref.removeprefix("#/components/").split("/")
        assert name in document["components"][kind], ref


def test_no_two_schemas_share_a_name_in_a_generated_client(document):
    """apispec numbers a second schema of the same name (`Member1`); openapi-python-client
    names an inline enum after its schema and property (`Member.role` → `MemberRole`), and
    drops a schema whose name that takes."""
    schemas = document["components"]["schemas"]
    assert not [name for name in schemas if re.fullmatch(r".*\D\d+", name)
                and re.sub(r"\d+$", "", name) in schemas]
    for name, schema in schemas.items():
        for prop, value in schema.get("properties", {}).items():
            enum_name = name + "".join(word.capitalize() for word in prop.split("_"))
            if "enum" in value or "enum" in value.get("items", {}):
                assert enum_name not in schemas and enum_name + "Item" not in schemas, (
                    f"{name}.{prop} clashes with {enum_name}")
    assert {"Member", "MemberPage"} <= set(schemas)


def test_the_api_docs_page_still_renders(client):
    page = client.get(f"{PREFIX}/docs")
    assert page.status_code == 200
    assert "swagger-ui" in page.text and f"{PREFIX}/openapi.json" in page.text
    assert client.get(f"{PREFIX}/docs/assets/swagger-ui-bundle.js").status_code == 200
