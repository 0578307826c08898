"""Running one job: take it (once), run its kind in the submitter's language with a
progress callback, write its outcome or its failure, count it in the metrics.

`run_queued` is what RQ calls by name (`tracker.jobs.runner.run_queued`): inside the app
context of `tracker worker`, or in an app it builds itself when another RQ worker runs it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker.adapters.metrics import JOB_FAILURES, JOB_RUNS
from tracker.domain.errors import TrackerError
from tracker.extensions import db
from tracker.jobs import store
from tracker.jobs.kinds import KINDS
from tracker.models import BackgroundJob, Organization
from tracker.services.unit_of_work import transaction

log = logging.getLogger(__name__)
_APP: list[Flask] = []


class Steps:
    """The progress callback of one job: writes each step on the job's row and keeps the
    last total, so the finished job shows every step done."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.total = 1

    def __call__(self, done: int, total: int, message: str) -> None:
        self.total = total
        store.write_progress(self.job_id, done, total, message)


def run_queued(key: str) -> None:
    """RQ's entry point: run the job of `key` in the current app, or in one built here
    (an RQ worker started without `tracker worker`); a fresh session each time."""
    if has_app_context():
        _run_and_close(key)
        return
    if not _APP:
        from tracker import create_app

        _APP.append(create_app())
    with _APP[0].app_context():
        _run_and_close(key)


def _run_and_close(key: str) -> None:
    """Run the job, then drop the session (the next job reads fresh rows)."""
    try:
        run_job(key)
    finally:
        db.session.remove()


def run_job(key: str) -> None:
    """Run the job of `key` if it is still queued: running, then done with its outcome, or
    failed with a message (a `TrackerError`'s own; anything else logged with its traceback
    and told in general terms)."""
    job = store.take(key)
    if job is None:
        log.info("Job %s is not queued (already run, or unknown); nothing to do.", key)
        return
    JOB_RUNS.labels(kind=job.kind).inc()
    job_id, kind = job.id, job.kind
    with force_locale(job.params.get("locale") or "en"):
        try:
            _work(job)
        except TrackerError as error:
            _failed(job_id, kind, error.detail, {"errors": error.errors} if error.errors else None)
            log.warning("Job %s (%s) failed: %s", key, kind, error.detail)
        except Exception:
            log.exception("Job %s (%s) failed", key, kind)
            _failed(job_id, kind, _("The job failed on our side; the error has been logged."))


def _work(job: BackgroundJob) -> None:
    """The kind's work and the job's `done`, in one unit of work."""
    steps = Steps(job.id)
    with transaction():
        org = db.session.get(Organization, job.org_id) if job.org_id is not None else None
        if org is None:
            raise TrackerError(_("The organization of this job no longer exists."))
        outcome = KINDS[job.kind](org, dict(job.params), steps)
        store.finish(job, outcome, steps.total)


def _failed(job_id: int, kind: str, error: str, result: dict[str, Any] | None = None) -> None:
    """Record the failure on the row and count it."""
    JOB_FAILURES.labels(kind=kind).inc()
    store.fail(job_id, error, result)
