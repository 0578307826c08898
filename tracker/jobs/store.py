"""The job row: created, marked running, its progress written, finished or failed, and
read back under the tenancy rule (its submitter, or a member of its organization).

Progress is written on a connection of its own, outside the job's unit of work, so another
process polling the row sees it while the work (an import in one transaction) is still
under way. On SQLite, whose one writer at a time may be that very unit of work, a progress
write that would wait is skipped rather than held up.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any, cast

from flask import current_app
from sqlalchemy import create_engine, update
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.exc import OperationalError

from tracker.domain.errors import NotFound
from tracker.extensions import db
from tracker.models import BackgroundJob, User
from tracker.models.base import utcnow
from tracker.services.tenancy import access
from tracker.services.unit_of_work import transaction

log = logging.getLogger(__name__)
MESSAGE_LENGTH = 300
#: Seconds a progress write may wait for SQLite's write lock before it is skipped.
SQLITE_PROGRESS_TIMEOUT = 0.2
_PROGRESS_ENGINE = "tracker.jobs.progress_engine"
#: Parameters too big to keep once a job has ended (an import's file).
BULKY_PARAMS = frozenset({"data"})


@dataclass(frozen=True)
class Outcome:
    """What a job produced: a JSON `result`, or a file (`content`, `name`, `mime`), and the
    last `message` shown with it."""

    message: str
    result: dict[str, Any] | None = None
    content: bytes | None = None
    name: str | None = None
    mime: str | None = None


def create_job(kind: str, org_id: int | None, user_id: int | None,
               params: dict[str, Any], message: str) -> BackgroundJob:
    """Record a queued job with a random key (its URL cannot be guessed), committed, so a
    worker of another process finds it."""
    with transaction() as session:
        job = BackgroundJob(key=secrets.token_urlsafe(24), kind=kind, org_id=org_id,
                            user_id=user_id, params=params, status="queued",
                            message=message[:MESSAGE_LENGTH])
        session.add(job)
    return job


def take(key: str) -> BackgroundJob | None:
    """Mark the job of `key` running, with its start time, if it still waits (one
    conditional UPDATE, committed: a job runs once however often it is handed to a
    worker); the job, or None when it is unknown or already taken."""
    with transaction() as session:
        taken = cast(CursorResult[Any], session.execute(
            update(BackgroundJob).where(BackgroundJob.key == key,
                                        BackgroundJob.status == "queued")
            .values(status="running", started_at=utcnow())))
    if taken.rowcount != 1:
        return None
    return db.session.scalar(db.select(BackgroundJob).where(BackgroundJob.key == key))


def finish(job: BackgroundJob, outcome: Outcome, total: int) -> None:
    """Write a job's outcome on its row, all `total` steps done (inside the caller's unit of
    work, so an import and its job's `done` are committed together)."""
    job.status = "done"
    job.progress = job.total = max(total, 1)
    job.message = outcome.message[:MESSAGE_LENGTH]
    job.result = outcome.result
    job.result_file, job.result_name, job.result_mime = outcome.content, outcome.name, outcome.mime
    job.finished_at = utcnow()
    _drop_bulky(job)


def _drop_bulky(job: BackgroundJob) -> None:
    """Forget the parameters a job no longer needs once ended (`BULKY_PARAMS`)."""
    if BULKY_PARAMS & set(job.params):
        job.params = {k: v for k, v in job.params.items() if k not in BULKY_PARAMS}


def fail(job_id: int, error: str, result: dict[str, Any] | None = None) -> None:
    """Mark the job failed with a message for its reader (never a traceback), in a unit of
    work of its own (the job's was rolled back)."""
    with transaction() as session:
        job = session.get(BackgroundJob, job_id)
        if job is not None:
            job.status = "failed"
            job.error = error
            job.result = result
            job.finished_at = utcnow()
            _drop_bulky(job)


def write_progress(job_id: int, progress: int, total: int, message: str) -> None:
    """Write `progress` of `total` and `message` on the job's row and commit them at once,
    on a connection of its own (see the module docstring)."""
    values = {"progress": progress, "total": total, "message": message[:MESSAGE_LENGTH]}
    try:
        with _progress_engine().begin() as connection:
            connection.execute(update(BackgroundJob).where(BackgroundJob.id == job_id)
                               .values(**values))
    except OperationalError as error:
        log.debug("Progress of job %s not written: %s", job_id, error)


def _progress_engine() -> Engine:
    """The engine of progress writes: the app's, or on SQLite one that waits only
    `SQLITE_PROGRESS_TIMEOUT` for the write lock (created once per app)."""
    if db.engine.dialect.name != "sqlite":
        return db.engine
    engine = current_app.extensions.get(_PROGRESS_ENGINE)
    if engine is None:
        engine = create_engine(db.engine.url,
                               connect_args={"timeout": SQLITE_PROGRESS_TIMEOUT})
        current_app.extensions[_PROGRESS_ENGINE] = engine
    return engine


def job_for(user: User, key: str) -> BackgroundJob:
    """The job of `key`, if `user` submitted it or is a member of its organization (instance
    admins included); NotFound otherwise, as if it did not exist."""
    job = db.session.scalar(db.select(BackgroundJob).where(BackgroundJob.key == key))
    if job is None or not _may_read(user, job):
        raise NotFound(f"Job {key} not found.")
    return job


def _may_read(user: User, job: BackgroundJob) -> bool:
    """Its submitter reads a job, and so does a member of its organization."""
    if job.user_id is not None and job.user_id == user.id:
        return True
    return job.org_id is not None and access.role_in(user, job.org_id) is not None


def job_view(job: BackgroundJob, result_url: str | None) -> dict[str, Any]:
    """What the API and the page show of a job: its state, progress, message, where its
    file is (`result_url`, once done with a file), its JSON result and its error."""
    return {"id": job.key, "kind": job.kind, "status": job.status, "progress": job.progress,
            "total": job.total, "message": job.message,
            "result_url": result_url if job.status == "done" and job.result_name else None,
            "result": job.result, "error": job.error}


def job_file(job: BackgroundJob) -> tuple[bytes, str, str]:
    """The job's file as `(content, name, mimetype)`; NotFound before it is done or for a
    job without one."""
    if job.status != "done" or job.result_file is None or not job.result_name:
        raise NotFound(f"Job {job.key} has no file (yet).")
    return job.result_file, job.result_name, job.result_mime or "application/octet-stream"
