"""Ratings in a CSV file: one row per respondent, one column per dimension code.

Pure parsing and checking of the cells; the service writes what this module accepts.
Errors name every bad cell as `row N.COLUMN`, N counted as a spreadsheet does (the header is
row 1, the first respondent row 2), and COLUMN the header of the cell (`row 3.products.vision`).
Problems of the header itself are on row 1 (`row 1.role`: a missing required column).
Files from spreadsheets are welcome as they come: `;` as the separator (sniffed from the header
line), a UTF-8 byte order mark, decimal commas (`3,5`), or the same layout as the first sheet of
an `.xlsx` workbook (`xlsx_records`). A file that is not UTF-8 is read as Windows-1252, the
encoding of French Excel's "CSV (séparateur: point-virgule)" (`decode_text` says so, for the
preview to tell).

Every message is translatable (`gettext`, named placeholders such as `line`, `column`,
`value`): it is rendered in the language of the request that reads the file (see
`tracker.web.i18n.select_locale`), English outside a request. The error keys stay as they
are (`row 3.products.vision`), since API clients read them; `cell_label` gives a page the
same place in its reader's language.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook

from tracker.domain.errors import InvalidInput, TooLarge

REQUIRED_COLUMNS: tuple[str, ...] = ("name", "role", "team", "level", "source")
OPTIONAL_COLUMNS: tuple[str, ...] = ("email",)
CANNOT_SAY: frozenset[str] = frozenset({"?", "n/a"})
#: Most respondent rows of one file (TRACKER_RATINGS_IMPORT_MAX_ROWS overrides it).
MAX_ROWS = 5000
ROWS_SETTING = "TRACKER_RATINGS_IMPORT_MAX_ROWS"
MAX_LENGTHS: dict[str, int] = {"name": 200, "role": 100, "team": 100, "level": 100,
                               "source": 20, "email": 254}
#: A number written with a decimal comma, as French and German spreadsheets export it.
DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


@dataclass(frozen=True)
class CsvRespondent:
    """One accepted row: a respondent's attributes and ratings (None: "cannot say")."""

    row: int
    name: str
    role: str | None
    team: str | None
    level: str | None
    source: str
    email: str | None = None
    ratings: dict[str, float | None] = field(default_factory=dict)


def cell_key(row: int, column: str) -> str:
    """The error key of a cell.

    >>> cell_key(3, "products.vision")
    'row 3.products.vision'
    """
    return f"row {row}.{column}"


_CELL_KEY = re.compile(r"^row (\d+)(?:\.(.+))?$")


def cell_label(key: str) -> str:
    """An error key (`cell_key`, or `row N` for a whole row) as a person reads it, in the
    request's language (`row 3.products.vision`, `ligne 3, colonne products.vision`); any
    other key (`file`) as it is.

    >>> cell_label("row 3.products.vision"), cell_label("row 4"), cell_label("file")
    ('row 3.products.vision', 'row 4', 'file')
    """
    found = _CELL_KEY.match(key)
    if found is None:
        return key
    line, column = int(found.group(1)), found.group(2)
    if column is None:
        return _("row %(line)d", line=line)
    return _("row %(line)d.%(column)s", line=line, column=column)


def parse_cell(text: str, low: float, high: float) -> tuple[bool, float | None]:
    """A rating cell: `(False, None)` if empty, `(True, None)` for "cannot say", else the value.

    Raises ValueError with a readable reason for anything else.

    >>> parse_cell(" 4 ", 1, 5), parse_cell("n/a", 1, 5), parse_cell("", 1, 5)
    ((True, 4.0), (True, None), (False, None))
    >>> parse_cell("3,5", 1, 5)
    (True, 3.5)
    """
    text = text.strip()
    if not text:
        return False, None
    if text.lower() in CANNOT_SAY:
        return True, None
    if DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(_("'%(value)s' is not a number (use ? or n/a for cannot say)",
                           value=text)) from None
    if value != value or not low <= value <= high:
        raise ValueError(_("%(value)s is outside the scale %(low)s–%(high)s",
                           value=f"{value:g}", low=f"{low:g}", high=f"{high:g}"))
    return True, value


def parse_ratings_csv(text: str, dimension_codes: Collection[str], scale: tuple[float, float],
                      sources: Collection[str], existing_names: Collection[str] = (), *,
                      max_rows: int = MAX_ROWS) -> list[CsvRespondent]:
    """Every respondent row of the CSV text, or InvalidInput naming every bad cell (see
    `parse_ratings_records`)."""
    return parse_ratings_records(records(text), dimension_codes, scale,
                                 sources, existing_names, max_rows=max_rows)


def parse_ratings_records(lines: Iterable[list[str]], dimension_codes: Collection[str],
                          scale: tuple[float, float], sources: Collection[str],
                          existing_names: Collection[str] = (), *,
                          max_rows: int = MAX_ROWS) -> list[CsvRespondent]:
    """Every respondent row of a file's records (header first), or InvalidInput naming every
    bad cell.

    `existing_names` are the respondents a row may not name (those already in the
    assessment, when the import only creates respondents): a row with one of these names is
    a duplicate, as is a name given twice in the file (names compare without case).
    Reading stops at the first respondent row beyond `max_rows` (TooLarge, 413): one import
    is one transaction, which every other writer of an SQLite database waits for.
    """
    reader = iter(lines)
    header = [column.strip() for column in next(reader, [])]
    errors: dict[str, list[str]] = {}
    _check_header(header, dimension_codes, errors)
    if errors:
        raise InvalidInput(_("The CSV header is not valid; nothing was saved."), errors=errors)
    taken = {name.casefold(): _("the assessment") for name in existing_names}
    respondents = []
    count = 0
    for row_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        check_row_count(count, row_number, max_rows)
        if len(cells) > len(header):
            errors.setdefault(f"row {row_number}", []).append(
                _("%(cells)d cells for %(columns)d columns.", cells=len(cells),
                  columns=len(header)))
        values = dict(zip(header, [*cells, *[""] * (len(header) - len(cells))], strict=False))
        respondent = _respondent(row_number, values, dimension_codes, scale, sources, errors)
        if respondent is not None:
            here = _("row %(line)d", line=row_number)
            where = taken.setdefault(respondent.name.casefold(), here)
            if where != here:
                errors[cell_key(row_number, "name")] = [
                    _("%(name)s is already a respondent in %(where)s.", name=respondent.name,
                      where=where)]
            respondents.append(respondent)
    if errors:
        raise InvalidInput(invalid_cells(len(errors)), errors=errors)
    return respondents


def invalid_cells(count: int) -> str:
    """The detail of a refused file: how many cells are wrong, nothing saved."""
    return _("%(count)d cell(s) of the CSV are not valid; nothing was saved.", count=count)


#: The encoding a file that is not UTF-8 is read in: what Excel writes in Western Europe.
FALLBACK_ENCODING = "cp1252"


@dataclass(frozen=True)
class DecodedText:
    """A file's text and the encoding it was read in (`utf-8` or `FALLBACK_ENCODING`)."""

    text: str
    encoding: str = "utf-8"


def decode_text(data: bytes) -> DecodedText:
    """The text of a CSV file: UTF-8 (a byte order mark dropped), else Windows-1252, which
    decodes any byte but five; InvalidInput naming the line and byte when neither reads it.

    >>> decode_text("\ufeffnom;équipe".encode("utf-8"))
    DecodedText(text='nom;équipe', encoding='utf-8')
    >>> decode_text("nom;équipe".encode("cp1252"))
    DecodedText(text='nom;équipe', encoding='cp1252')
    """
    try:
        return DecodedText(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        return DecodedText(data.decode(FALLBACK_ENCODING), FALLBACK_ENCODING)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InvalidInput(
            _("The CSV file is neither UTF-8 nor Windows-1252 text (line %(line)d, byte "
              "%(byte)d): save it as \"CSV UTF-8\".", line=line, byte=error.start),
            errors={"file": [_("Line %(line)d: byte %(byte)d is not UTF-8 text.", line=line,
                               byte=error.start)]},
        ) from error


def records(text: str) -> Iterator[list[str]]:
    """The file's records; one the csv module cannot read (a cell over its 128 KiB field
    limit) is an InvalidInput naming its row.

    >>> list(records("a,b\\n1,2\\n"))
    [['a', 'b'], ['1', '2']]
    >>> list(records("a;b\\n3,5;2\\n"))
    [['a', 'b'], ['3,5', '2']]
    """
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text))
    read = 0
    try:
        for cells in reader:
            read += 1
            yield cells
    except csv.Error as error:
        raise InvalidInput(_("Row %(line)d of the CSV cannot be read: %(reason)s.",
                             line=read + 1, reason=error),
                           errors={f"row {read + 1}": [f"{str(error).capitalize()}."]}) from None


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV file: `;` when its header line holds more semicolons than
    commas (spreadsheets in locales with decimal commas write those), else `,`.

    >>> sniff_delimiter("name;role;x.one\\nAnn;eng;3,5"), sniff_delimiter("name,role\\n")
    (';', ',')
    """
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


#: The first bytes of a zip archive, which an `.xlsx` workbook is.
ZIP_MAGIC = b"PK\x03\x04"


def is_workbook(data: bytes, filename: str = "") -> bool:
    """Whether an uploaded file is read as an `.xlsx` workbook: by its name, or by its
    content (a zip archive), since a browser or an API client may send it under any name.

    >>> is_workbook(b"PK\\x03\\x04...", "answers"), is_workbook(b"name,role", "a.XLSX")
    (True, True)
    >>> is_workbook(b"name,role", "answers.csv")
    False
    """
    return filename.lower().endswith(".xlsx") or data.startswith(ZIP_MAGIC)


def xlsx_records(data: bytes) -> Iterator[list[str]]:
    """The records of an `.xlsx` workbook's first sheet, as text cells (a number as Python
    writes it, an empty cell as ""); a file that is not a workbook is an InvalidInput on
    `file`. Read-only: rows stream from the file, never the whole sheet at once.
    """
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError or its own errors
        raise InvalidInput(_("The file is not an Excel workbook (.xlsx)."),
                           errors={"file": [_("Not an .xlsx workbook: %(reason)s.",
                                              reason=error)]}) from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV would hold.

    >>> _cell_text(None), _cell_text(4), _cell_text(3.5), _cell_text(4.0), _cell_text(" Ann ")
    ('', '4', '3.5', '4', ' Ann ')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_row_count(count: int, row: int, max_rows: int) -> None:
    """TooLarge once a file's `count`-th respondent row (line `row`) is beyond `max_rows`;
    the detail says how to split the file.

    >>> check_row_count(2, 3, 2)
    >>> check_row_count(3, 4, 2)
    Traceback (most recent call last):
    ...
    tracker.domain.errors.TooLarge: The CSV file has more than 2 respondent rows (row 4 is \
over the limit, TRACKER_RATINGS_IMPORT_MAX_ROWS). Split it into files of at most 2 rows, each \
with the header row, and import them one after the other.
    """
    if count > max_rows:
        raise TooLarge(_("The CSV file has more than %(limit)s respondent rows (row %(line)d "
                         "is over the limit, %(setting)s). %(hint)s", limit=f"{max_rows:,}",
                         line=row, setting=ROWS_SETTING, hint=split_hint(max_rows)),
                       limit=max_rows)


def split_hint(max_rows: int) -> str:
    """What to do with a file over a limit.

    >>> split_hint(5000)
    'Split it into files of at most 5,000 rows, each with the header row, and import them \
one after the other.'
    """
    return _("Split it into files of at most %(limit)s rows, each with the header row, and "
             "import them one after the other.", limit=f"{max_rows:,}")


def _check_header(header: list[str], dimension_codes: Collection[str],
                  errors: dict[str, list[str]]) -> None:
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | set(dimension_codes)
    for column in REQUIRED_COLUMNS:
        if column not in header:
            errors[cell_key(1, column)] = [_("Missing required column.")]
    seen: set[str] = set()
    for column in header:
        if column not in known:
            errors[cell_key(1, column)] = [_("Unknown column: neither a respondent attribute "
                                             "nor a dimension code of this framework.")]
        elif column in seen:
            errors[cell_key(1, column)] = [_("Column given twice.")]
        seen.add(column)


def _respondent(row: int, values: Mapping[str, str], dimension_codes: Collection[str],
                scale: tuple[float, float], sources: Collection[str],
                errors: dict[str, list[str]]) -> CsvRespondent | None:
    attributes = {column: values.get(column, "").strip() or None
                  for column in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)}
    for column, value in attributes.items():
        if value is not None and len(value) > MAX_LENGTHS[column]:
            errors[cell_key(row, column)] = [_("Longer than %(limit)d characters.",
                                               limit=MAX_LENGTHS[column])]
    if attributes["name"] is None:
        errors[cell_key(row, "name")] = [_("A respondent needs a name.")]
    source = attributes["source"] or "survey"
    if source not in sources:
        errors[cell_key(row, "source")] = [_("'%(value)s' is not one of %(choices)s.",
                                             value=source, choices=", ".join(sources))]
    ratings: dict[str, float | None] = {}
    for code in dimension_codes:
        if code not in values:
            continue
        try:
            given, rating = parse_cell(values[code], *scale)
        except ValueError as error:
            errors[cell_key(row, code)] = [str(error)]
            continue
        if given:
            ratings[code] = rating
    if attributes["name"] is None:
        return None
    return CsvRespondent(row=row, name=attributes["name"], role=attributes["role"],
                         team=attributes["team"], level=attributes["level"], source=source,
                         email=attributes["email"], ratings=ratings)
