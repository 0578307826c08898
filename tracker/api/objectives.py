"""Objectives of an organization: the ambition's measurable aims, their KPIs, initiatives
and dimensions, and their status from their KPIs."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from flask_login import current_user

from tracker.api import Blueprint
from tracker.schemas.ambition import ObjectivePatchSchema, ObjectiveSchema
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.services.follow import objectives

objectives_blp = Blueprint("objectives", __name__,
                           description="Objectives: the ambition, measured by KPIs")
BASE = "/orgs/<int:org_id>/objectives"


@objectives_blp.route(BASE)
class Objectives(MethodView):
    @objectives_blp.arguments(PageArgsSchema, location="query")
    @objectives_blp.response(200, page_schema(ObjectiveSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The organization's objectives with their status, soonest horizon first."""
        return objectives.list_objectives(g.org, args["page"], args["per_page"])

    @objectives_blp.arguments(ObjectiveSchema)
    @objectives_blp.response(201, ObjectiveSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Create an objective (title; horizon, KPIs, initiatives, dimensions optional)."""
        return objectives.create_objective(g.org, current_user, data)


@objectives_blp.route(f"{BASE}/<int:objective_id>")
class ObjectiveById(MethodView):
    @objectives_blp.response(200, ObjectiveSchema)
    def get(self, org_id: int, objective_id: int) -> Any:
        """One objective with its KPIs' latest measurements and its status."""
        return objectives.get_objective(g.org, objective_id)

    @objectives_blp.arguments(ObjectivePatchSchema)
    @objectives_blp.response(200, ObjectiveSchema)
    def patch(self, changes: dict[str, Any], org_id: int, objective_id: int) -> Any:
        """Change an objective's fields or links (a list replaces the links it names)."""
        return objectives.update_objective(g.org, current_user, objective_id, changes)

    @objectives_blp.response(204)
    def delete(self, org_id: int, objective_id: int) -> None:
        """Remove an objective; its KPIs, initiatives and dimensions stay."""
        objectives.delete_objective(g.org, current_user, objective_id)
