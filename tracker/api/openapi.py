"""The OpenAPI document tells the truth: what every operation may answer, written once.

Views declare their success response (and flask-smorest adds 422 to those that take
arguments); `ContractPlugin` adds to every operation what the edges answer whatever the view,
so clients and schemathesis see the errors they will meet, each as `application/problem+json`:

* 401 on every operation that needs a signed-in caller, and `security: []` on public ones;
* 403 on every operation of an organization (a role check applies), 404 on every path with
  an id or a code (and for an organization the caller is not a member of);
* 400 (a cookie write without its CSRF token) and 409 (a rule of the current state, or a
  lost race) on every authenticated write, 412 where an `If-Match` header is taken, 413 and
  422 on every body (`MAX_CONTENT_LENGTH`, and validation), 422 on every query;
* 429 (with `Retry-After`) where a rule of `security.limits.RULES` applies;
* the statuses of `EXTRA_STATUSES`, which only some views answer (wrong credentials, a used
  invitation);
* a unique, stable `operationId`: blueprint, view and method (`orgs_members_post`).
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from apispec import BasePlugin
from flask import Flask

from tracker.api.access import is_public, view_method
from tracker.schemas.problems import PROBLEM_JSON, ProblemSchema
from tracker.security import limits

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
#: Statuses some operations answer besides the rules, by "METHOD path" under the API prefix:
#: what a view itself decides.
EXTRA_STATUSES: dict[str, tuple[int, ...]] = {
    "POST /auth/tokens": (401,),  # unknown email or wrong password
    "POST /me/tokens": (403,),  # a Bearer token may not create another
    "POST /me/feeds": (404,),  # a feed of an organization the caller is not a member of
    "POST /frameworks/import": (403,),  # a SAMM folder on the server: admins only
    # a cookie without CSRF token (400), signed in with another email (403), an account
    # exists already (409), a link used, cancelled or expired (410)
    "POST /invitations/{token}/accept": (400, 403, 409, 410),
}
#: Headers that go with some problems.
PROBLEM_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "`Bearer`: how to authenticate",
                               "schema": {"type": "string"}}},
    405: {"Allow": {"description": "The methods the path accepts",
                    "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait before trying again",
                          "schema": {"type": "integer"}}},
}


def problem_response(status: HTTPStatus) -> dict[str, Any]:
    """The response component of an error `status`: a problem+json body, and its headers."""
    response: dict[str, Any] = {"description": status.phrase,
                                "content": {PROBLEM_JSON: {"schema": ProblemSchema}}}
    if status in PROBLEM_HEADERS:
        response["headers"] = PROBLEM_HEADERS[status]
    return response


def operation_id(endpoint: str, method: str) -> str:
    """A stable id from the endpoint and the method.

    >>> operation_id("orgs.MemberById", "patch")
    'orgs_member_by_id_patch'
    """
    blueprint, _, view = endpoint.rpartition(".")
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", view).lower()
    return "_".join(part for part in (blueprint, words, method) if part)


def rate_limited(endpoint: str, method: str) -> bool:
    """Whether a rule of `security.limits.RULES` limits `method` on `endpoint` (a rule's
    name ending with `.` stands for a whole blueprint)."""
    return any((rule.methods is None or method.upper() in rule.methods)
               and any(endpoint == name or (name.endswith(".") and endpoint.startswith(name))
                       for name in rule.endpoints)
               for rule in limits.RULES)


def error_statuses(path: str, method: str, operation: dict[str, Any], public: bool) -> set[int]:
    """The error statuses an operation may answer by the rules of the module docstring, but
    for rate limits; `path` is relative to the API prefix (`/orgs/{org_id}`)."""
    statuses = set(EXTRA_STATUSES.get(f"{method.upper()} {path}", ()))
    if not public:
        statuses.add(401)
        if method in WRITE_METHODS:
            statuses |= {400, 409}
    if "{org_id}" in path:
        statuses.add(403)
    if "{" in path:
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {413, 422}
    parameters = [p for p in operation.get("parameters", []) if isinstance(p, dict)]
    if any(p.get("in") == "query" for p in parameters):
        statuses.add(422)
    if any(p.get("in") == "header" and p.get("name", "").lower() == "if-match"
           for p in parameters):
        statuses.add(412)
    return statuses


class ContractPlugin(BasePlugin):
    """An apispec plugin documenting, on every operation of `app`, its id, its security and
    the errors of `error_statuses`; it runs after the marshmallow plugin."""

    def __init__(self, app: Flask, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    def operation_helper(self, path: str | None = None, operations: dict[Any, Any] | None = None,
                         **kwargs: Any) -> None:
        """Complete the operations of one path (flask-smorest passes its `rule`)."""
        endpoint = kwargs["rule"].endpoint
        relative = (path or "").removeprefix(self.prefix)
        for method, operation in (operations or {}).items():
            public = is_public(view_method(self.app, endpoint, method))
            operation["operationId"] = operation_id(endpoint, method)
            if public:
                operation["security"] = []
            responses = operation.setdefault("responses", {})
            documented = {str(status) for status in responses}
            statuses = error_statuses(relative, method, operation, public)
            if rate_limited(endpoint, method):
                statuses.add(429)
            for status in sorted(statuses):
                if str(status) not in documented:
                    responses[status] = HTTPStatus(status).name
            _problem_bodies(responses)
            operation["responses"] = dict(sorted(responses.items(), key=lambda r: str(r[0])))


def _problem_bodies(responses: dict[Any, Any]) -> None:
    """Error responses a view declared without a body get the problem+json one."""
    for status, response in responses.items():
        if str(status).isdigit() and int(status) >= 400 and isinstance(response, dict):
            response.setdefault("content", {PROBLEM_JSON: {"schema": "Problem"}})
