"""The kinds of background job, each a service called with a progress callback: the report
PDF (about 2.5 s of headless Chromium), a big ratings import, a barometer email campaign.

A kind takes the job's organization, its `params` (plain JSON, written when it was
submitted) and a `Progress` callback, and returns an `Outcome`; it raises `TrackerError`
with a message for its reader when the work cannot be done.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.adapters import pdf
from tracker.jobs.store import Outcome
from tracker.models import Organization
from tracker.services.diagnose import report
from tracker.services.follow import schedules
from tracker.services.observe import ratings_import

#: `progress(done, total, message)`: how far the job is, written where pollers see it.
Progress = Callable[[int, int, str], None]
Kind = Callable[[Organization, dict[str, Any], Progress], Outcome]


def report_pdf(org: Organization, params: dict[str, Any], progress: Progress) -> Outcome:
    """The diagnostic report of `params["assessment_id"]` printed to PDF, in
    `params["lang"]` (default: the organization's language)."""
    assessment_id, lang = int(params["assessment_id"]), params.get("lang")
    progress(0, 2, _("Writing the report…"))
    pdf.require()
    html = report.report_html(org, assessment_id, lang)
    progress(1, 2, _("Printing the PDF…"))
    content = pdf.html_to_pdf(html)
    return Outcome(_("The PDF report is ready."), content=content,
                   name=f"report-{assessment_id}.pdf", mime="application/pdf")


def ratings_import_job(org: Organization, params: dict[str, Any],
                       progress: Progress) -> Outcome:
    """An uploaded ratings file (`params["data"]`, base64, and its `filename`) imported into
    `params["assessment_id"]`, all or nothing, its new respondents counted as they are
    written (`params["update_existing"]`: the upload page's import, which also rates the
    respondents already there)."""
    progress(0, 1, _("Checking the file…"))
    data = base64.b64decode(params["data"])
    rows = ratings_import.upload_records(data, params.get("filename") or "")
    result = ratings_import.import_ratings_records(
        org, int(params["assessment_id"]), rows, _counting(progress),
        update_existing=bool(params.get("update_existing")))
    summary = {**asdict(result), "warnings": ratings_import.encoding_warnings(data)}
    return Outcome(ngettext("Imported %(num)d rating.", "Imported %(num)d ratings.",
                            result.ratings), result=summary)


def _counting(progress: Progress) -> ratings_import.Progress:
    """The import's `progress` wrapper: the rows pass through, every `EVERY`-th one (and the
    last) reported as written."""

    def wrap(rows: Sequence[Any]) -> Iterator[Any]:
        total = len(rows)
        for number, row in enumerate(rows, start=1):
            yield row
            if number % ratings_import.CHUNK == 0 or number == total:
                progress(number, total, _("%(done)d of %(total)d respondents written…",
                                          done=number, total=total))

    return wrap


def barometer_send(org: Organization, params: dict[str, Any], progress: Progress) -> Outcome:
    """The barometer email of a schedule's current period queued again (`params`: the
    `schedule_id`, `to` `all` or `new`, or one `recipient`), as the schedules page asks."""
    progress(0, 1, _("Rendering the barometer email…"))
    result = schedules.resend_schedule(org, int(params["schedule_id"]), params["to"],
                                       current_app.config, recipient=params.get("recipient"))
    message = ngettext("Barometer %(period)s queued for %(num)d recipient.",
                       "Barometer %(period)s queued for %(num)d recipients.", result.queued,
                       period=result.period)
    return Outcome(message, result={"period": result.period, "recipients": result.recipients,
                                    "skipped": result.skipped})


KINDS: dict[str, Kind] = {"report_pdf": report_pdf, "ratings_import": ratings_import_job,
                          "barometer_send": barometer_send}
