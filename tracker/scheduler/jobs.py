"""The job functions APScheduler runs. They are module-level (the SQLAlchemy job store
keeps a reference to them by name) and take only ids, and they run inside the app
registered by the runner."""

from __future__ import annotations

import logging
from collections import Counter

from flask import Flask

from tracker.domain.errors import NotFound
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.follow import outbox, schedules

log = logging.getLogger(__name__)
_apps: list[Flask] = []
executions: Counter[int] = Counter()  # schedule id → runs in this process (tests, bench)


def bind(app: Flask) -> None:
    """The application the jobs of this process run in."""
    _apps[:] = [app]


def fire_schedule(org_id: int, schedule_id: int) -> None:
    """Run a schedule's job for the current period, then deliver the emails it queued."""
    executions[schedule_id] += 1
    app = _apps[0]
    with app.app_context():
        try:
            org = db.session.get(Organization, org_id)
            if org is None:
                raise NotFound(f"Organization {org_id} not found.")
            result = schedules.run_schedule(org, schedule_id, app.config)
            log.info("schedule %s (%s) %s: %s", schedule_id, result.kind, result.period,
                     result.detail)
        except NotFound:
            log.warning("schedule %s of organization %s is gone", schedule_id, org_id)
        finally:
            db.session.remove()
    flush_outbox()


def flush_outbox() -> None:
    """Deliver the due emails of the outbox (retries included)."""
    app = _apps[0]
    with app.app_context():
        try:
            outbox.deliver_pending(app.config)
        finally:
            db.session.remove()
