"""Findings, perception gaps and blind spots of an organization's assessments.

The diagnostic report of an assessment, as standalone HTML or PDF."""

from __future__ import annotations

from typing import Any

from flask import Response, g, request
from flask.views import MethodView
from flask_login import current_user

from tracker import jobs
from tracker.adapters.report import CSP
from tracker.api import Blueprint
from tracker.api.jobs import JobSchema, accepted
from tracker.schemas.common import page_schema
from tracker.schemas.diagnose import (
    BlindSpotsSchema,
    FindingListArgsSchema,
    FindingPatchSchema,
    FindingSchema,
    PerceptionArgsSchema,
    PerceptionGapsSchema,
    ReportArgsSchema,
    SuggestResultSchema,
)
from tracker.services.diagnose import findings, perception, report

findings_blp = Blueprint("findings", __name__, description="Findings, perception gaps, blind spots")
ORG = "/orgs/<int:org_id>"
ASSESSMENT = f"{ORG}/assessments/<int:assessment_id>"


@findings_blp.route(f"{ORG}/findings")
class Findings(MethodView):
    @findings_blp.arguments(FindingListArgsSchema, location="query")
    @findings_blp.response(200, page_schema(FindingSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Findings, optionally of one assessment, kind or status."""
        return findings.list_findings(g.org, args["page"], args["per_page"], args)

    @findings_blp.arguments(FindingSchema)
    @findings_blp.response(201, FindingSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Write a finding on dimensions, with evidence."""
        return findings.create_finding(g.org, data)


@findings_blp.route(f"{ORG}/findings/<int:finding_id>")
class FindingById(MethodView):
    @findings_blp.response(200, FindingSchema)
    def get(self, org_id: int, finding_id: int) -> Any:
        """One finding with its dimensions, evidence and triggering metrics."""
        return findings.get_finding(g.org, finding_id)

    @findings_blp.arguments(FindingPatchSchema)
    @findings_blp.response(200, FindingSchema)
    def patch(self, changes: dict[str, Any], org_id: int, finding_id: int) -> Any:
        """Edit a finding, or accept or dismiss a suggestion."""
        return findings.update_finding(g.org, finding_id, changes)


@findings_blp.route(f"{ASSESSMENT}/findings/suggest")
class SuggestFindings(MethodView):
    @findings_blp.response(200, SuggestResultSchema)
    def post(self, org_id: int, assessment_id: int) -> Any:
        """Suggest strengths, gaps, tensions and blind spots; never twice the same one."""
        return findings.suggest(g.org, assessment_id)


@findings_blp.route(f"{ASSESSMENT}/perception-gaps")
class PerceptionGaps(MethodView):
    @findings_blp.arguments(PerceptionArgsSchema, location="query")
    @findings_blp.response(200, PerceptionGapsSchema)
    def get(self, args: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Group means per dimension by role, team, level or source; small groups hidden."""
        return perception.perception(g.org, assessment_id, args["by"])


@findings_blp.route(f"{ASSESSMENT}/blind-spots")
class BlindSpots(MethodView):
    @findings_blp.response(200, BlindSpotsSchema)
    def get(self, org_id: int, assessment_id: int) -> Any:
        """Leaders' mean against the others' per dimension."""
        return perception.blind_spots(g.org, assessment_id)


report_blp = Blueprint("report", __name__, description="Diagnostic report (HTML, PDF)")


@report_blp.route("/orgs/<int:org_id>/assessments/<int:assessment_id>/report")
class Report(MethodView):
    @report_blp.arguments(ReportArgsSchema, location="query")
    @report_blp.response(200, content_type="text/html")
    @report_blp.alt_response(202, schema=JobSchema,
                             description="`Prefer: respond-async`: the PDF is made by a job")
    @report_blp.alt_response(501, description="PDF asked where Chromium is not installed")
    def get(self, args: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """The diagnostic report: scores (radar, heatmap), synthesis with verbatims,
        ambition, backlog, pilots and trajectory; `format=pdf` prints it with Chromium
        (with `Prefer: respond-async`, as a background job: 202 and its `Location`)."""
        if args["format"] == "pdf" and "respond-async" in request.headers.get("Prefer", ""):
            return accepted(jobs.report_pdf_job(g.org, current_user.id, assessment_id,
                                                args.get("lang")))
        content, content_type, name = report.report(g.org, assessment_id, args["format"],
                                                args.get("lang"))
        return Response(content, content_type=content_type,
                        headers={"Content-Disposition": f'inline; filename="{name}"',
                                 "Content-Security-Policy": CSP})
