"""The JSON API under /api/v1: flask-smorest blueprints, OpenAPI document and docs."""

from __future__ import annotations

from typing import Any

from apispec.ext.marshmallow import MarshmallowPlugin, resolve_schema_cls
from flask import Flask, request
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from swagger_ui_bundle import swagger_ui_path
from webargs.flaskparser import FlaskParser, abort

from tracker.api.access import check_request
from tracker.extensions import csrf
from tracker.schemas.common import ProblemSchema

API_PREFIX = "/api/v1"


class TrackerParser(FlaskParser):
    """Malformed JSON is a validation error of the body (422), like any other."""

    def _handle_invalid_json_error(self, error: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
        abort(422, messages={"json": {"body": [f"Malformed JSON: {error}"]}})


class Blueprint(SmorestBlueprint):
    """A smorest blueprint with tracker's parser."""

    ARGUMENTS_PARSER = TrackerParser()


class TrackerApi(Api):
    """flask-smorest's Api documenting problem+json errors."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        """Errors are registered by `tracker.problems`, for API and web alike."""


def schema_name(schema: Any) -> str:
    """OpenAPI component names: the class name, with `Patch` for partial instances."""
    resolved = resolve_schema_cls(schema)  # a list only for a name several classes share
    schema_cls = resolved[0] if isinstance(resolved, list) else resolved  # as apispec does
    name = schema_cls.__name__.removesuffix("Schema")
    return name + "Patch" if getattr(schema, "partial", False) else name


def init_app(app: Flask) -> None:
    """Register the API blueprints, the docs assets and the request checks."""
    from tracker.api import decide, diagnose, follow, frame, health, observe, plan, tenancy

    api = TrackerApi(app, spec_kwargs={
        "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name),
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}]})
    # The order of registration is the order of the OpenAPI document's tags.
    for blueprint in (health.blp, tenancy.tokens_blp, tenancy.orgs_blp, frame.frameworks_blp,
                      observe.assessments_blp, follow.kpis_blp, observe.ratings_import_blp,
                      tenancy.portability_blp, frame.targets_blp, diagnose.findings_blp,
                      plan.roadmap_blp, follow.barometer_blp, decide.backlog_blp,
                      frame.playbook_blp, decide.decisions_blp, follow.schedules_blp,
                      diagnose.report_blp):
        api.register_blueprint(blueprint, url_prefix=API_PREFIX)
        csrf.exempt(blueprint)
    app.add_url_rule(f"{API_PREFIX}/docs/assets/<path:filename>", "swagger_ui_assets",
                     _swagger_asset)

    @app.before_request
    def _check_api_request() -> Any:
        if request.path.startswith(API_PREFIX + "/"):
            return check_request(app)
        return None


def _swagger_asset(filename: str) -> Any:
    from flask import send_from_directory

    return send_from_directory(swagger_ui_path, filename)
