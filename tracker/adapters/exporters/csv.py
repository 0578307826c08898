"""CSV files: a header row, then one row per record, in Python's default (Excel) dialect,
lines ended by CRLF. Every export words its cells the same way: nothing for a missing value,
`true`/`false` for a flag, a list's items joined by a separator."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
          separator: str = ";") -> str:
    """The CSV text of `rows` (cells in the order of `columns`) under a header of `columns`;
    lists in cells are joined by `separator`.

    >>> table(("id", "done", "tags", "note"), [(1, True, ["a", "b"], None)])
    'id,done,tags,note\\r\\n1,true,a;b,\\r\\n'
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([_cell(value, separator) for value in row] for row in rows)
    return out.getvalue()


def _cell(value: Any, separator: str) -> Any:
    """A value as the CSV writer should see it: lists joined, flags in lower case and
    nothing for None; anything else as it is (the writer applies `str`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return separator.join(map(str, value))
    return value
