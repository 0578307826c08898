"""Diagnostic pages: an organization's assessments, and one assessment's diagnostic."""

from __future__ import annotations

from flask import g, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from tracker.services import assessments
from tracker.web.base import bp, org_page

STATUS_LABELS = {"draft": _l("draft"), "open": _l("open"), "closed": _l("closed")}
KIND_LABELS = {"diagnostic": _l("diagnostic"), "pulse": _l("pulse")}


@bp.get("/orgs/<int:org_id>/assessments", endpoint="assessments")
@login_required
def assessments_list(org_id: int) -> str:
    """The organization's assessments, newest first."""
    org = org_page(org_id)
    g.active_nav = "diagnostic"
    page = assessments.list_assessments(org, 1, 200)
    return render_template("web/assessments.html", org=org, assessments=page.items,
                           status_labels=STATUS_LABELS, kind_labels=KIND_LABELS)
