"""The progress page of a background job: a progress bar that the page's script
(`static/js/jobs.js`) updates by polling `GET /api/v1/jobs/{id}` with the session cookie,
its message, then the download link or the error; without JavaScript, a "Refresh" link
shows the state anew. And the page actions that start a job (the report PDF)."""

from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from tracker import jobs
from tracker.models import BackgroundJob
from tracker.services.tenancy import access
from tracker.web.base import bp, org_page

TITLES: dict[str, Any] = {"report_pdf": _l("Diagnostic report (PDF)"),
                          "ratings_import": _l("Ratings import"),
                          "barometer_send": _l("Barometer email")}


@bp.get("/jobs/<key>", endpoint="job")
@login_required
def job_page(key: str) -> Any:
    """A job's progress, then its file or its error (404 for anyone who may not read it)."""
    job = jobs.job_for(current_user, key)
    if job.org_id is not None and access.role_in(current_user, job.org_id) is not None:
        org_page(job.org_id)
    view = jobs.job_view(job, url_for("jobs.JobResult", key=key))
    return render_template("jobs/job.html", job=view, title=TITLES.get(job.kind, job.kind),
                           api_url=url_for("jobs.JobByKey", key=key), back=_back_link(job))


@bp.post("/orgs/<int:org_id>/assessments/<int:assessment_id>/report/pdf",
         endpoint="report_pdf_job")
@login_required
def report_pdf_job(org_id: int, assessment_id: int) -> Any:
    """Print the report to PDF in a job, and show its progress page."""
    org = org_page(org_id)
    job = jobs.report_pdf_job(org, current_user.id, assessment_id,
                              request.form.get("lang") or None)
    return redirect(url_for("web.job", key=job.key), code=303)


def _back_link(job: BackgroundJob) -> str | None:
    """The page the job was started from, for a member of its organization."""
    if g.get("org") is None:
        return None
    if job.kind == "barometer_send":
        return url_for("web.schedules", org_id=job.org_id)
    assessment_id = job.params.get("assessment_id")
    if assessment_id is None:
        return None
    return url_for("web.assessment", org_id=job.org_id, assessment_id=assessment_id)
