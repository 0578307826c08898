"""The roadmap of an organization: plan, phases, baselines, what-if, slip impact,
projected trajectory and exports (CSV, iCalendar, GraphML / node-link JSON)."""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, url_for
from flask.views import MethodView

from tracker.adapters.exporters import xlsx
from tracker.api import Blueprint
from tracker.api.access import feed_readable, requires
from tracker.domain.errors import TrackerError
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.schemas.plan import (
    BaselineComparisonSchema,
    BaselineCreateSchema,
    BaselineSchema,
    GraphArgsSchema,
    ImpactArgsSchema,
    ImpactSchema,
    PhaseSchema,
    PlanArgsSchema,
    RoadmapCsvArgsSchema,
    RoadmapSchema,
    TrajectoryArgsSchema,
    TrajectorySchema,
    WhatIfResultSchema,
    WhatIfSchema,
)
from tracker.schemas.tenancy import FeedArgsSchema
from tracker.schemas.trend import ForecastArgsSchema, ForecastSchema
from tracker.services import derived
from tracker.services.plan import forecast, roadmap, trajectory
from tracker.services.plan.roadmap import PlanParams

roadmap_blp = Blueprint("roadmap", __name__, description="Roadmap, phases, baselines and exports")
ORG = "/orgs/<int:org_id>"
BASE = f"{ORG}/roadmap"


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    """A file answer with its type and a download name."""
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@roadmap_blp.route(BASE)
class RoadmapView(MethodView):
    @roadmap_blp.arguments(PlanArgsSchema, location="query")
    @roadmap_blp.response(200, RoadmapSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The plan: dates, waves, slack, critical path, makespan and phases, and the
        initiatives it leaves out (`unplanned`, with their reasons) instead of failing."""
        params = PlanParams.from_args(args)
        # The answer's bytes, once per version of the organization's data (issue 20).
        body = derived.cached(g.org, "roadmap json", params.resolved(g.org), lambda: jsonify(
            RoadmapSchema().dump(roadmap.get_roadmap(g.org, params))).get_data(),
            errors=(TrackerError,))
        return Response(body, mimetype="application/json")


@roadmap_blp.route(f"{BASE}/forecast")
class ForecastView(MethodView):
    @roadmap_blp.arguments(ForecastArgsSchema, location="query")
    @roadmap_blp.response(200, ForecastSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """A Monte Carlo forecast of the plan (PERT draws of the three-point estimates):
        the makespan's P50/P85/P95, each initiative's P50 and P85 end, each phase's
        probability of ending on time and, with `level` and `by`, the probability of that
        overall score by that date. Seeded: the same inputs and seed, the same answer."""
        target = (forecast.Target(args["level"], args["by"])
                  if args.get("level") is not None and args.get("by") is not None else None)
        return forecast.roadmap_forecast(g.org, PlanParams.from_args(args), runs=args["runs"],
                                         seed=args["seed"], target=target)


@roadmap_blp.route(f"{ORG}/phases")
class Phases(MethodView):
    @roadmap_blp.arguments(PageArgsSchema, location="query")
    @roadmap_blp.response(200, page_schema(PhaseSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The stored phases in order (the roadmap proposes a split when there are none)."""
        return roadmap.list_phases(g.org, args["page"], args["per_page"])

    @requires("lead")
    @roadmap_blp.arguments(PhaseSchema(many=True))
    @roadmap_blp.response(200, page_schema(PhaseSchema))
    def put(self, rows: list[dict[str, Any]], org_id: int) -> Any:
        """Replace every phase: each ends after it starts, none overlaps another."""
        return roadmap.replace_phases(g.org, rows)


@roadmap_blp.route(f"{BASE}/baselines")
class Baselines(MethodView):
    @roadmap_blp.arguments(PageArgsSchema, location="query")
    @roadmap_blp.response(200, page_schema(BaselineSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Saved baselines, newest first."""
        return roadmap.list_baselines(g.org, args["page"], args["per_page"])

    @roadmap_blp.arguments(BaselineCreateSchema)
    @roadmap_blp.response(201, BaselineSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Save the current plan under a name."""
        return roadmap.create_baseline(g.org, data)


@roadmap_blp.route(f"{BASE}/baselines/<int:baseline_id>/compare")
class BaselineComparison(MethodView):
    @roadmap_blp.arguments(PlanArgsSchema, location="query")
    @roadmap_blp.response(200, BaselineComparisonSchema)
    def get(self, args: dict[str, Any], org_id: int, baseline_id: int) -> Any:
        """What slipped since the baseline, and by how much (weeks, > 0 late)."""
        return roadmap.compare_baseline(g.org, baseline_id, PlanParams.from_args(args))


@roadmap_blp.route(f"{BASE}/what-if")
class WhatIf(MethodView):
    @roadmap_blp.arguments(WhatIfSchema)
    @roadmap_blp.response(200, WhatIfResultSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Try delays, slips, drops or a new capacity without saving anything."""
        return roadmap.what_if(g.org, data)


@roadmap_blp.route(f"{ORG}/initiatives/<int:initiative_id>/impact")
class Impact(MethodView):
    @roadmap_blp.arguments(ImpactArgsSchema, location="query")
    @roadmap_blp.response(200, ImpactSchema)
    def get(self, args: dict[str, Any], org_id: int, initiative_id: int) -> Any:
        """Everything depending on the initiative and the makespan change if it slips."""
        return roadmap.slip_impact(g.org, initiative_id, args["weeks"],
                                   PlanParams.from_args(args))


@roadmap_blp.route(f"{BASE}/trajectory")
class Trajectory(MethodView):
    @roadmap_blp.arguments(TrajectoryArgsSchema, location="query")
    @roadmap_blp.response(200, TrajectorySchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Projected dimension, axis and overall scores at each phase end, under the plan
        in use (the query's start and capacity, a named baseline, the organization's plan
        settings, or today with unlimited capacity), which `plan` names."""
        choice = trajectory.plan_in_use(g.org, args.get("baseline"), PlanParams.from_args(args))
        return trajectory.trajectory(g.org, args["framework_id"], choice)


@roadmap_blp.route(f"{ORG}/roadmap.csv")
class RoadmapCsv(MethodView):
    @roadmap_blp.arguments(RoadmapCsvArgsSchema, location="query")
    @roadmap_blp.response(200, content_type="text/csv")
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The roadmap as CSV."""
        return _download(roadmap.roadmap_csv(g.org, PlanParams.from_args(args), args.get("sep")),
                         "text/csv", f"roadmap-{org_id}.csv")


@roadmap_blp.route(f"{ORG}/roadmap.xlsx")
class RoadmapXlsx(MethodView):
    @roadmap_blp.arguments(PlanArgsSchema, location="query")
    @roadmap_blp.response(200, content_type=xlsx.MIMETYPE)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The roadmap as an Excel workbook (the CSV's columns, dates as dates)."""
        return _download(roadmap.roadmap_xlsx(g.org, PlanParams.from_args(args)),
                         xlsx.MIMETYPE, f"roadmap-{org_id}.xlsx")


@roadmap_blp.route(f"{ORG}/roadmap.ics")
class RoadmapIcs(MethodView):
    @feed_readable
    @roadmap_blp.arguments(PlanArgsSchema, location="query")
    @roadmap_blp.arguments(FeedArgsSchema, location="query", as_kwargs=True)
    @roadmap_blp.response(200, content_type="text/calendar")
    def get(self, args: dict[str, Any], org_id: int, feed: str | None = None) -> Any:
        """The roadmap as iCalendar: one all-day event per initiative, with its version
        (`SEQUENCE`), last change and page address; `feed` (a calendar feed's secret, from
        `POST /me/feeds`) opens it without a Bearer token, for calendar subscriptions, and
        follows the organization's plan (its saved start and capacity) unless the query
        gives others."""
        params = PlanParams.from_args(args)
        if feed:
            params = trajectory.plan_in_use(g.org, requested=params).params
        return _download(roadmap.roadmap_ical(g.org, params, _page_of),
                         "text/calendar", f"roadmap-{org_id}.ics")


def _page_of(org_id: int, initiative_id: int) -> str:
    """The absolute address of an initiative's page, as a calendar event links to it."""
    return url_for("web.initiative", org_id=org_id, initiative_id=initiative_id, _external=True)


@roadmap_blp.route(f"{ORG}/dependencies/graph")
class DependencyGraph(MethodView):
    @roadmap_blp.arguments(GraphArgsSchema, location="query")
    @roadmap_blp.response(200, content_type="application/json")
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The dependency graph as node-link JSON or GraphML."""
        fmt = args["format"]
        mimetype = "application/graphml+xml" if fmt == "graphml" else "application/json"
        return _download(roadmap.dependency_graph(g.org, fmt), mimetype,
                         f"dependencies-{org_id}.{fmt}")
