"""What is derived from an organization's data, computed once per version of that data.

Every write of an organization's data bumps `Organization.data_version` in the same
transaction (the flush listener below does it for the ORM's writes; `bump_version` for a Core
statement that writes rows in bulk). A read that derives something costly (the graph, the
ranking of a method, the plan of some settings) asks `cached(org, name, args, compute)`: the
answer is kept per process under (organization, version, name, args) and reused by every
read, page, report and email of any request until the version moves. Several processes stay
right: each reads the version from the database with the organization, so a write committed
by one is seen by the others at their next read.

A transaction that has written the organization's data and not yet committed computes from
what it sees and keeps that only until it ends: a version that a rollback takes back must
never name other data. Cached values are shared: callers never mutate them.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, SessionTransaction

from tracker.models import (
    AuditEvent,
    BackgroundJob,
    Framework,
    Initiative,
    Organization,
    OutboxAsset,
    OutboxMessage,
    RoadmapBaseline,
    WebhookDelivery,
)

T = TypeVar("T")

#: Entries kept per process (the latest version of each organization's derived values).
MAX_ENTRIES = 256
#: Rows written alongside other writes or by deliveries, which derive nothing.
UNTRACKED: tuple[type, ...] = (AuditEvent, BackgroundJob, OutboxAsset, OutboxMessage,
                               WebhookDelivery)
#: How a row without an `org_id` finds its organization: through the initiative, the
#: baseline or the framework it belongs to (a shared framework belongs to none: its rows
#: never change once an assessment uses them, a new version is new rows).
PARENTS: tuple[tuple[str, Any], ...] = (("initiative_id", Initiative),
                                        ("baseline_id", RoadmapBaseline),
                                        ("framework_id", Framework))
_WRITTEN = "tracker.derived.written"
_LOCAL = "tracker.derived.local"

_lock = threading.Lock()
_entries: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
#: An organization is known by its id and creation instant: an id that a restore or an
#: emptied database gives again to another organization never reads the first one's values.
_Identity = tuple[int, datetime]
_latest: dict[_Identity, int] = {}
#: How many times each name was computed in this process (what tests and benches read).
computes: Counter[str] = Counter()


class _Failed:
    """A computation that raised one of the errors the caller keeps (the same inputs raise
    it again: a plan whose pinned dates conflict, a method the organization cannot use)."""

    __slots__ = ("error",)

    def __init__(self, error: Exception) -> None:
        self.error = error


def cached(org: Organization, name: str, args: Hashable, compute: Callable[[], T], *,
           errors: tuple[type[Exception], ...] = ()) -> T:
    """`compute()` for this version of the organization's data, computed once per process
    (or once per transaction while it has uncommitted writes of that data). An exception of
    `errors` is kept like a value and raised again at each call."""
    from tracker.extensions import db

    session = db.session()
    if session.autoflush:
        session.flush()  # as a query would: pending writes bump the version first
    # (organization, version, name, args, the organization's creation instant)
    key = (org.id, org.data_version, name, args, org.created_at)
    if org.id in session.info.get(_WRITTEN, ()):
        local: dict[tuple[Hashable, ...], Any] = session.info.setdefault(_LOCAL, {})
        if key not in local:
            local[key] = _run(name, compute, errors)
        return _value(local[key])
    with _lock:
        found = _entries.get(key, _entries)
        if found is not _entries:
            _entries.move_to_end(key)
    if found is _entries:
        found = _run(name, compute, errors)
        _store(key, found)
    return _value(found)


def _run(name: str, compute: Callable[[], T], errors: tuple[type[Exception], ...]) -> Any:
    computes[name] += 1
    try:
        return compute()
    except errors as error:
        return _Failed(error)


def _value(found: Any) -> Any:
    if isinstance(found, _Failed):
        raise found.error.with_traceback(None)
    return found


def _store(key: tuple[Hashable, ...], value: Any) -> None:
    """Keep `value`, forgetting the organization's older versions and the least used."""
    org_id, version, created = key[0], key[1], key[4]
    assert isinstance(org_id, int) and isinstance(version, int) \
        and isinstance(created, datetime)
    identity = (org_id, created)
    with _lock:
        if version > _latest.get(identity, -1):
            _latest[identity] = version
            for stale in [k for k in _entries if (k[0], k[4]) == identity and k[1] != version]:
                del _entries[stale]
        elif version < _latest[identity]:
            return
        _entries[key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    """Forget every derived value of this process (tests, and a restore of a database)."""
    with _lock:
        _entries.clear()
        _latest.clear()
        computes.clear()


def bump_version(session: Session, org_id: int) -> None:
    """Move the organization's data version after a Core statement wrote its rows (the ORM's
    writes move it by themselves), in the caller's transaction."""
    session.execute(update(Organization).where(Organization.id == org_id)
                    .values(data_version=Organization.data_version + 1))
    _written(session, [org_id])
    org = session.identity_map.get(session.identity_key(Organization, org_id))
    if org is not None:
        session.expire(org, ["data_version"])


def bump_once(session: Session, org_id: int) -> None:
    """`bump_version`, unless this transaction already moved the version and derived
    nothing from it since: a bulk write of many chunks moves it once."""
    moved = org_id in session.info.get(_WRITTEN, ())
    derived_since = any(key[0] == org_id for key in session.info.get(_LOCAL, {}))
    if not moved or derived_since:
        bump_version(session, org_id)


def _written(session: Session, org_ids: Iterable[int]) -> None:
    """Remember that this transaction wrote these organizations' data."""
    session.info.setdefault(_WRITTEN, set()).update(org_ids)


def _org_of(session: Session, row: object,
            parents: dict[tuple[Any, int], int | None]) -> int | None:
    """The organization whose data a written row is, or None (shared or untracked rows);
    `parents` remembers each parent's organization for the rest of the flush (one query per
    parent, not per row)."""
    if isinstance(row, UNTRACKED):
        return None
    if isinstance(row, Organization):
        return row.id
    org_id = getattr(row, "org_id", None)
    if org_id is not None:
        return int(org_id)
    for attribute, model in PARENTS:
        parent_id = getattr(row, attribute, None)
        if parent_id is not None:
            if (model, parent_id) not in parents:
                parents[model, parent_id] = _parent_org(session, model, parent_id)
            return parents[model, parent_id]
    return None


def _parent_org(session: Session, model: Any, parent_id: int) -> int | None:
    """The organization of an initiative, baseline or framework (None for a shared one)."""
    parent = session.identity_map.get(session.identity_key(model, parent_id))
    if parent is not None:
        found = parent.org_id
    else:
        with session.no_autoflush:
            found = session.scalar(select(model.org_id).where(model.id == parent_id))
    return int(found) if found is not None else None


@event.listens_for(Session, "before_flush")
def _bump_on_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Bump the data version of every organization whose data this flush writes."""
    rows = [*session.new, *session.deleted,
            *(row for row in session.dirty if session.is_modified(row))]
    parents: dict[tuple[Any, int], int | None] = {}
    touched = {org_id for row in rows
               if (org_id := _org_of(session, row, parents)) is not None}
    if not touched:
        return
    _written(session, touched)
    for org_id in sorted(touched):
        org = session.identity_map.get(session.identity_key(Organization, org_id))
        if org is None or org in session.new:
            if org is None:
                session.execute(update(Organization).where(Organization.id == org_id)
                                .values(data_version=Organization.data_version + 1))
            continue
        org.data_version = Organization.data_version + 1


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ends (committed, rolled back or closed) leaves nothing of its own
    derived values behind."""
    if transaction.parent is not None:
        return
    session.info.pop(_WRITTEN, None)
    session.info.pop(_LOCAL, None)
