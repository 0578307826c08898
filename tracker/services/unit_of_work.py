"""The transaction boundary of a use case: all of it is written, or none of it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from tracker.extensions import db


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit what the block did, or roll everything back if it raised."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
