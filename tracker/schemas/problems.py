"""Every API error as RFC 9457 problem+json, translated in this one place.

Everything a person may read is in the request's language (`tracker.web.i18n.select_locale`:
the Accept-Language header when it names English or French, else the signed-in user's
language, else English): the `title` (translated here), the `detail` and the field `errors`
(our services' messages are translated where they are raised, marshmallow's own by
`tracker.schemas.common.Schema`). Keys, types and the shape of the body never change.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, current_app, has_request_context, json, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import INCLUDE, fields
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from tracker.domain.errors import TrackerError
from tracker.schemas.common import Patterns, Schema, flatten_messages, translate_known

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

#: The pure domain's messages (`tracker.domain` knows no language), translated here, at the
#: edge, for the API and for the pages that show a domain refusal (`domain_message`).
DOMAIN_MESSAGES: dict[str, Any] = {
    "An initiative cannot depend on itself.": lambda: _("An initiative cannot depend on itself."),
    "must differ from the prerequisite": lambda: _("must differ from the prerequisite"),
    "The lag must be a number of weeks ≥ 0.": lambda: _("The lag must be a number of weeks ≥ 0."),
    "must be a number ≥ 0": lambda: _("must be a number ≥ 0"),
    "Some dependencies are invalid.": lambda: _("Some dependencies are invalid."),
    "Some durations are missing or invalid.": lambda: _("Some durations are missing or invalid."),
    "Capacity must be positive.": lambda: _("Capacity must be positive."),
    "Invalid prioritization inputs.": lambda: _("Invalid prioritization inputs."),
    "Invalid scorecard criteria.": lambda: _("Invalid scorecard criteria."),
}
DOMAIN_PATTERNS: Patterns = (
    (re.compile(r"^This link would close a cycle: (?P<path>.+)$"),
     lambda p: _("This link would close a cycle: %(path)s", **p)),
    (re.compile(r"^Initiative (?P<dependent>\d+) already depends on initiative "
                r"(?P<prerequisite>\d+)\.$"),
     lambda p: _("Initiative %(dependent)s already depends on initiative %(prerequisite)s.",
                 **p)),
)


def domain_message(message: Any) -> Any:
    """A message of the domain in the request's language; any other message as it is."""
    return translate_known(message, DOMAIN_MESSAGES, DOMAIN_PATTERNS)


class ProblemSchema(Schema):
    """The body `problem` answers, as the OpenAPI document shows it: RFC 9457 members, field
    `errors`, and any extra member a problem carries (`cycle`, `current_version`, `limit`)."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True, metadata={"description": "A URI naming the problem type"})
    title = fields.String(required=True, metadata={
        "description": "Short, in the language of Accept-Language (English or French), else "
                       "the user's"})
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={
        "description": "What went wrong, in the same language as `title`"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), metadata={
        "description": "Validation messages per field (`axes[0].code`, `_schema`), in the "
                       "language of `title`"})


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
    """`title` in the request's language (`select_locale`), since clients may show titles
    to people; as given (English) outside a request, in English, or for a title not in
    `TITLES`."""
    if not has_request_context() or title not in TITLES or str(get_locale() or "en") == "en":
        return title
    return str(TITLES[title])


def is_api_request() -> bool:
    """Whether the current request is for the JSON API (errors then speak problem+json)."""
    return request.path.startswith(API_PREFIX)


def tracker_error(error: TrackerError) -> Response:
    """Our own exceptions keep their status, message, field errors and extras (the domain's
    messages translated, `domain_message`)."""
    errors = {key: [domain_message(line) for line in lines] if isinstance(lines, list)
              else lines for key, lines in error.errors.items()}
    return problem(error.status, error.title, domain_message(error.detail),
                   errors=errors or None, **error.extra)


def http_error(error: HTTPException) -> Response:
    """werkzeug and webargs errors (404, 405, 422 validation...) as problems."""
    data = getattr(error, "data", None) or {}
    errors = _location_messages(data.get("messages")) if "messages" in data else None
    detail = (_("The request is not valid; see errors.") if errors
              else error.description or "")
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
