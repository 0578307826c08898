"""Whether a scheduler leader is seen, from any process (readiness and metrics).

The leader is whoever holds the runner's lock (`tracker.scheduler.runner`), so no heartbeat
is needed:

* on PostgreSQL the lock is a session-level advisory lock, which `pg_locks` shows to every
  connection: a leader is seen when that lock is granted to some session, in this process or
  in a `tracker scheduler` process on another host;
* on SQLite the lock is held by the single process that runs a scheduler and is seen by no
  other one: a leader is seen when a scheduler runs in this process (`tracker run` with
  TRACKER_SCHEDULER on); otherwise the check is `not_checked` (it does not fail readiness),
  since a `tracker scheduler` beside it cannot be told apart from none.
"""

from __future__ import annotations

import threading

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import db
from tracker.scheduler.runner import LOCK_KEY, THREAD_NAME
from tracker.services.readiness import FAILING, NOT_CHECKED, OK, Check

#: pg_locks shows a bigint advisory key as two 32-bit halves, with objsubid 1.
_LOCK_HELD = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND classid = :high AND objid = :low AND objsubid = 1"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")


def runs_here() -> bool:
    """Whether a scheduler runner (leader or standby) runs in this process."""
    return any(thread.name == THREAD_NAME and thread.is_alive()
               for thread in threading.enumerate())


def leader_seen() -> bool | None:
    """True or False when it can be told (see the module docstring), None when not.
    Runs in an app context; raises `SQLAlchemyError` when the database does not answer."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            held = connection.execute(_LOCK_HELD, {"high": LOCK_KEY >> 32,
                                                   "low": LOCK_KEY & 0xFFFF_FFFF}).scalar()
        return bool(held)
    return True if runs_here() else None


def check_leader() -> Check:
    """The readiness check of the scheduler: `ok`, `failing` or `not_checked`."""
    try:
        seen = leader_seen()
    except SQLAlchemyError as error:
        return Check(FAILING, f"cannot read the scheduler's lock: {type(error).__name__}")
    if seen is None:
        return Check(NOT_CHECKED, "SQLite: a scheduler in another process cannot be seen")
    if not seen:
        return Check(FAILING, "no scheduler holds the leader lock: run 'tracker scheduler'")
    return Check(OK, "a leader holds the lock")
