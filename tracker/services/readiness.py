"""Whether this process may take traffic (`GET /api/v1/ready`): the database answers, its
schema is at the migrations' head, a scheduler leader is seen and the outbox is not stuck.
Each check answers a `Check` and never raises. The scheduler's check lives in
`tracker.scheduler.leadership` (services never import the scheduler): the caller passes it
to `run_checks`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from tracker.config import resource_dir
from tracker.models.base import utcnow
from tracker.models.outbox import OutboxMessage
from tracker.services.health import database_answers
from tracker.services.unit_of_work import transaction

OK, FAILING, NOT_CHECKED = "ok", "failing", "not_checked"
#: A pending message older than this makes the outbox check fail (TRACKER_READY_OUTBOX_SECONDS).
OUTBOX_MAX_AGE_SECONDS = 900


@dataclass(frozen=True)
class Check:
    """One check: `status` (`ok`, `failing`, or `not_checked`, which does not fail
    readiness), a human `detail` and the figures behind it."""

    status: str
    detail: str
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def failing(self) -> bool:
        return self.status == FAILING

    def as_dict(self) -> dict[str, Any]:
        """The check as `/api/v1/ready` shows it: status, detail and figures."""
        return {"status": self.status, "detail": self.detail, **self.figures}


@dataclass(frozen=True)
class OutboxBacklog:
    """Pending outbox messages and the age in seconds of the oldest (0 when none)."""

    pending: int
    oldest_seconds: float


@lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    """The head revisions of the migration scripts shipped with the code."""
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def check_migrations() -> Check:
    """`ok` when the database's `alembic_version` names exactly the scripts' heads."""
    heads = migration_heads()
    try:
        current = applied_revisions()
    except SQLAlchemyError as error:
        return Check(FAILING, f"cannot read alembic_version: {type(error).__name__}")
    figures = {"current": sorted(current), "head": sorted(heads)}
    if current != heads:
        detail = "not migrated" if not current else "not at the migrations' head"
        return Check(FAILING, f"{detail}: run 'tracker db upgrade'", figures)
    return Check(OK, "at head", figures)


def applied_revisions() -> frozenset[str]:
    """The revisions the database's `alembic_version` names (none when it has no such
    table), read without alembic's migration context (which logs at every call)."""
    with transaction() as session:
        if not inspect(session.connection()).has_table("alembic_version"):
            return frozenset()
        return frozenset(session.scalars(text("SELECT version_num FROM alembic_version")))


def outbox_backlog(now: datetime | None = None) -> OutboxBacklog:
    """How many outbox messages are pending and how old the oldest is."""
    with transaction() as session:
        pending, oldest = session.execute(
            select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at))
            .where(OutboxMessage.status == "pending")).one()
    if oldest is None:
        return OutboxBacklog(int(pending), 0.0)
    if oldest.tzinfo is None:  # a naive value read back from SQLite
        oldest = oldest.replace(tzinfo=utcnow().tzinfo)
    age = ((now or utcnow()) - oldest).total_seconds()
    return OutboxBacklog(int(pending), max(0.0, age))


def check_outbox(max_age_seconds: float, now: datetime | None = None) -> Check:
    """`failing` when the oldest pending message waits longer than `max_age_seconds` (the
    scheduler's outbox job, every minute, is not delivering)."""
    try:
        backlog = outbox_backlog(now)
    except SQLAlchemyError as error:
        return Check(FAILING, f"cannot read the outbox: {type(error).__name__}")
    figures = {"pending": backlog.pending,
               "oldest_pending_seconds": round(backlog.oldest_seconds, 3),
               "threshold_seconds": max_age_seconds}
    if backlog.oldest_seconds > max_age_seconds:
        return Check(FAILING, "the oldest pending message is older than the threshold",
                     figures)
    return Check(OK, "delivering", figures)


def run_checks(scheduler_check: Callable[[], Check], outbox_max_age_seconds: float
               ) -> dict[str, Check]:
    """Every check by name; with the database away the others are not run (each would
    fail the same way)."""
    if not database_answers():
        down = Check(FAILING, "the database does not answer")
        return {"database": down, "migrations": down, "scheduler": down, "outbox": down}
    return {"database": Check(OK, "answers"), "migrations": check_migrations(),
            "scheduler": scheduler_check(), "outbox": check_outbox(outbox_max_age_seconds)}


def readiness_report(checks: dict[str, Check]) -> tuple[dict[str, Any], bool]:
    """The body of `/api/v1/ready` (`ready` or `not_ready`, every check) and whether ready:
    `not_checked` does not fail readiness."""
    ready = not any(check.failing for check in checks.values())
    return ({"status": "ready" if ready else "not_ready",
             "checks": {name: check.as_dict() for name, check in checks.items()}}, ready)
