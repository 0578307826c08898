"""Liveness and database check."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields

from tracker.api import Blueprint
from tracker.api.access import public
from tracker.services import health

blp = Blueprint("health", __name__, description="Liveness and database check")


class HealthSchema(Schema):
    status = fields.String()
    database = fields.String()


@blp.route("/health")
class Health(MethodView):
    @public
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="The database does not answer")
    def get(self) -> Any:
        """Whether the service runs and its database answers."""
        if not health.database_answers():
            return {"status": "degraded", "database": "unreachable"}, 503
        return {"status": "ok", "database": "ok"}
