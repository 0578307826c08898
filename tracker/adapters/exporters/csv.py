"""CSV files: a header row, then one row per record, in Python's default (Excel) dialect,
lines ended by CRLF. Every export words its cells the same way: nothing for a missing value,
`true`/`false` for a flag, a list's items joined by a separator.

Every cell is spreadsheet-safe: a text that a spreadsheet would read as a formula (one
starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`, so a
hostile title such as `=HYPERLINK(...)` opens as the text it is (OWASP "CSV injection").
Numbers stay numbers: `-0.5` written from a float is a value, not a formula; the same
characters in a text are prefixed.

Every file starts with a UTF-8 byte order mark, so a spreadsheet reads its accents right
("Phase 1 — Quick wins"), and follows the organization's language (DESIGN section 9): a
French organization's files separate cells with `;` and write decimal commas (`2,5`), as
French Excel expects; `?sep=,` or `?sep=;` chooses the separator (`CsvStyle.of`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tracker.domain.errors import InvalidInput

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: The byte order mark every file starts with (UTF-8: EF BB BF once encoded).
BOM = "\ufeff"
#: The separators `?sep=` may choose.
SEPARATORS: tuple[str, ...] = (",", ";")
#: The languages whose spreadsheets expect `;` between cells and a decimal comma.
DECIMAL_COMMA_LOCALES: tuple[str, ...] = ("fr",)


@dataclass(frozen=True)
class CsvStyle:
    """How a file writes its cells: the separator between them and the decimal mark."""

    delimiter: str = ","
    decimal: str = "."

    @classmethod
    def of(cls, locale: str | None, sep: str | None = None) -> CsvStyle:
        """The style of an organization's files: `;` and a decimal comma in French, `,` and
        a point otherwise; `sep` (`,` or `;`, InvalidInput for another) chooses the
        separator, and a comma separator keeps the decimal point (a number written `2,5`
        between commas would read as two cells, or as text once quoted)."""
        french = (locale or "").split("_")[0].split("-")[0] in DECIMAL_COMMA_LOCALES
        if sep is not None and sep not in SEPARATORS:
            raise InvalidInput("sep must be `,` or `;`.", errors={"sep": [
                f"Use `,` or `;` (got {sep!r})."]})
        delimiter = sep or (";" if french else ",")
        return cls(delimiter, "," if french and delimiter == ";" else ".")


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
          separator: str = ";", style: CsvStyle = CsvStyle()) -> str:
    """The CSV text of `rows` (cells in the order of `columns`) under a header of `columns`,
    after a byte order mark, in `style`; lists in cells are joined by `separator`; every
    text cell is spreadsheet-safe.

    >>> table(("id", "done", "tags", "note"), [(1, True, ["a", "b"], None)])
    '\\ufeffid,done,tags,note\\r\\n1,true,a;b,\\r\\n'
    >>> table(("title", "score"), [("=1+2", -0.5)])
    "\\ufefftitle,score\\r\\n'=1+2,-0.5\\r\\n"
    >>> table(("title", "score"), [("Phase 1 — Quick wins", 2.5)], style=CsvStyle(";", ","))
    '\\ufefftitle;score\\r\\nPhase 1 — Quick wins;2,5\\r\\n'
    """
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=style.delimiter)
    writer.writerow([spreadsheet_safe(column) for column in columns])
    writer.writerows([_cell(value, separator, style.decimal) for value in row]
                     for row in rows)
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


def _cell(value: Any, separator: str, decimal: str = ".") -> Any:
    """A value as the CSV writer should see it: nothing for None, flags in lower case,
    finite numbers as they are (`str`, with `decimal` for the point of a float), anything
    else as safe text (lists joined)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and math.isfinite(value):
        return str(value).replace(".", decimal)
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple):
        return spreadsheet_safe(separator.join(map(str, value)))
    return spreadsheet_safe(str(value))
