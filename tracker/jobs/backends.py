"""Where a submitted job runs: RQ on `TRACKER_REDIS_URL` when set (`tracker worker`
processes take it, whichever web process submitted it), else the web process's own worker
thread (the embedded default: one job at a time, in an app context of its own).
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _

from tracker.jobs import runner, store
from tracker.jobs.kinds import KINDS
from tracker.models import BackgroundJob

log = logging.getLogger(__name__)
#: The RQ queue of tracker's jobs.
QUEUE = "tracker"
#: What RQ calls, by name (a web process need not import the work to enqueue it).
ENTRY_POINT = "tracker.jobs.runner.run_queued"
#: Seconds a job may run on RQ before its worker stops it.
JOB_TIMEOUT = 900
#: Seconds RQ keeps its own record of a job (the row is the truth; this is for operators).
RQ_KEEP = 86400
_THREAD = "tracker.jobs.thread"
_CREATING = threading.Lock()


def submit(kind: str, org_id: int | None, user_id: int | None,
           params: dict[str, Any]) -> BackgroundJob:
    """Record a job of `kind` (one of `KINDS`) and start it: on RQ when `TRACKER_REDIS_URL`
    is set, else on this process's worker thread. The submitter's language goes with it, so
    its messages are in that language. A queue that cannot be reached fails the job."""
    if kind not in KINDS:
        raise ValueError(f"Unknown job kind {kind!r}.")
    locale = str(get_locale() or "en") if has_request_context() else "en"
    job = store.create_job(kind, org_id, user_id, {**params, "locale": locale},
                           _("Waiting for a worker…"))
    url = current_app.config.get("TRACKER_REDIS_URL")
    if url:
        _enqueue(url, job)
    else:
        thread_worker(current_app._get_current_object()).put(job.key)  # type: ignore[attr-defined]
    return job


def redis_connection(url: str) -> Any:
    """A Redis connection to `url`."""
    from redis import Redis

    return Redis.from_url(url)


def safe_url(url: str) -> str:
    """`url` without its password, fit for a log line.

    >>> safe_url("redis://:secret@cache:6379/0")
    'redis://:***@cache:6379/0'
    """
    parts = urlsplit(url)
    if not parts.password:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def rq_queue(url: str, name: str = QUEUE) -> Any:
    """The RQ queue `name` on the Redis of `url`."""
    from rq import Queue

    return Queue(name, connection=redis_connection(url))


def _enqueue(url: str, job: BackgroundJob) -> None:
    """Hand the job to RQ under its own key; an unreachable Redis fails the job (logged)."""
    from redis.exceptions import RedisError

    try:
        rq_queue(url).enqueue(ENTRY_POINT, job.key, job_id=job.key, job_timeout=JOB_TIMEOUT,
                              result_ttl=RQ_KEEP, failure_ttl=RQ_KEEP)
    except RedisError:
        log.exception("Job %s could not be queued on Redis", job.key)
        store.fail(job.id, _("The job queue cannot be reached; try again later."))


def work(url: str, name: str = QUEUE, burst: bool = False) -> bool:
    """Run an RQ worker on the queue `name` in this process and its app context (jobs run
    one after the other); `burst` stops once the queue is empty. Whether it ran jobs."""
    from rq import SimpleWorker

    connection = redis_connection(url)
    worker = SimpleWorker([rq_queue(url, name)], connection=connection)
    return bool(worker.work(burst=burst, with_scheduler=False))


class ThreadWorker:
    """The embedded worker: one daemon thread of the web process running queued keys one
    at a time, each in an app context of its own."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.keys: queue.Queue[str] = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def put(self, key: str) -> None:
        """Queue `key`, starting the thread on first use (or if it died)."""
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._loop, name="tracker-jobs",
                                               daemon=True)
                self.thread.start()
        self.keys.put(key)

    def join(self) -> None:
        """Wait until every queued key has run (tests, a clean shutdown)."""
        self.keys.join()

    def _loop(self) -> None:
        while True:
            key = self.keys.get()
            try:
                with self.app.app_context():
                    runner.run_queued(key)
            except Exception:
                log.exception("The job worker thread failed on job %s", key)
            finally:
                self.keys.task_done()


def thread_worker(app: Flask) -> ThreadWorker:
    """The app's embedded worker (one per app)."""
    with _CREATING:
        worker = app.extensions.get(_THREAD)
        if worker is None:
            worker = app.extensions[_THREAD] = ThreadWorker(app)
    return worker
