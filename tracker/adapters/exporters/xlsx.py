"""Excel workbooks (`.xlsx`, openpyxl) of the same tables as the CSV files: the same
columns and rows (`tracker.adapters.exporters.csv.table` takes them too), one sheet, the
header row bold and frozen, numbers as numbers, dates as dates (shown `2026-05-28`, as
openpyxl formats them), flags as booleans.

Text cells are spreadsheet-safe as in the CSV files: a text that would start a formula
(`=`, `+`, `-`, `@`, a tab, a carriage return) is prefixed with `'`, so a hostile title is
never stored as a formula; characters XML cannot hold (controls other than tab, line feed
and carriage return) are left out.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tracker.adapters.exporters.csv import spreadsheet_safe

#: The media type of an `.xlsx` file.
MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The widest a column gets (in characters), however long its texts.
MAX_WIDTH = 60


def workbook(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str,
             separator: str = ";") -> bytes:
    """The `.xlsx` bytes of `rows` (cells in the order of `columns`) under a bold, frozen
    header, on a sheet named `sheet`; lists in cells are joined by `separator`.

    >>> from openpyxl import load_workbook
    >>> data = workbook(("id", "title", "on"), [(1, "=1+2", date(2026, 5, 28))], sheet="Log")
    >>> [cell.value for cell in load_workbook(io.BytesIO(data)).active[2]]
    [1, "'=1+2", datetime.datetime(2026, 5, 28, 0, 0)]
    """
    book = Workbook()
    page = cast(Worksheet, book.active)
    page.title = sheet[:31]
    page.append([_text(column) for column in columns])
    for cell in page[1]:
        cell.font = Font(bold=True)
    page.freeze_panes = "A2"
    for row in rows:
        page.append([_value(value, separator) for value in row])
    for number, column in enumerate(columns, start=1):
        page.column_dimensions[get_column_letter(number)].width = min(MAX_WIDTH,
                                                                      len(column) + 4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(value: Any, separator: str) -> Any:
    """A cell's value as the workbook stores it: nothing for None, flags, finite numbers,
    dates and times (UTC, as Excel keeps no zone) as themselves, anything else as safe
    text (lists joined)."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return value
    if isinstance(value, list | tuple):
        return _text(separator.join(map(str, value)))
    return _text(str(value))


def _text(value: str) -> str:
    """A text cell: spreadsheet-safe, without the characters XML cannot hold."""
    return spreadsheet_safe(ILLEGAL_CHARACTERS_RE.sub("", value))

