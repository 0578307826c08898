"""CSV files: a header row, then one row per record, in Python's default (Excel) dialect,
lines ended by CRLF. Every export words its cells the same way: nothing for a missing value,
`true`/`false` for a flag, a list's items joined by a separator.

Every cell is spreadsheet-safe: a text that a spreadsheet would read as a formula (one
starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`, so a
hostile title such as `=HYPERLINK(...)` opens as the text it is (OWASP "CSV injection").
Numbers stay numbers: `-0.5` written from a float is a value, not a formula; the same
characters in a text are prefixed.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
          separator: str = ";") -> str:
    """The CSV text of `rows` (cells in the order of `columns`) under a header of `columns`;
    lists in cells are joined by `separator`; every text cell is spreadsheet-safe.

    >>> table(("id", "done", "tags", "note"), [(1, True, ["a", "b"], None)])
    'id,done,tags,note\\r\\n1,true,a;b,\\r\\n'
    >>> table(("title", "score"), [("=1+2", -0.5)])
    "title,score\\r\\n'=1+2,-0.5\\r\\n"
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_safe(column) for column in columns])
    writer.writerows([_cell(value, separator) for value in row] for row in rows)
    return out.getvalue()


def spreadsheet_safe(text: str) -> str:
    """`text` as a spreadsheet shows it without evaluating it: prefixed with `'` when it
    starts like a formula.

    >>> spreadsheet_safe('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> spreadsheet_safe("-2+3"), spreadsheet_safe("Plain - title")
    ("'-2+3", 'Plain - title')
    """
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def _cell(value: Any, separator: str) -> Any:
    """A value as the CSV writer should see it: nothing for None, flags in lower case,
    finite numbers as they are (the writer applies `str`), anything else as safe text
    (lists joined)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float) and math.isfinite(value):
        return value
    if isinstance(value, list | tuple):
        return spreadsheet_safe(separator.join(map(str, value)))
    return spreadsheet_safe(str(value))
