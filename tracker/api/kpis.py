"""KPIs of an organization and their measurements."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView

from tracker.api import Blueprint
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.schemas.kpis import KpiPatchSchema, KpiSchema, MeasurementSchema
from tracker.services import kpis

blp = Blueprint("kpis", __name__, description="KPIs: target, current value, gap, history")
BASE = "/orgs/<int:org_id>/kpis"


@blp.route(BASE)
class Kpis(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(KpiSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The organization's KPIs with current value, gap and on-target status."""
        return kpis.list_kpis(g.org, args["page"], args["per_page"])

    @blp.arguments(KpiSchema)
    @blp.response(201, KpiSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Create a KPI (name, unit, direction, target)."""
        return kpis.create_kpi(g.org, data)


@blp.route(f"{BASE}/<int:kpi_id>")
class KpiById(MethodView):
    @blp.response(200, KpiSchema)
    def get(self, org_id: int, kpi_id: int) -> Any:
        """One KPI with its measurement history."""
        return kpis.get_kpi(g.org, kpi_id)

    @blp.arguments(KpiPatchSchema)
    @blp.response(200, KpiSchema)
    def patch(self, changes: dict[str, Any], org_id: int, kpi_id: int) -> Any:
        """Change a KPI's fields or linked dimensions."""
        return kpis.update_kpi(g.org, kpi_id, changes)


@blp.route(f"{BASE}/<int:kpi_id>/measurements")
class Measurements(MethodView):
    @blp.arguments(MeasurementSchema)
    @blp.response(201, KpiSchema)
    def post(self, data: dict[str, Any], org_id: int, kpi_id: int) -> Any:
        """Record a dated measurement; answers the KPI with its new status."""
        return kpis.add_measurement(g.org, kpi_id, data)
