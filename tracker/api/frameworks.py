"""Frameworks: the assessment grids."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user

from tracker.api import Blueprint
from tracker.schemas.common import page_schema
from tracker.schemas.frameworks import (
    FrameworkImportSchema,
    FrameworkListArgsSchema,
    FrameworkSchema,
    FrameworkSummarySchema,
)
from tracker.services import frameworks

blp = Blueprint("frameworks", __name__, description="Assessment frameworks (grids)")


@blp.route("/frameworks")
class Frameworks(MethodView):
    @blp.arguments(FrameworkListArgsSchema, location="query")
    @blp.response(200, page_schema(FrameworkSummarySchema))
    def get(self, args: dict[str, Any]) -> Any:
        """Shared frameworks and those of your organizations."""
        return frameworks.list_frameworks(current_user, args["page"], args["per_page"],
                                          args.get("code"))

    @blp.arguments(FrameworkSchema)
    @blp.response(201, FrameworkSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a framework: shared (instance admins) or owned by `org_id` (ops, leads)."""
        framework = frameworks.create_framework(current_user, data)
        return frameworks.load_framework(framework.id)


@blp.route("/frameworks/import")
class FrameworkImport(MethodView):
    @blp.arguments(FrameworkImportSchema)
    @blp.response(201, FrameworkSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Import a framework file (tracker YAML or JSON) given as `content`, or an OWASP
        SAMM v2 model folder of the server given as `path` (`format: samm`, admins only)."""
        framework = frameworks.import_framework(current_user, data)
        return frameworks.load_framework(framework.id)


@blp.route("/frameworks/<int:framework_id>")
class FrameworkById(MethodView):
    @blp.response(200, FrameworkSchema)
    def get(self, framework_id: int) -> Any:
        """A framework with its scale, axes, dimensions and questions."""
        return frameworks.get_framework(current_user, framework_id)
