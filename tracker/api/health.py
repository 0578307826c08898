"""Liveness (`/health`: the process answers and so does its database) and readiness
(`/ready`: this process may take traffic; database, migrations, scheduler leader, outbox)."""

from __future__ import annotations

import os
from typing import Any

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields

from tracker.api import Blueprint
from tracker.api.access import public
from tracker.scheduler import leadership
from tracker.services import health, readiness

blp = Blueprint("health", __name__, description="Liveness, readiness and database check")


class HealthSchema(Schema):
    status = fields.String()
    database = fields.String()


class CheckSchema(Schema):
    status = fields.String(metadata={"enum": [readiness.OK, readiness.FAILING,
                                              readiness.NOT_CHECKED],
                                     "description": "`not_checked` does not fail readiness"})
    detail = fields.String()
    current = fields.List(fields.String(), metadata={"description": "migrations: applied"})
    head = fields.List(fields.String(), metadata={"description": "migrations: the scripts'"})
    pending = fields.Integer(metadata={"description": "outbox: pending messages"})
    oldest_pending_seconds = fields.Float(metadata={"description": "outbox: the oldest's age"})
    threshold_seconds = fields.Float(metadata={"description": "outbox: the most age allowed"})


class ChecksSchema(Schema):
    database = fields.Nested(CheckSchema)
    migrations = fields.Nested(CheckSchema)
    scheduler = fields.Nested(CheckSchema)
    outbox = fields.Nested(CheckSchema)


class ReadySchema(Schema):
    status = fields.String(metadata={"enum": ["ready", "not_ready"]})
    checks = fields.Nested(ChecksSchema)


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


@blp.route("/ready")
class Ready(MethodView):
    @public
    @blp.response(200, ReadySchema)
    @blp.alt_response(503, schema=ReadySchema, description="A check fails (named in `checks`)")
    def get(self) -> Any:
        """Whether this process may take traffic: the database answers, its schema is at
        the migrations' head, a scheduler leader is seen and the outbox's oldest pending
        message is younger than `TRACKER_READY_OUTBOX_SECONDS` (900)."""
        checks = readiness.run_checks(leadership.check_leader, _outbox_max_age())
        body, ready = readiness.readiness_report(checks)
        return body if ready else (body, 503)


def _outbox_max_age() -> float:
    """TRACKER_READY_OUTBOX_SECONDS from the settings, else from the environment, else 900."""
    name = "TRACKER_READY_OUTBOX_SECONDS"
    return float(current_app.config.get(name) or os.environ.get(name)
                 or readiness.OUTBOX_MAX_AGE_SECONDS)
