"""The job functions APScheduler runs. They are module-level (the SQLAlchemy job store
keeps a reference to them by name) and take only ids, and they run inside the app
registered by the runner. A job that fails is logged with its traceback and recorded on its
schedule; it never stops the other jobs, and the outbox is flushed after it all the same."""

from __future__ import annotations

import logging
from collections import Counter

from flask import Flask

from tracker.domain.errors import NotFound
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.follow import outbox, schedules
from tracker.services.tenancy import webhooks

log = logging.getLogger(__name__)
_apps: list[Flask] = []
executions: Counter[int] = Counter()  # schedule id → runs in this process (tests, bench)


def bind(app: Flask) -> None:
    """The application the jobs of this process run in."""
    _apps[:] = [app]


def fire_schedule(org_id: int, schedule_id: int) -> None:
    """Run a schedule's job for the current period, then deliver the emails it queued; a
    failure is logged and recorded on the schedule, never raised."""
    executions[schedule_id] += 1
    app = _apps[0]
    with app.app_context():
        try:
            _run(app, org_id, schedule_id)
        except NotFound:
            log.warning("schedule %s of organization %s is gone", schedule_id, org_id)
        except Exception as error:
            log.exception("schedule %s of organization %s failed", schedule_id, org_id)
            record_failure(schedule_id, error)
        finally:
            db.session.remove()
    flush_outbox()


def _run(app: Flask, org_id: int, schedule_id: int) -> None:
    """Run the schedule's job now (`schedules.run_schedule`) and log what it did."""
    org = db.session.get(Organization, org_id)
    if org is None:
        raise NotFound(f"Organization {org_id} not found.")
    result = schedules.run_schedule(org, schedule_id, app.config)
    log.info("schedule %s (%s) %s: %s", schedule_id, result.kind, result.period,
             result.detail)


def record_failure(schedule_id: int, error: BaseException) -> None:
    """Record `error` on the schedule; if even that fails (the database is away), log it:
    the scheduler goes on."""
    try:
        schedules.record_error(schedule_id, error)
    except Exception:
        log.exception("could not record the failure of schedule %s", schedule_id)


def flush_outbox() -> None:
    """Deliver the due emails and webhook calls of the outbox (retries included)."""
    app = _apps[0]
    with app.app_context():
        try:
            outbox.deliver_pending(app.config)
            webhooks.deliver_due(app.config)
        finally:
            db.session.remove()
