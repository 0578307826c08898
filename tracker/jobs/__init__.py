"""Background jobs: long work (a PDF report, a big import, a barometer campaign) run outside
the request, with its progress written to a `BackgroundJob` row that pages and the API poll.

`submit` records the job and hands it to a worker: RQ on `TRACKER_REDIS_URL` when set (the
production path: `tracker worker` processes run it, and a job survives a web worker's
restart), else a thread of the web process (the embedded default, one job at a time). Each
kind of job (`kinds.KINDS`) calls a service with a progress callback; jobs never run HTTP
code.
"""

from __future__ import annotations

from tracker.jobs.backends import submit
from tracker.jobs.store import job_file, job_for, job_view
from tracker.jobs.triggers import (
    BIG_CAMPAIGN,
    barometer_send_job,
    is_big_campaign,
    ratings_import_job,
    report_pdf_job,
)

__all__ = ["BIG_CAMPAIGN", "barometer_send_job", "is_big_campaign", "job_file", "job_for",
           "job_view", "ratings_import_job", "report_pdf_job", "submit"]
