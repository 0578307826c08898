"""Findings, perception gaps and blind spots of an organization's assessments."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView

from tracker.api import Blueprint
from tracker.schemas.common import page_schema
from tracker.schemas.diagnosis import BlindSpotsSchema, PerceptionArgsSchema, PerceptionGapsSchema
from tracker.schemas.findings import (
    FindingListArgsSchema,
    FindingPatchSchema,
    FindingSchema,
    SuggestResultSchema,
)
from tracker.services import diagnosis, findings

blp = Blueprint("findings", __name__, description="Findings, perception gaps, blind spots")
ORG = "/orgs/<int:org_id>"
ASSESSMENT = f"{ORG}/assessments/<int:assessment_id>"


@blp.route(f"{ORG}/findings")
class Findings(MethodView):
    @blp.arguments(FindingListArgsSchema, location="query")
    @blp.response(200, page_schema(FindingSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Findings, optionally of one assessment, kind or status."""
        return findings.list_findings(g.org, args["page"], args["per_page"], args)

    @blp.arguments(FindingSchema)
    @blp.response(201, FindingSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Write a finding on dimensions, with evidence."""
        return findings.create_finding(g.org, data)


@blp.route(f"{ORG}/findings/<int:finding_id>")
class FindingById(MethodView):
    @blp.response(200, FindingSchema)
    def get(self, org_id: int, finding_id: int) -> Any:
        """One finding with its dimensions, evidence and triggering metrics."""
        return findings.get_finding(g.org, finding_id)

    @blp.arguments(FindingPatchSchema)
    @blp.response(200, FindingSchema)
    def patch(self, changes: dict[str, Any], org_id: int, finding_id: int) -> Any:
        """Edit a finding, or accept or dismiss a suggestion."""
        return findings.update_finding(g.org, finding_id, changes)


@blp.route(f"{ASSESSMENT}/findings/suggest")
class SuggestFindings(MethodView):
    @blp.response(200, SuggestResultSchema)
    def post(self, org_id: int, assessment_id: int) -> Any:
        """Suggest strengths, gaps, tensions and blind spots; never twice the same one."""
        return findings.suggest(g.org, assessment_id)


@blp.route(f"{ASSESSMENT}/perception-gaps")
class PerceptionGaps(MethodView):
    @blp.arguments(PerceptionArgsSchema, location="query")
    @blp.response(200, PerceptionGapsSchema)
    def get(self, args: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Group means per dimension by role, team, level or source; small groups hidden."""
        return diagnosis.perception(g.org, assessment_id, args["by"])


@blp.route(f"{ASSESSMENT}/blind-spots")
class BlindSpots(MethodView):
    @blp.response(200, BlindSpotsSchema)
    def get(self, org_id: int, assessment_id: int) -> Any:
        """Leaders' mean against the others' per dimension."""
        return diagnosis.blind_spots(g.org, assessment_id)
