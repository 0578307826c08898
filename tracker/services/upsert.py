"""Insert-or-update and insert-unless-present in one statement (`INSERT … ON CONFLICT`), on
PostgreSQL and SQLite alike, and bulk writes in chunks (`write_many`, `insert_returning`).

Reading first and then inserting what was missing leaves a window: two requests writing the
same new row at the same instant both find nothing, both insert, and the second one breaks the
unique constraint (a 500). An upsert lets the database decide: the second writer waits for the
first one's row, then updates it (or, told to leave it, answers that it existed).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Column, Table, TypeDecorator
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import sqltypes
from sqlalchemy.sql.schema import ColumnDefault

from tracker.extensions import db
from tracker.models.base import Model
from tracker.services import derived

#: Most rows one statement of a bulk write sends (bounded memory, and waits of other writers
#: in seconds, not minutes).
CHUNK = 1000

#: The dialects' own `insert()`, the ones that know `on_conflict_do_update`.
_INSERTS: Mapping[str, Callable[..., Any]] = {"postgresql": postgresql.insert,
                                               "sqlite": sqlite.insert}


def upsert(model: type[Model], rows: Sequence[Mapping[str, Any]], key: Sequence[str],
           org_id: int | None = None) -> None:
    """Insert each row, or, where a row with the same `key` columns (a unique constraint or
    index) exists, set its other columns to the row's values; all rows name the same columns.
    One statement per `CHUNK` rows (`write_many`); the organization's data version moves
    (`org_id`, else the rows' `org_id`).

    The statement bypasses the session's unit of work, so instances of `model` it holds are
    expired: they reload what the database now holds when next read.
    """
    if not rows:
        return
    write_many(model.__table__, rows, key=key)
    _bump(org_id if org_id is not None else rows[0].get("org_id"))
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
    if new_id is not None:
        _bump(values.get("org_id"))
    return new_id


def write_many(table: Table | Any, rows: Iterable[Mapping[str, Any]], *,
               key: Sequence[str] | None = None, update: bool = True,
               chunk: int = CHUNK) -> int:
    """Insert `rows` (all naming the same columns) into `table`, one driver `executemany` per
    `chunk` rows in the current transaction: with `key` (a unique constraint), a row whose
    key exists updates the other columns (`update`) or is left out. How many rows were sent.

    The statement is compiled once, the columns' Python defaults (`created_at`, …) are
    computed once per call and the columns' bind processing (UTC datetimes, JSON) is applied
    per value: what Core `executemany` does, without its per-row bookkeeping. The caller
    moves the organization's data version (`bump_version`) once."""
    session = db.session()
    session.flush()
    connection = session.connection()
    dialect = connection.dialect
    sent = 0
    for part in chunks(rows, chunk):
        part = uniform(table, part)
        columns = tuple(part[0])
        sql, order, extra, processors = _compiled(table, columns, tuple(key or ()), update,
                                                  dialect)
        defaults = {name: _process(processors.get(name), default())
                    for name, default in extra}
        given = [(name, processors.get(name)) for name in columns]
        if order is not None:
            params: list[Any] = [tuple(
                defaults[name] if name in defaults else _process(processors.get(name),
                                                                 row[name])
                for name in order) for row in part]
        else:
            params = [{**{name: _process(processor, row[name]) for name, processor in given},
                       **defaults} for row in part]
        connection.exec_driver_sql(sql, params)
        sent += len(part)
    return sent


def _process(processor: Callable[[Any], Any] | None, value: Any) -> Any:
    """A value as the driver takes it (the column type's bind processing)."""
    return processor(value) if processor is not None and value is not None else value


_COMPILED: dict[Hashable, Any] = {}


def _compiled(table: Table, columns: tuple[str, ...], key: tuple[str, ...], update: bool,
              dialect: Dialect) -> tuple[str, tuple[str, ...] | None,
                                         list[tuple[str, Callable[[], Any]]],
                                         dict[str, Callable[[Any], Any]]]:
    """The driver SQL of the insert (positional order of its parameters, or None for named
    ones), the Python defaults of the columns not given, and the bind processors by column."""
    cache_key = (table.fullname, columns, key, update, dialect.name, dialect.paramstyle)
    if cache_key in _COMPILED:
        return _COMPILED[cache_key]
    extra = [(column.key, default) for column in table.columns
             if column.key not in columns and (default := _python_default(column)) is not None]
    names = (*columns, *(name for name, _ in extra))
    statement = _INSERTS[dialect.name](table)
    if key:
        statement = statement.on_conflict_do_update(
            index_elements=list(key),
            set_={name: statement.excluded[name] for name in columns if name not in key},
        ) if update else statement.on_conflict_do_nothing(index_elements=list(key))
    compiled = statement.compile(dialect=dialect, column_keys=list(names))
    processors: dict[str, Callable[[Any], Any]] = {}
    for name in names:
        processor = table.columns[name].type._cached_bind_processor(dialect)
        if processor is not None:
            processors[name] = processor
    order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup \
        else None
    found = (compiled.string, order, extra, processors)
    _COMPILED[cache_key] = found
    return found


def insert_returning(table: Table | Any, rows: Iterable[Mapping[str, Any]],
                     returning: Sequence[str], *, key: Sequence[str] | None = None,
                     chunk: int = CHUNK, ordered: bool = False) -> Iterator[Any]:
    """Insert `rows` a `chunk` at a time, each chunk one multi-row `INSERT … RETURNING`
    (SQLAlchemy's insertmanyvalues, on PostgreSQL and SQLite alike): the `returning` columns
    of each inserted row, in no promised order (return a key of the row to map them); with
    `key`, a row whose key exists is left out (`ON CONFLICT DO NOTHING`) and returns nothing.
    `ordered` (PostgreSQL): the rows are inserted in their order, so that the serial ids a
    chunk returns, sorted, are its rows' in order.
    """
    session = db.session()
    session.flush()
    dialect = session.get_bind().dialect
    statement = _INSERTS[dialect.name](table)
    if key:
        statement = statement.on_conflict_do_nothing(index_elements=list(key))
    statement = statement.returning(*(table.c[name] for name in returning),
                                    sort_by_parameter_order=ordered)
    for part in chunks(rows, chunk):
        part = uniform(table, part)
        if dialect.name == "postgresql" and all(
                isinstance(_plain_type(table.c[name]), _ARRAY_TYPES) for name in part[0]):
            yield from _unnest_returning(session.connection(), table, part, returning, key,
                                         ordered)
        else:
            yield from session.execute(statement, part)


#: Column types PostgreSQL takes as a whole array of values in one parameter.
_ARRAY_TYPES = (sqltypes.Integer, sqltypes.String, sqltypes.Float, sqltypes.Numeric,
                sqltypes.Boolean, sqltypes.DateTime, sqltypes.Date)


def _plain_type(column: Column[Any]) -> Any:
    """The column's type, as the database sees it (a decorated type's underlying one)."""
    kind = column.type
    return kind.impl_instance if isinstance(kind, TypeDecorator) else kind


def _unnest_returning(connection: Any, table: Table, part: list[Mapping[str, Any]],
                      returning: Sequence[str], key: Sequence[str] | None,
                      ordered: bool = False) -> list[Any]:
    """One chunk as `INSERT … SELECT FROM unnest(…) RETURNING` on PostgreSQL: each column's
    values go as one array parameter, so the driver handles a few parameters, not one per
    cell (a multi-row `VALUES` of thousands of placeholders costs more to prepare than the
    database spends writing the rows). Defaults and bind processing as `write_many`'s."""
    dialect = connection.dialect
    columns = tuple(part[0])
    extra = [(column.key, default) for column in table.columns
             if column.key not in columns and (default := _python_default(column)) is not None]
    names = (*columns, *(name for name, _ in extra))
    defaults = {name: default() for name, default in extra}
    arrays = []
    for name in names:
        processor = table.c[name].type._cached_bind_processor(dialect)
        values = ([defaults[name]] * len(part) if name in defaults
                  else [row[name] for row in part])
        arrays.append([_process(processor, value) for value in values])
    quote = dialect.identifier_preparer.quote
    casts = ", ".join(f"%s::{_plain_type(table.c[name]).compile(dialect=dialect)}[]"
                      for name in names)
    conflict = (f" ON CONFLICT ({', '.join(quote(name) for name in key)}) DO NOTHING"
                if key else "")
    aliases = ", ".join(f"c{n}" for n in range(len(names)))
    order = " WITH ORDINALITY AS u(" + aliases + ", n) ORDER BY n" if ordered else \
        " AS u(" + aliases + ")"
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
           f"({', '.join(quote(name) for name in names)}) SELECT {aliases} "
           f"FROM unnest({casts}){order}"
           f"{conflict} RETURNING {', '.join(quote(name) for name in returning)}")
    return list(connection.exec_driver_sql(sql, tuple(arrays)))


def _python_default(column: Column[Any]) -> Callable[[], Any] | None:
    """What gives the column's Python-side default (a value, or a function called with no
    argument), or None when it has none."""
    default = column.default
    if not isinstance(default, ColumnDefault):
        return None
    if default.is_callable:
        function = default.arg
        return lambda: function(None)
    if default.is_scalar:
        value = default.arg
        return lambda: value
    return None


def uniform(table: Table, rows: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The rows naming the same columns, as one multi-row statement needs: a column some
    rows leave out takes its default there (its scalar or callable Python default, else
    null), as it would in a statement of its own."""
    names = dict.fromkeys(name for row in rows for name in row)
    if all(len(row) == len(names) for row in rows):
        return rows
    filled = {name: default() if (default := _python_default(table.columns[name])) else None
              for name in names}
    return [row if len(row) == len(names) else {**filled, **row} for row in rows]


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """`items` in lists of at most `size`, in order.

    >>> list(chunks(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    iterator = iter(items)
    while part := list(islice(iterator, size)):
        yield part


def _bump(org_id: int | None) -> None:
    """Move the organization's data version after a Core write of its rows: once per
    transaction (a bulk write of many chunks moves it once), unless something was derived
    from the moved version since (then again, so that it is not reused)."""
    if org_id is None:
        return
    derived.bump_once(db.session(), int(org_id))


def _insert(model: type[Model]) -> Any:
    """The dialect's own `insert()` of the model's table, once the session's pending writes
    are flushed (the new rows may refer to them)."""
    session = db.session()
    session.flush()
    return _INSERTS[session.get_bind().dialect.name](model.__table__)
