"""Insert-or-update and insert-unless-present in one statement (`INSERT … ON CONFLICT`), on
PostgreSQL and SQLite alike, and bulk writes in chunks (`write_many`, `insert_returning`).

Reading first and then inserting what was missing leaves a window: two requests writing the
same new row at the same instant both find nothing, both insert, and the second one breaks the
unique constraint (a 500). An upsert lets the database decide: the second writer waits for the
first one's row, then updates it (or, told to leave it, answers that it existed).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from operator import itemgetter
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
        sql, order, extra = _compiled(table, tuple(part[0]), tuple(key or ()), update, dialect)
        values = _column_values(table, part, extra, dialect)
        if order is not None:
            params: list[Any] = list(zip(*(values[name] for name in order), strict=True))
        else:
            params = [dict(zip(values, row, strict=True))
                      for row in zip(*values.values(), strict=True)]
        connection.exec_driver_sql(sql, params)
        sent += len(part)
    return sent


def _column_values(table: Table, part: list[Mapping[str, Any]],
                   extra: Sequence[tuple[str, Callable[[], Any]]],
                   dialect: Dialect) -> dict[str, list[Any]]:
    """The chunk's values as the driver takes them, column by column: the given columns
    (those of the first row), then the Python defaults of `extra` ones (computed once for
    the chunk), each through its column type's bind processing. Column by column, the
    work per cell is done by `map`, not by a Python loop: it costs less than the insert."""
    values: dict[str, list[Any]] = {}
    for name in part[0]:
        values[name] = _processed(table, name, list(map(itemgetter(name), part)), dialect)
    for name, default in extra:
        values[name] = _processed(table, name, [default()], dialect) * len(part)
    return values


def _processed(table: Table, name: str, values: list[Any], dialect: Dialect) -> list[Any]:
    """A column's values through its type's bind processing (a null stays null)."""
    processor = table.columns[name].type._cached_bind_processor(dialect)
    if processor is None:
        return values
    return [processor(value) if value is not None else None for value in values]


_COMPILED: dict[Hashable, Any] = {}


def _compiled(table: Table, columns: tuple[str, ...], key: tuple[str, ...], update: bool,
              dialect: Dialect) -> tuple[str, tuple[str, ...] | None,
                                         list[tuple[str, Callable[[], Any]]]]:
    """The driver SQL of the insert (positional order of its parameters, or None for named
    ones) and the Python defaults of the columns not given."""
    cache_key = (table.fullname, columns, key, update, dialect.name, dialect.paramstyle)
    if cache_key in _COMPILED:
        return _COMPILED[cache_key]
    extra = _defaulted(table, columns)
    names = (*columns, *(name for name, _ in extra))
    statement = _INSERTS[dialect.name](table)
    if key:
        statement = statement.on_conflict_do_update(
            index_elements=list(key),
            set_={name: statement.excluded[name] for name in columns if name not in key},
        ) if update else statement.on_conflict_do_nothing(index_elements=list(key))
    compiled = statement.compile(dialect=dialect, column_keys=list(names))
    order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup \
        else None
    found = (compiled.string, order, extra)
    _COMPILED[cache_key] = found
    return found


def _defaulted(table: Table, columns: Sequence[str]) -> list[tuple[str, Callable[[], Any]]]:
    """The columns not in `columns` that have a Python default, with what gives it."""
    return [(column.key, default) for column in table.columns
            if column.key not in columns and (default := _python_default(column)) is not None]


def insert_returning(table: Table | Any, rows: Iterable[Mapping[str, Any]],
                     returning: Sequence[str], *, key: Sequence[str] | None = None,
                     chunk: int = CHUNK, ordered: bool = False) -> Iterator[Any]:
    """Insert `rows` a `chunk` at a time, each chunk one statement that returns the
    `returning` columns of each inserted row, in no promised order (return a key of the row
    to map them); with `key`, a row whose key exists is left out (`ON CONFLICT DO NOTHING`)
    and returns nothing. `ordered` (PostgreSQL): the rows are inserted in their order, so
    that the serial ids a chunk returns, sorted, are its rows' in order.

    On PostgreSQL a chunk whose columns all have array types goes through `unnest`
    (`_unnest_returning`), on SQLite through one multi-row `INSERT … VALUES … RETURNING`
    sent to the driver as is (`_values_returning`); otherwise SQLAlchemy's insertmanyvalues
    writes it. Defaults and bind processing as `write_many`'s."""
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
        if dialect.name == "sqlite":
            yield from _values_returning(session.connection(), table, part, returning, key)
        elif dialect.name == "postgresql" and all(
                isinstance(_plain_type(table.c[name]), _ARRAY_TYPES) for name in part[0]):
            yield from _unnest_returning(session.connection(), table, part, returning, key,
                                         ordered)
        else:
            yield from session.execute(statement, part)


#: Column types PostgreSQL takes as a whole array of values in one parameter.
_ARRAY_TYPES = (sqltypes.Integer, sqltypes.String, sqltypes.Float, sqltypes.Numeric,
                sqltypes.Boolean, sqltypes.DateTime, sqltypes.Date)
#: Most parameters one SQLite statement takes (`SQLITE_MAX_VARIABLE_NUMBER` since 3.32).
SQLITE_MAX_PARAMETERS = 32766


def _plain_type(column: Column[Any]) -> Any:
    """The column's type, as the database sees it (a decorated type's underlying one)."""
    kind = column.type
    return kind.impl_instance if isinstance(kind, TypeDecorator) else kind


def _insert_head(connection: Any, table: Table, names: Sequence[str]) -> str:
    """`INSERT INTO table (columns)`, quoted for the connection's dialect."""
    preparer = connection.dialect.identifier_preparer
    return (f"INSERT INTO {preparer.format_table(table)} "
            f"({', '.join(preparer.quote(name) for name in names)})")


def _insert_tail(connection: Any, key: Sequence[str] | None, returning: Sequence[str]) -> str:
    """`ON CONFLICT (key) DO NOTHING` (with a key) and `RETURNING columns`, quoted."""
    quote = connection.dialect.identifier_preparer.quote
    conflict = (f" ON CONFLICT ({', '.join(quote(name) for name in key)}) DO NOTHING"
                if key else "")
    return f"{conflict} RETURNING {', '.join(quote(name) for name in returning)}"


def _values_returning(connection: Any, table: Table, part: list[Mapping[str, Any]],
                      returning: Sequence[str], key: Sequence[str] | None) -> list[Any]:
    """Rows as multi-row `INSERT … VALUES (…), (…) … RETURNING` on SQLite, sent to the
    driver as is (as few statements as `SQLITE_MAX_PARAMETERS` allows, one for a chunk of
    `CHUNK` rows of a dozen columns): what insertmanyvalues sends, without its per-row
    bookkeeping (parameters built row by row, a default called per row), which costs
    more than the insert itself. Only the rows inserted return (`RETURNING` of a row left
    out by `ON CONFLICT DO NOTHING` gives nothing), and SQLite gives the rows the next
    rowids in the order of the `VALUES`."""
    values = _column_values(table, part, _defaulted(table, tuple(part[0])), connection.dialect)
    width = len(values)
    flat: list[Any] = [None] * (width * len(part))
    for position, column in enumerate(values.values()):
        flat[position::width] = column  # the cells row after row, each row's in column order
    head = _insert_head(connection, table, tuple(values))
    tail = _insert_tail(connection, key, returning)
    group = "(" + ", ".join("?" * width) + ")"
    per_statement = max(1, SQLITE_MAX_PARAMETERS // width)
    found: list[Any] = []
    for start in range(0, len(part), per_statement):
        count = min(per_statement, len(part) - start)
        sql = f"{head} VALUES {', '.join([group] * count)}{tail}"
        found += connection.exec_driver_sql(
            sql, tuple(flat[start * width:(start + count) * width])).all()
    return found


def _unnest_returning(connection: Any, table: Table, part: list[Mapping[str, Any]],
                      returning: Sequence[str], key: Sequence[str] | None,
                      ordered: bool = False) -> list[Any]:
    """One chunk as `INSERT … SELECT FROM unnest(…) RETURNING` on PostgreSQL: each column's
    values go as one array parameter, so the driver handles a few parameters, not one per
    cell (a multi-row `VALUES` of thousands of placeholders costs more to prepare than the
    database spends writing the rows). Defaults and bind processing as `write_many`'s."""
    dialect = connection.dialect
    values = _column_values(table, part, _defaulted(table, tuple(part[0])), dialect)
    casts = ", ".join(f"%s::{_plain_type(table.c[name]).compile(dialect=dialect)}[]"
                      for name in values)
    aliases = ", ".join(f"c{n}" for n in range(len(values)))
    order = " WITH ORDINALITY AS u(" + aliases + ", n) ORDER BY n" if ordered else \
        " AS u(" + aliases + ")"
    sql = (f"{_insert_head(connection, table, tuple(values))} SELECT {aliases} "
           f"FROM unnest({casts}){order}{_insert_tail(connection, key, returning)}")
    return list(connection.exec_driver_sql(sql, tuple(values.values())))


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
    names = dict.fromkeys(chain.from_iterable(rows))
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
