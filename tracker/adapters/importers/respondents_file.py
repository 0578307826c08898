"""A list of respondents in a file: CSV (pasted or uploaded) or an Excel `.xlsx` workbook.

Pure reading: the header `name,email,role,team,level,source,perspective` (in any order;
only `name` is required), then one respondent per row. A CSV may start with a byte order
mark and use `;` or `,` as its separator (the header line decides); a workbook is read from
its first sheet, in read-only mode. Rows are numbered as a spreadsheet does (the header is
row 1), so an error can name its cell (`row 3, email`). Reading stops past `max_rows` rows
(TooLarge). The service checks the values and writes them.

Every message, and the name of a cell (`cell_key`: `row 3, email`, `ligne 3, email`), is in
the language of the request that reads the list (`tracker.web.i18n.select_locale`), English
outside a request; the keys of the list's errors are those names, since only pages show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from tracker.adapters.importers.ratings_csv import records, xlsx_records
from tracker.domain.errors import InvalidInput, TooLarge

COLUMNS: tuple[str, ...] = ("name", "email", "role", "team", "level", "source", "perspective")
REQUIRED: tuple[str, ...] = ("name",)
#: Most respondent rows one list may hold.
MAX_ROWS = 5000


@dataclass(frozen=True)
class FileRow:
    """One respondent row: its number in the file and its cells by column (stripped)."""

    number: int
    cells: dict[str, str]


def cell_key(row: int, column: str) -> str:
    """The error key of a cell, as the pages show it, in the request's language.

    >>> cell_key(3, "email")
    'row 3, email'
    """
    return _("row %(line)d, %(column)s", line=row, column=column)


def read_csv(text: str, *, max_rows: int = MAX_ROWS) -> list[FileRow]:
    """The respondent rows of a CSV text (read as the ratings import reads one: BOM, `;` or
    `,`), or InvalidInput naming the header's problems.

    >>> [r.cells["name"] for r in read_csv("\\ufeffname;source\\nAnn;survey\\n\\nBob;document")]
    ['Ann', 'Bob']
    """
    return read_rows(records(text), max_rows=max_rows)


def read_xlsx(data: bytes, *, max_rows: int = MAX_ROWS) -> list[FileRow]:
    """The respondent rows of the first sheet of an `.xlsx` workbook (streamed in read-only
    mode), or InvalidInput if it is not one."""
    return read_rows(xlsx_records(data), max_rows=max_rows)


def read_rows(records: Iterable[Sequence[str]], *, max_rows: int = MAX_ROWS) -> list[FileRow]:
    """Rows under a header: blank rows skipped, cells under their column, InvalidInput for a
    header without `name` or with an unknown or repeated column, TooLarge past `max_rows`.

    >>> read_rows([["Name", "team"], ["Ann", " Sales "]])[0]
    FileRow(number=2, cells={'name': 'Ann', 'team': 'Sales'})
    """
    iterator: Iterator[Sequence[str]] = iter(records)
    header = [cell.strip().lower() for cell in next(iterator, [])]
    while header and not header[-1]:
        header.pop()
    _check_header(header)
    rows: list[FileRow] = []
    for number, cells in enumerate(iterator, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= max_rows:
            raise TooLarge(_("The list has more than %(limit)s respondents (row %(line)d). "
                             "Split it and add the parts one after the other.",
                             limit=f"{max_rows:,}", line=number), limit=max_rows)
        rows.append(FileRow(number, {column: cell.strip() for column, cell
                                     in zip(header, cells, strict=False) if column}))
    return rows


def _check_header(header: Sequence[str]) -> None:
    """InvalidInput naming every problem of the header row at once."""
    errors: dict[str, list[str]] = {}
    for column in REQUIRED:
        if column not in header:
            errors[cell_key(1, column)] = [_("Missing column (the header is %(columns)s).",
                                             columns=",".join(COLUMNS))]
    seen: set[str] = set()
    for column in header:
        if column and column not in COLUMNS:
            errors[cell_key(1, column)] = [_("Unknown column; use %(columns)s.",
                                             columns=", ".join(COLUMNS))]
        elif column in seen:
            errors[cell_key(1, column)] = [_("Column given twice.")]
        seen.add(column)
    if errors:
        raise InvalidInput(_("The header row is not valid; nothing was added."), errors=errors)
