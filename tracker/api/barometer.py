"""The barometer: maturity over time, and the realized uplift of finished initiatives."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView

from tracker.api import Blueprint
from tracker.schemas.barometer import (
    BarometerArgsSchema,
    BarometerSchema,
    PilotEffectReportSchema,
    UpliftReportSchema,
)
from tracker.services import barometer

blp = Blueprint("barometer", __name__, description="Maturity over time and closing the loop")
BASE = "/orgs/<int:org_id>/barometer"


@blp.route(BASE)
class Barometer(MethodView):
    @blp.arguments(BarometerArgsSchema, location="query")
    @blp.response(200, BarometerSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Scores of every closed assessment of a framework in time order, with deltas."""
        return barometer.barometer(g.org, args["framework_id"])


@blp.route(f"{BASE}/uplifts")
class Uplifts(MethodView):
    @blp.arguments(BarometerArgsSchema, location="query")
    @blp.response(200, UpliftReportSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Expected beside realized uplift of done initiatives (an association, not a proof)."""
        return barometer.uplifts(g.org, args["framework_id"])


@blp.route(f"{BASE}/pilot-effects")
class PilotEffects(MethodView):
    @blp.arguments(BarometerArgsSchema, location="query")
    @blp.response(200, PilotEffectReportSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Each pilot's perimeter versus the rest at every re-assessment since it started."""
        return barometer.pilot_effects(g.org, args["framework_id"])
