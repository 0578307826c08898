"""Health of the service itself: whether its database answers."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tracker.services.unit_of_work import transaction


def database_answers() -> bool:
    """True when the database runs a trivial query; a failure is rolled back, not raised."""
    try:
        with transaction() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
