"""Schedules: an organization's recurring jobs (pulse, reminder, close, barometer)."""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from flask.views import MethodView

from tracker.api import Blueprint
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.schemas.schedules import RunResultSchema, SchedulePatchSchema, ScheduleSchema
from tracker.services import schedules

blp = Blueprint("schedules", __name__, description="Recurring jobs and their next runs")
BASE = "/orgs/<int:org_id>/schedules"


@blp.route(BASE)
class Schedules(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(ScheduleSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The organization's schedules with their next run times."""
        return schedules.list_schedules(g.org, args["page"], args["per_page"])

    @blp.arguments(ScheduleSchema)
    @blp.response(201, ScheduleSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Create a schedule: a kind, a cron expression or interval_days, recipients."""
        return schedules.create_schedule(g.org, data)


@blp.route(f"{BASE}/<int:schedule_id>")
class ScheduleById(MethodView):
    @blp.response(200, ScheduleSchema)
    def get(self, org_id: int, schedule_id: int) -> Any:
        """One schedule."""
        return schedules.get_schedule(g.org, schedule_id)

    @blp.arguments(SchedulePatchSchema)
    @blp.response(200, ScheduleSchema)
    def patch(self, changes: dict[str, Any], org_id: int, schedule_id: int) -> Any:
        """Change a schedule; `paused` pauses or resumes it."""
        return schedules.update_schedule(g.org, schedule_id, changes)

    @blp.response(204)
    def delete(self, org_id: int, schedule_id: int) -> None:
        """Remove a schedule."""
        schedules.delete_schedule(g.org, schedule_id)


@blp.route(f"{BASE}/<int:schedule_id>/run")
class RunSchedule(MethodView):
    @blp.response(200, RunResultSchema)
    def post(self, org_id: int, schedule_id: int) -> Any:
        """Run the job now for the current period (does nothing if already done)."""
        return schedules.run_schedule(g.org, schedule_id, current_app.config)
