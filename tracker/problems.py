"""Every API error as RFC 9457 problem+json, translated in this one place.

The `title` is given in French when the request's Accept-Language prefers French over
English; `detail` and the field `errors` stay in English (the services' own messages).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, has_request_context, json, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from marshmallow import INCLUDE, fields
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from tracker.domain.constants import LOCALES
from tracker.domain.errors import TrackerError
from tracker.schemas.common import Schema, flatten_messages

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"
# every title a problem can carry (ours, and werkzeug's names), marked for the catalogue
TITLES: dict[str, Any] = {
    "Bad request": _l("Bad request"), "Bad Request": _l("Bad request"),
    "Unauthorized": _l("Unauthorized"), "Forbidden": _l("Forbidden"),
    "Not found": _l("Not found"), "Not Found": _l("Not found"),
    "Method Not Allowed": _l("Method not allowed"), "Not Acceptable": _l("Not acceptable"),
    "Conflict": _l("Conflict"), "Dependency cycle": _l("Dependency cycle"),
    "Precondition failed": _l("Precondition failed"),
    "Gone": _l("Gone"), "Request Entity Too Large": _l("Too large"),
    "Unsupported Media Type": _l("Unsupported media type"),
    "Invalid input": _l("Invalid input"), "Unprocessable Entity": _l("Unprocessable entity"),
    "Too Many Requests": _l("Too many requests"),
    "Internal Server Error": _l("Internal error"),
    "Not implemented": _l("Not implemented"), "Not Implemented": _l("Not implemented"),
    "Service Unavailable": _l("Service unavailable"),
}


class ProblemSchema(Schema):
    """The body `problem` answers, as the OpenAPI document shows it: RFC 9457 members, field
    `errors`, and any extra member a problem carries (`cycle`, `current_version`, `limit`)."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True, metadata={"description": "A URI naming the problem type"})
    title = fields.String(required=True, metadata={
        "description": "Short, in the language of Accept-Language (English or French)"})
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong, in English"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), metadata={
        "description": "Validation messages per field (`axes[0].code`, `_schema`)"})


def problem(status: int, title: str, detail: str = "", *, errors: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """A problem+json response; `errors` holds validation messages per field."""
    body: dict[str, Any] = {"type": "about:blank", "title": problem_title(title),
                            "status": status, "detail": detail or title}
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.headers.update(headers or {})
    return response


def problem_title(title: str) -> str:
    """`title` in the language the client prefers (Accept-Language, English or French):
    clients may show titles to people, while `detail` stays English for logs and support."""
    if (not has_request_context() or title not in TITLES
            or request.accept_languages.best_match(LOCALES) != "fr"):
        return title
    with force_locale("fr"):
        return str(TITLES[title])


def is_api_request() -> bool:
    """Whether the current request is for the JSON API (errors then speak problem+json)."""
    return request.path.startswith(API_PREFIX)


def tracker_error(error: TrackerError) -> Response:
    """Our own exceptions keep their status, message, field errors and extras."""
    return problem(error.status, error.title, error.detail, errors=error.errors or None,
                   **error.extra)


def http_error(error: HTTPException) -> Response:
    """werkzeug and webargs errors (404, 405, 422 validation...) as problems."""
    data = getattr(error, "data", None) or {}
    errors = _location_messages(data.get("messages")) if "messages" in data else None
    detail = ("The request is not valid; see errors." if errors else error.description or "")
    headers = dict(data.get("headers") or {})
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem(error.code or 500, error.name, detail, errors=errors, headers=headers)


def unexpected_error(error: Exception) -> Response:
    """A bug: logged with its traceback, answered without one."""
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path,
                                 exc_info=error)
    return problem(500, InternalServerError().name,
                   "Something went wrong on our side; it has been logged.")


def register(app: Flask, fallback_http: Any, fallback_unexpected: Any) -> None:
    """Route errors to problem+json on API paths and to `fallback_*` elsewhere."""

    def on_tracker_error(error: TrackerError) -> Any:
        return tracker_error(error) if is_api_request() else fallback_http(error)

    def on_http_error(error: HTTPException) -> Any:
        return http_error(error) if is_api_request() else fallback_http(error)

    def on_unexpected(error: Exception) -> Any:
        return unexpected_error(error) if is_api_request() else fallback_unexpected(error)

    app.register_error_handler(TrackerError, on_tracker_error)
    app.register_error_handler(HTTPException, on_http_error)
    app.register_error_handler(Exception, on_unexpected)


def _location_messages(messages: Any) -> dict[str, list[str]]:
    """webargs nests messages under their location (`json`, `query`); fields suffice."""
    flat: dict[str, list[str]] = {}
    for location_messages in (messages or {}).values():
        flat.update(flatten_messages(location_messages))
    return flat
