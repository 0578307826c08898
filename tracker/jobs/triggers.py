"""What routes call to run work as a job: the same checks as the work done in the request
(so a wrong assessment or language is still an immediate 404 or 422, not a failed job),
then `submit`."""

from __future__ import annotations

import base64

from flask import current_app

from tracker.adapters import pdf
from tracker.jobs.backends import submit
from tracker.models import BackgroundJob, Organization
from tracker.models.schedules import Schedule
from tracker.services.diagnose import report
from tracker.services.observe import assessments, ratings_import
from tracker.services.tenancy.access import get_owned

#: Rows above which an import runs as a job when `TRACKER_JOB_IMPORT_ROWS` is not set.
DEFAULT_IMPORT_ROWS = 2000
#: Recipients from which the schedules page sends a barometer campaign as a job.
BIG_CAMPAIGN = 50


def report_pdf_job(org: Organization, user_id: int, assessment_id: int,
                   lang: str | None) -> BackgroundJob:
    """Print the report of an assessment of `org` to PDF in a job."""
    report.check_lang(lang)
    assessments.get_assessment(org, assessment_id)
    pdf.require()
    return submit("report_pdf", org.id, user_id, {"assessment_id": assessment_id, "lang": lang})


def import_rows(data: bytes, filename: str) -> int:
    """The respondent rows of an uploaded ratings file (its records after the header)."""
    return max(sum(1 for _ in ratings_import.upload_records(data, filename)) - 1, 0)


def ratings_import_job(org: Organization, user_id: int, assessment_id: int, data: bytes,
                       filename: str = "", *,
                       update_existing: bool = False) -> BackgroundJob | None:
    """Import an uploaded ratings file (CSV or `.xlsx`) in a job when it has more rows than
    `TRACKER_JOB_IMPORT_ROWS` (None: small enough to import in the request, or too big to
    import at all, which the request then says at once); `update_existing` as in
    `import_ratings_records` (the upload page)."""
    rows = import_rows(data, filename)
    threshold = int(current_app.config.get("TRACKER_JOB_IMPORT_ROWS") or DEFAULT_IMPORT_ROWS)
    if rows <= threshold or rows > ratings_import.max_rows():
        return None
    assessments.ensure_writable(assessments.get_assessment(org, assessment_id))
    return submit("ratings_import", org.id, user_id,
                  {"assessment_id": assessment_id, "filename": filename,
                   "update_existing": update_existing,
                   "data": base64.b64encode(data).decode("ascii")})


def barometer_send_job(org: Organization, user_id: int, schedule_id: int, to: str,
                       recipient: str | None = None) -> BackgroundJob:
    """Send a barometer schedule's email again in a job (`schedules.resend_schedule`, which
    checks `to` and the schedule's kind when the job runs)."""
    get_owned(Schedule, org, schedule_id, "Schedule")
    return submit("barometer_send", org.id, user_id,
                  {"schedule_id": schedule_id, "to": to, "recipient": recipient})


def is_big_campaign(org: Organization, schedule_id: int) -> bool:
    """Whether a schedule of `org` has `BIG_CAMPAIGN` recipients or more (the page then
    sends its barometer in a job)."""
    return len(get_owned(Schedule, org, schedule_id, "Schedule").recipients or []) >= BIG_CAMPAIGN
