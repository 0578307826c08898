"""Locks that serialize the writes no database constraint can guard.

An acyclic graph is such a case: two requests may each add an edge that is fine alone
(A → B, B → A) and close a cycle together, since each checks the graph before the other has
written. So every write that adds edges to one of an organization's graphs (dependencies
between initiatives, root causes between findings) first takes the organization's graph lock,
then loads the graph and checks it: the second writer waits, then sees the first one's edge.

On PostgreSQL the lock is a transaction-scoped advisory lock (`pg_advisory_xact_lock`),
released when the unit of work commits or rolls back; nothing can forget to release it. On
SQLite it is a no-op: SQLite lets one writer at a time into the database anyway.
"""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Organization

#: The first key of the two-key advisory lock form: the graph locks' own space ("tgra"),
#: apart from the scheduler's single-key leader lock (PostgreSQL keeps the two forms apart).
GRAPH_LOCK_SPACE = 0x7467_7261


def lock_organization_graphs(org: Organization) -> None:
    """Wait for, then hold until the end of the current transaction, the lock on the
    organization's graphs: call it before loading a graph to check a new edge."""
    session = db.session()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(GRAPH_LOCK_SPACE, org.id)))
    # The graph read next is the one of the data version now, not the request's start's
    # (a cached graph would miss the edge the writer before us committed).
    if org in session:
        session.expire(org, ["data_version"])
