"""The JSON API under /api/v1: flask-smorest blueprints, OpenAPI document and docs."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from apispec.ext.marshmallow import MarshmallowPlugin, resolve_schema_cls
from flask import Flask, request
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import fields
from swagger_ui_bundle import swagger_ui_path
from webargs.flaskparser import FlaskParser, abort

from tracker.api.access import check_request
from tracker.api.openapi import ContractPlugin, problem_response
from tracker.extensions import csrf
from tracker.schemas.problems import ProblemSchema

API_PREFIX = "/api/v1"
#: Component names, by schema class, changed so that no two collide: openapi-python-client
#: names the enum of `Member.role` `MemberRole` (it dropped the `MemberRole` schema), and two
#: stages have an `AuditEventSchema` (apispec would number the second one `AuditEvent1`).
SCHEMA_RENAMES = {"tracker.schemas.tenancy.MemberRoleSchema": "RoleChange",
                  "tracker.schemas.tenancy.AuditEventSchema": "AuditLogEvent"}
PAGE_FIELDS = frozenset({"items", "total", "page", "per_page"})


class TrackerParser(FlaskParser):
    """Malformed JSON is a validation error of the body (422), like any other."""

    def _handle_invalid_json_error(self, error: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
        abort(422, messages={"json": {"body": [f"Malformed JSON: {error}"]}})

    def _raw_load_json(self, req: Any) -> Any:
        """JSON nested deeper than Python's parser goes is malformed too (not a 500)."""
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            abort(422, messages={"json": {"body": ["Malformed JSON: nested too deeply."]}})


class Blueprint(SmorestBlueprint):
    """A smorest blueprint with tracker's parser."""

    ARGUMENTS_PARSER = TrackerParser()


class TrackerApi(Api):
    """flask-smorest's Api documenting problem+json errors, each where it occurs (no
    catch-all `default` response: `ContractPlugin` names the statuses of every operation)."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        """Errors are registered by `tracker.schemas.problems`, for API and web alike."""

    def _register_responses(self) -> None:
        """A problem+json response component per error status, named as flask-smorest names
        them (`NOT_FOUND`, `CONFLICT`), so views may refer to them in `alt_response`."""
        for status in HTTPStatus:
            if status >= 400:
                self.spec.components.response(status.name, problem_response(status), lazy=True)


def schema_name(schema: Any) -> str:
    """OpenAPI component names: the class name (or its entry in `SCHEMA_RENAMES`), the item's
    name and `Page` for a page of a list, with `Patch` for partial instances."""
    resolved = resolve_schema_cls(schema)  # a list only for a name several classes share
    schema_cls = resolved[0] if isinstance(resolved, list) else resolved  # as apispec does
    item = getattr(schema_cls._declared_fields.get("items"), "inner", None)
    if isinstance(item, fields.Nested) and set(schema_cls._declared_fields) == PAGE_FIELDS:
        name = schema_name(item.nested) + "Page"
    else:
        name = SCHEMA_RENAMES.get(f"{schema_cls.__module__}.{schema_cls.__qualname__}",
                                  schema_cls.__name__.removesuffix("Schema"))
    return name + "Patch" if getattr(schema, "partial", False) else name


def init_app(app: Flask) -> None:
    """Register the API blueprints, the docs assets and the request checks."""
    from tracker.api import (
        accounts,
        committees,
        decide,
        diagnose,
        follow,
        frame,
        health,
        jobs,
        objectives,
        observe,
        plan,
        tenancy,
    )

    api = TrackerApi(app, spec_kwargs={
        "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name),
        "extra_plugins": [ContractPlugin(app, API_PREFIX)],
        "components": {"securitySchemes": _security_schemes(app)},
        "security": [{"bearer": []}, {"session": []}]})
    # The order of registration is the order of the OpenAPI document's tags.
    for blueprint in (health.blp, accounts.tokens_blp, accounts.account_blp, tenancy.orgs_blp,
                      frame.frameworks_blp, observe.assessments_blp, follow.kpis_blp,
                      observe.ratings_import_blp, tenancy.portability_blp, frame.targets_blp,
                      diagnose.findings_blp, plan.roadmap_blp, follow.barometer_blp,
                      decide.backlog_blp, frame.playbook_blp, decide.decisions_blp,
                      follow.schedules_blp, diagnose.report_blp, objectives.objectives_blp,
                      committees.committees_blp, jobs.jobs_blp):
        api.register_blueprint(blueprint, url_prefix=API_PREFIX)
        csrf.exempt(blueprint)
    app.add_url_rule(f"{API_PREFIX}/docs/assets/<path:filename>", "swagger_ui_assets",
                     _swagger_asset)

    @app.before_request
    def _check_api_request() -> Any:
        if request.path.startswith(API_PREFIX + "/"):
            return check_request(app)
        return None


def _security_schemes(app: Flask) -> dict[str, Any]:
    """A Bearer token (scripts, `POST /auth/tokens`) or the web session's cookie (browsers,
    with a CSRF token on writes): either one authenticates."""
    return {"bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie",
                        "name": app.config.get("SESSION_COOKIE_NAME", "session")}}


def _swagger_asset(filename: str) -> Any:
    from flask import send_from_directory

    return send_from_directory(swagger_ui_path, filename)
