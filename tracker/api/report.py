"""The diagnostic report of an assessment, as standalone HTML or PDF."""

from __future__ import annotations

from typing import Any

from flask import Response, g
from flask.views import MethodView

from tracker.api import Blueprint
from tracker.reports import CSP
from tracker.schemas.report import ReportArgsSchema
from tracker.services import report

blp = Blueprint("report", __name__, description="Diagnostic report (HTML, PDF)")


@blp.route("/orgs/<int:org_id>/assessments/<int:assessment_id>/report")
class Report(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.response(200, content_type="text/html")
    @blp.alt_response(501, description="PDF asked where Chromium is not installed")
    def get(self, args: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """The diagnostic report: scores (radar, heatmap), synthesis with verbatims,
        ambition, backlog, pilots and trajectory; `format=pdf` prints it with Chromium."""
        content, mimetype, name = report.report(g.org, assessment_id, args["format"],
                                                args.get("lang"))
        return Response(content, mimetype=mimetype,
                        headers={"Content-Disposition": f'inline; filename="{name}"',
                                 "Content-Security-Policy": CSP})
