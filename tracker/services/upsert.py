"""Insert-or-update and insert-unless-present in one statement (`INSERT … ON CONFLICT`), on
PostgreSQL and SQLite alike.

Reading first and then inserting what was missing leaves a window: two requests writing the
same new row at the same instant both find nothing, both insert, and the second one breaks the
unique constraint (a 500). An upsert lets the database decide: the second writer waits for the
first one's row, then updates it (or, told to leave it, answers that it existed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from tracker.extensions import db
from tracker.models.base import Model

#: The dialects' own `insert()`, the ones that know `on_conflict_do_update`.
_INSERTS: Mapping[str, Callable[..., Any]] = {"postgresql": postgresql.insert,
                                               "sqlite": sqlite.insert}


def upsert(model: type[Model], rows: Sequence[Mapping[str, Any]], key: Sequence[str]) -> None:
    """Insert each row, or, where a row with the same `key` columns (a unique constraint or
    index) exists, set its other columns to the row's values; all rows name the same columns.

    The statement bypasses the session's unit of work, so instances of `model` it holds are
    expired: they reload what the database now holds when next read.
    """
    if not rows:
        return
    statement = _insert(model)
    statement = statement.on_conflict_do_update(
        index_elements=list(key),
        set_={name: statement.excluded[name] for name in rows[0] if name not in key})
    db.session.execute(statement, list(rows))
    for instance in list(db.session.identity_map.values()):
        if isinstance(instance, model):
            db.session.expire(instance)


def insert_new(model: type[Model], values: Mapping[str, Any], key: Sequence[str]) -> int | None:
    """Insert the row unless one with the same `key` columns (a unique index) exists:
    the new row's id, or None when it existed (also when another transaction inserted it a
    moment before), so a caller can refuse a duplicate without ever breaking the constraint.
    """
    statement = _insert(model).values(**values).on_conflict_do_nothing(
        index_elements=list(key)).returning(model.__table__.c.id)
    new_id: int | None = db.session.scalar(statement)
    return new_id


def _insert(model: type[Model]) -> Any:
    """The dialect's own `insert()` of the model's table, once the session's pending writes
    are flushed (the new rows may refer to them)."""
    session = db.session()
    session.flush()
    return _INSERTS[session.get_bind().dialect.name](model.__table__)
