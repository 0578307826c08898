"""The diagnostic report page: the same standalone document as the API (HTML, or PDF with
`?format=pdf`), in the organization's language (DESIGN section 9) unless `?lang=` asks
for another."""

from __future__ import annotations

from flask import Response, request
from flask_login import login_required

from tracker.adapters.report import CSP
from tracker.services.diagnose import report
from tracker.web.base import bp, org_page


@bp.get("/orgs/<int:org_id>/assessments/<int:assessment_id>/report", endpoint="report")
@login_required
def report_page(org_id: int, assessment_id: int) -> Response:
    """The report of one assessment, printable (A4, one section per page)."""
    org = org_page(org_id)
    content, content_type, name = report.report(org, assessment_id,
                                            request.args.get("format", "html"),
                                            request.args.get("lang") or None)
    return Response(content, content_type=content_type,
                    headers={"Content-Disposition": f'inline; filename="{name}"',
                             "Content-Security-Policy": CSP})
