"""The single active scheduler: APScheduler 3 `BackgroundScheduler` with a SQLAlchemy job
store in the application database, behind a leader lock.

APScheduler 3 cannot share a job store between running schedulers, so every scheduler
process first takes the lock: on PostgreSQL a session-level `pg_try_advisory_lock` held on
a dedicated connection (released by the database if the process dies), on SQLite the
single process holds it. A process that does not get it waits as a standby and retries, so
it takes over when the leader stops or dies. The leader's jobs come from the one table of
periodic jobs (`tracker.scheduler.periodic`), which it keeps in sync with the schedules.

A leader whose loop meets an unexpected error (its lock's connection lost, the database
away while it starts) logs it, shuts its scheduler down and releases the lock, then goes
back to standing by: a standby takes over, never a leader that runs nothing.
"""

from __future__ import annotations

import logging
import threading

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask, request
from sqlalchemy import text
from sqlalchemy.engine import Connection

from tracker.extensions import db
from tracker.scheduler import jobs
from tracker.scheduler.periodic import PERSISTENT, VOLATILE, PeriodicJob, periodic_job_definitions

log = logging.getLogger(__name__)
LOCK_KEY = 0x7472_6163  # "trac"
#: The runner's thread, by which `leadership` finds a scheduler running in this process.
THREAD_NAME = "tracker-scheduler"


class LeaderLock:
    """The scheduler's leader lock (see the module docstring)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._connection: Connection | None = None
        self.held = False

    def acquire(self) -> bool:
        """Take the lock if free; True when this process holds it."""
        if self.held:
            return True
        with self.app.app_context():
            engine = db.engine
        if engine.dialect.name != "postgresql":
            self.held = True
            return True
        # autocommit: the lock belongs to the connection, not to a transaction
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                 {"k": LOCK_KEY}).scalar()
        if got:
            self._connection, self.held = connection, True
        else:
            connection.close()
        return self.held

    def release(self) -> None:
        """Give the lock back (closing the session would too, so a connection that is
        already broken releases it as well)."""
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
            except Exception:
                log.warning("scheduler: the lock's connection is broken; closing it")
            finally:
                self._connection.close()
                self._connection = None
        self.held = False

    def check(self) -> None:
        """Raise if the lock's connection is lost (the database restarted): the lock went
        with it, and a leader must not go on without it."""
        if self._connection is not None:
            self._connection.execute(text("SELECT 1"))


def build_scheduler(app: Flask) -> BackgroundScheduler:
    """A scheduler with the job stores of the table (`tracker.scheduler.periodic`): the app
    database's, where the schedules' jobs outlive the process, and memory, for the system
    jobs."""
    with app.app_context():
        engine = db.engine
    return BackgroundScheduler(
        jobstores={PERSISTENT: SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs"),
                   VOLATILE: MemoryJobStore()},
        timezone="UTC")


def sync_jobs(scheduler: BackgroundScheduler, table: list[PeriodicJob]) -> None:
    """Make the scheduler's jobs match the table: remove the jobs no row names (paused or
    deleted schedules), add the new rows, re-plan the rows whose trigger changed. Unchanged
    jobs keep their next run time, so a run missed during downtime still fires (once) at
    start."""
    wanted = {row.id for row in table}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            job.remove()
    for row in table:
        job = scheduler.get_job(row.id)
        if job is None or str(job.trigger) != str(row.trigger):
            scheduler.add_job(**row.add_job_arguments())


class Runner:
    """Runs the scheduler while holding the leader lock; as a standby, retries every
    `retry_seconds` until it gets the lock."""

    def __init__(self, app: Flask, retry_seconds: float = 10.0) -> None:
        self.app = app
        self.retry_seconds = retry_seconds
        self.lock = LeaderLock(app)
        self.scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def is_leader(self) -> bool:
        return self.scheduler is not None

    def start(self) -> Runner:
        """Start in the background: lead now if the lock is free, else stand by."""
        jobs.bind(self.app)
        self._thread = threading.Thread(target=self._loop, name=THREAD_NAME,
                                        daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        """Every `retry_seconds`: a standby tries the lock and leads if it gets it, a leader
        checks it still holds it; an unexpected error makes it stand down and retry."""
        while not self._stop.is_set():
            try:
                self._step()
            except Exception:
                log.exception("scheduler: the leader's loop failed; standing down")
                self._stand_down()
            self._stop.wait(self.retry_seconds)

    def _step(self) -> None:
        """One turn of the loop."""
        if self.scheduler is not None:
            self.lock.check()
        elif self.lock.acquire():
            self._lead()

    def _lead(self) -> None:
        """Start the scheduler paused, give it the table's jobs, then let it run: a run
        missed while no leader ran fires once now. A scheduler that fails to start is shut
        down before the error goes on."""
        scheduler = build_scheduler(self.app)
        scheduler.start(paused=True)
        try:
            sync_jobs(scheduler, self._table())
        except BaseException:
            scheduler.shutdown(wait=False)
            raise
        scheduler.resume()
        self.scheduler = scheduler
        log.info("scheduler: leader, %d job(s)", len(scheduler.get_jobs()))

    def _stand_down(self) -> None:
        """Shut the scheduler down (running jobs finish) and release the lock; whatever
        fails here is logged, so the lock is released whatever happens."""
        scheduler, self.scheduler = self.scheduler, None
        try:
            if scheduler is not None:
                scheduler.shutdown(wait=True)
        except Exception:
            log.exception("scheduler: the scheduler did not shut down cleanly")
        finally:
            self.lock.release()

    def _table(self) -> list[PeriodicJob]:
        """This leader's periodic jobs; its `sync` job is `_sync`."""
        return periodic_job_definitions(self.app, self._sync)

    def _sync(self) -> None:
        """The `sync` job: bring the scheduler's jobs in line with the table again."""
        if self.scheduler is not None:
            sync_jobs(self.scheduler, self._table())

    def stop(self) -> None:
        """Stop the scheduler (waiting for running jobs) and give the lock back."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._stand_down()

    def wait(self) -> None:
        """Block until interrupted (the `tracker scheduler` command)."""
        try:
            while not self._stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            log.info("scheduler: stopping")
        finally:
            self.stop()


def init_app(app: Flask) -> None:
    """Start the scheduler inside the web process of `make run` (`tracker run`, Werkzeug's
    single-process server) on its first request when TRACKER_SCHEDULER is on; never in
    tests, never under another WSGI server (deployments run `tracker scheduler`)."""
    if not app.config.get("TRACKER_SCHEDULER") or app.testing:
        return
    started: list[Runner] = []
    guard = threading.Lock()

    @app.before_request
    def _start_scheduler() -> None:
        if started or not request.environ.get("SERVER_SOFTWARE", "").startswith("Werkzeug"):
            return
        with guard:
            if not started:
                started.append(Runner(app).start())

