"""The transaction boundary of a use case: all of it is written, or none of it.

Units of work nest: a use case may call another that opens its own `transaction()`, and only
the outermost block commits. An inner block that ends well flushes its writes, so what its
use case answers carries its ids, as it would alone. An inner block that fails rolls back
the whole transaction at once; if the caller swallows that error and carries on, the
outermost block refuses to commit what is left and raises `TransactionAborted` (a half-done
use case is never stored). This is the only place in the code that commits or rolls back
the session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

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
    except BaseException:
        session.rollback()
        session.info[_ABORTED] = depth > 0
        raise
    else:
        if depth == 0:
            if session.info.pop(_ABORTED, False):
                session.rollback()
                raise TransactionAborted(
                    "An inner unit of work failed, so nothing of this one was saved.")
            session.commit()
        else:
            session.flush()
    finally:
        session.info[_DEPTH] = depth
        if depth == 0:
            session.info.pop(_ABORTED, None)
