"""The barometer: maturity over time, and the realized uplift of finished initiatives.

KPIs of an organization and their measurements.

Schedules: an organization's recurring jobs (pulse, reminder, close, barometer)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, jsonify, request
from flask.views import MethodView
from flask_login import current_user

from tracker import jobs
from tracker.api import Blueprint
from tracker.api.jobs import JobSchema, accepted
from tracker.domain.errors import TrackerError
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.schemas.follow import (
    BarometerArgsSchema,
    BarometerReadArgsSchema,
    BarometerSchema,
    KpiListArgsSchema,
    KpiPatchSchema,
    KpiSchema,
    MeasurementSchema,
    PilotEffectReportSchema,
    ResendResultSchema,
    ResendSchema,
    RunResultSchema,
    SchedulePatchSchema,
    ScheduleSchema,
    UpliftReportSchema,
)
from tracker.schemas.trend import AlignmentSchema, CalibrationSchema
from tracker.services import derived
from tracker.services.follow import alignment, barometer, kpis, schedules

barometer_blp = Blueprint("barometer", __name__,
                          description="Maturity over time and closing the loop")
BASE = "/orgs/<int:org_id>/barometer"


@barometer_blp.route(BASE)
class Barometer(MethodView):
    @barometer_blp.arguments(BarometerReadArgsSchema, location="query")
    @barometer_blp.response(200, BarometerSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Scores of every closed assessment of a framework in time order, with deltas,
        and the projection under the plan in use (or the baseline named `baseline`)."""
        framework_id, baseline, code = (args["framework_id"], args.get("baseline"),
                                        args.get("framework"))
        # The answer's bytes, once per version of the organization's data (issue 20).
        body = derived.cached(
            g.org, "barometer json", barometer.read_key(g.org, framework_id, baseline, code),
            lambda: jsonify(BarometerSchema().dump(barometer.barometer(
                g.org, framework_id, baseline, code))).get_data(), errors=(TrackerError,))
        return Response(body, mimetype="application/json")


@barometer_blp.route(f"{BASE}/uplifts")
class Uplifts(MethodView):
    @barometer_blp.arguments(BarometerArgsSchema, location="query")
    @barometer_blp.response(200, UpliftReportSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Expected beside realized uplift of done initiatives (an association, not a proof)."""
        return barometer.uplifts(g.org, args["framework_id"])


@barometer_blp.route(f"{BASE}/pilot-effects")
class PilotEffects(MethodView):
    @barometer_blp.arguments(BarometerArgsSchema, location="query")
    @barometer_blp.response(200, PilotEffectReportSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Each pilot's perimeter versus the rest at every re-assessment since it started."""
        return barometer.pilot_effects(g.org, args["framework_id"])


@barometer_blp.route(f"{BASE}/alignment")
class AlignmentView(MethodView):
    @barometer_blp.arguments(BarometerArgsSchema, location="query")
    @barometer_blp.response(200, AlignmentSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """For every dimension, the leaders–teams gap in each closed assessment, its change
        per quarter, and the initiatives that target it: is the mirror closing?"""
        return alignment.alignment(g.org, args["framework_id"], args.get("framework"))


@barometer_blp.route(f"{BASE}/calibration")
class CalibrationView(MethodView):
    @barometer_blp.arguments(BarometerArgsSchema, location="query")
    @barometer_blp.response(200, CalibrationSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Realized against expected uplift of the finished initiatives, overall and per
        playbook template, with the factor that tempers the calibrated projection."""
        return barometer.calibration(g.org, args["framework_id"], args.get("framework"))


kpis_blp = Blueprint("kpis", __name__, description="KPIs: target, current value, gap, history")
BASE = "/orgs/<int:org_id>/kpis"


@kpis_blp.route(BASE)
class Kpis(MethodView):
    @kpis_blp.arguments(KpiListArgsSchema, location="query")
    @kpis_blp.response(200, page_schema(KpiSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The organization's KPIs with current value, gap and on-target status; archived
        ones are left out unless `archived=true`, which lists only them."""
        return kpis.list_kpis(g.org, args["page"], args["per_page"], args["archived"])

    @kpis_blp.arguments(KpiSchema)
    @kpis_blp.response(201, KpiSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Create a KPI (name, unit, direction, target)."""
        return kpis.create_kpi(g.org, data)


@kpis_blp.route(f"{BASE}/<int:kpi_id>")
class KpiById(MethodView):
    @kpis_blp.response(200, KpiSchema)
    def get(self, org_id: int, kpi_id: int) -> Any:
        """One KPI with its measurement history."""
        return kpis.get_kpi(g.org, kpi_id)

    @kpis_blp.arguments(KpiPatchSchema)
    @kpis_blp.response(200, KpiSchema)
    def patch(self, changes: dict[str, Any], org_id: int, kpi_id: int) -> Any:
        """Change a KPI's fields or linked dimensions."""
        return kpis.update_kpi(g.org, kpi_id, changes)


@kpis_blp.route(f"{BASE}/<int:kpi_id>/archive")
class ArchiveKpi(MethodView):
    @kpis_blp.response(200, KpiSchema)
    @kpis_blp.alt_response(409, response="CONFLICT")
    def post(self, org_id: int, kpi_id: int) -> Any:
        """Archive a KPI: it leaves the lists, the barometer and its email, and keeps its
        measurements (409 if already archived)."""
        return kpis.archive_kpi(g.org, kpi_id)


@kpis_blp.route(f"{BASE}/<int:kpi_id>/restore")
class RestoreKpi(MethodView):
    @kpis_blp.response(200, KpiSchema)
    @kpis_blp.alt_response(409, response="CONFLICT")
    def post(self, org_id: int, kpi_id: int) -> Any:
        """Bring an archived KPI back to the lists (409 if it is not archived)."""
        return kpis.restore_kpi(g.org, kpi_id)


@kpis_blp.route(f"{BASE}/<int:kpi_id>/measurements")
class Measurements(MethodView):
    @kpis_blp.arguments(PageArgsSchema, location="query")
    @kpis_blp.response(200, page_schema(MeasurementSchema))
    def get(self, args: dict[str, Any], org_id: int, kpi_id: int) -> Any:
        """A KPI's measurements with their comments, newest first."""
        return kpis.list_measurements(g.org, kpi_id, args["page"], args["per_page"])

    @kpis_blp.arguments(MeasurementSchema)
    @kpis_blp.response(201, KpiSchema)
    @kpis_blp.alt_response(409, response="CONFLICT")
    def post(self, data: dict[str, Any], org_id: int, kpi_id: int) -> Any:
        """Record a dated measurement with an optional comment; answers the KPI with its
        new status (409 on an archived KPI: restore it first)."""
        return kpis.add_measurement(g.org, kpi_id, data)


schedules_blp = Blueprint("schedules", __name__, description="Recurring jobs and their next runs")
BASE = "/orgs/<int:org_id>/schedules"


@schedules_blp.route(BASE)
class Schedules(MethodView):
    @schedules_blp.arguments(PageArgsSchema, location="query")
    @schedules_blp.response(200, page_schema(ScheduleSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The organization's schedules with their next run times."""
        return schedules.list_schedules(g.org, args["page"], args["per_page"])

    @schedules_blp.arguments(ScheduleSchema)
    @schedules_blp.response(201, ScheduleSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Create a schedule: a kind, a cron expression or interval_days, recipients."""
        return schedules.create_schedule(g.org, data)


@schedules_blp.route(f"{BASE}/<int:schedule_id>")
class ScheduleById(MethodView):
    @schedules_blp.response(200, ScheduleSchema)
    def get(self, org_id: int, schedule_id: int) -> Any:
        """One schedule."""
        return schedules.get_schedule(g.org, schedule_id)

    @schedules_blp.arguments(SchedulePatchSchema)
    @schedules_blp.response(200, ScheduleSchema)
    def patch(self, changes: dict[str, Any], org_id: int, schedule_id: int) -> Any:
        """Change a schedule; `paused` pauses or resumes it."""
        return schedules.update_schedule(g.org, schedule_id, changes)

    @schedules_blp.response(204)
    def delete(self, org_id: int, schedule_id: int) -> None:
        """Remove a schedule."""
        schedules.delete_schedule(g.org, schedule_id)


@schedules_blp.route(f"{BASE}/<int:schedule_id>/run")
class RunSchedule(MethodView):
    @schedules_blp.response(200, RunResultSchema)
    def post(self, org_id: int, schedule_id: int) -> Any:
        """Run the job now for the current period (does nothing if already done)."""
        return schedules.run_schedule(g.org, schedule_id, current_app.config)


@schedules_blp.route(f"{BASE}/<int:schedule_id>/resend")
class ResendSchedule(MethodView):
    @schedules_blp.arguments(ResendSchema)
    @schedules_blp.response(200, ResendResultSchema)
    @schedules_blp.alt_response(202, schema=JobSchema,
                                description="`Prefer: respond-async`: sent by a job")
    @schedules_blp.alt_response(409, description="Not a barometer schedule")
    def post(self, data: dict[str, Any], org_id: int, schedule_id: int) -> Any:
        """Send a barometer schedule's email of the current period again, with today's
        data: to `all` its recipients or only the `new` ones; never a second copy of a
        message still pending (409 for other kinds of schedule). With
        `Prefer: respond-async`, a background job sends it: 202 and its `Location`."""
        if "respond-async" in request.headers.get("Prefer", ""):
            return accepted(jobs.barometer_send_job(g.org, current_user.id, schedule_id,
                                                    data["to"]))
        return schedules.resend_schedule(g.org, schedule_id, data["to"], current_app.config)
