"""The transaction boundary of a use case: all of it is written, or none of it.

Units of work nest: a use case may call another that opens its own `transaction()`, and only
the outermost block commits. An inner block that ends well flushes its writes, so what its
use case answers carries its ids, as it would alone. An inner block that fails rolls back
the whole transaction at once; if the caller swallows that error and carries on, the
outermost block refuses to commit what is left and raises `TransactionAborted` (a half-done
use case is never stored). This is the only place in the code that commits or rolls back
the session.

A write of a versioned row (an initiative) that another transaction changed since this one
read it is refused by the ORM (`StaleDataError`); it leaves here as a 409, nothing saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.domain.errors import Conflict
from tracker.extensions import db

_DEPTH = "tracker.unit_of_work.depth"
_ABORTED = "tracker.unit_of_work.aborted"


class TransactionAborted(RuntimeError):
    """An inner unit of work failed and was rolled back, but the outer one went on."""


@contextmanager
def transaction() -> Iterator[Session]:
    """Run the block as one unit of work: the outermost block commits it (an inner one
    flushes), or rolls everything back if any block inside it raised."""
    session = db.session()
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        yield session
    except BaseException as error:
        session.rollback()
        session.info[_ABORTED] = depth > 0
        if isinstance(error, StaleDataError):
            raise _lost_race() from error
        raise
    else:
        if depth == 0:
            if session.info.pop(_ABORTED, False):
                session.rollback()
                raise TransactionAborted(
                    "An inner unit of work failed, so nothing of this one was saved.")
            _commit(session)
        else:
            session.flush()
    finally:
        session.info[_DEPTH] = depth
        if depth == 0:
            session.info.pop(_ABORTED, None)


def _commit(session: Session) -> None:
    """Commit; when the final flush meets a row changed meanwhile, roll back and say so."""
    try:
        session.commit()
    except StaleDataError as error:
        session.rollback()
        raise _lost_race() from error


def _lost_race() -> Conflict:
    """The answer to a write that lost a race against another transaction on the same row."""
    return Conflict("Someone else changed this record at the same time; nothing was saved. "
                    "Read it again, then retry.")
