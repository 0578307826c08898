"""Liveness and database check."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tracker.api import Blueprint
from tracker.api.access import public
from tracker.extensions import db

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
        try:
            db.session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            db.session.rollback()
            return {"status": "degraded", "database": "unreachable"}, 503
        return {"status": "ok", "database": "ok"}
