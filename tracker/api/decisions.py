"""The decision log of an organization: committee decisions and pilot go/no-go decisions."""

from __future__ import annotations

from typing import Any

from flask import Response, g
from flask.views import MethodView

from tracker.api import Blueprint
from tracker.schemas.common import page_schema
from tracker.schemas.decisions import DecisionListArgsSchema, DecisionSchema
from tracker.services import decisions

blp = Blueprint("decisions", __name__, description="Decision log of the committees")
BASE = "/orgs/<int:org_id>/decisions"


@blp.route(BASE)
class Decisions(MethodView):
    @blp.arguments(DecisionListArgsSchema, location="query")
    @blp.response(200, page_schema(DecisionSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The log, newest first: `q` searches title and rationale; filter by `committee`,
        `from` and `to` dates. Pilot decisions are listed as `kind: pilot` entries."""
        return decisions.list_decisions(g.org, args["page"], args["per_page"], args)

    @blp.arguments(DecisionSchema)
    @blp.response(201, DecisionSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Log a committee decision with the initiatives, pilots and findings it concerns."""
        return decisions.create_decision(g.org, data)


@blp.route(f"{BASE}.csv")
class DecisionsCsv(MethodView):
    @blp.arguments(DecisionListArgsSchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The filtered log as CSV."""
        return Response(decisions.decisions_csv(g.org, args), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="decisions-{org_id}.csv"'})


@blp.route(f"{BASE}/<int:decision_id>")
class DecisionById(MethodView):
    @blp.response(200, DecisionSchema)
    def get(self, org_id: int, decision_id: int) -> Any:
        """One logged decision."""
        return decisions.get_decision(g.org, decision_id)
