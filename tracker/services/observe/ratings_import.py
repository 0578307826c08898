"""Import of ratings: respondents and their ratings from one file, all or nothing; a CSV
file, or the same columns in an `.xlsx` workbook's first sheet (`upload_records`).

The file format and its cell checks live in `tracker.adapters.importers.ratings_csv`; an
optional `perspective` column (`client` or `consultant`, for a cross self-assessment) is read
here, by its header, unless a dimension of the grid has that code. The ratings go through
`ratings.write_ratings`, the same check and upsert as the bulk API. A file
is bounded (`TRACKER_RATINGS_IMPORT_MAX_ROWS` respondent rows, `_MAX_BYTES` bytes: 413 beyond,
before it is parsed whole), and written in statements of at most `CHUNK` rows inside its one
transaction, so that other writers wait seconds, not minutes.

Messages are in the request's language (`tracker.web.i18n.select_locale`: on the API the
Accept-Language header, else the user's language; on pages the user's): the cell errors of
the API keep their keys (`row 3.a.one`), the page's preview names each cell in its reader's
language (`cell_label`). A CSV file that is not UTF-8 is read as Windows-1252, and
`encoding_warnings` says so (the API's `warnings`, the page's preview).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TypeVar

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from tracker.adapters.exporters import csv as exported_csv
from tracker.adapters.importers.documents import check_size
from tracker.adapters.importers.ratings_csv import (
    FALLBACK_ENCODING,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    CsvRespondent,
    cell_key,
    cell_label,
    decode_text,
    invalid_cells,
    is_workbook,
    parse_ratings_records,
    records,
    split_hint,
    xlsx_records,
)
from tracker.domain.errors import InvalidInput, NotFound
from tracker.extensions import db
from tracker.models import Assessment, Framework, Organization, Respondent
from tracker.models.assessments import PERSPECTIVES, SOURCES
from tracker.services.frame import frameworks
from tracker.services.observe import assessments
from tracker.services.observe.assessments import new_survey_token
from tracker.services.observe.ratings import write_ratings
from tracker.services.unit_of_work import transaction
from tracker.services.upsert import insert_returning

Progress = Callable[[Sequence[CsvRespondent]], Iterable[CsvRespondent]]
T = TypeVar("T")
#: Most rows one INSERT (respondents) or upsert (ratings) of an import writes.
CHUNK = 1000
MAX_BYTES_SETTING = "TRACKER_RATINGS_IMPORT_MAX_BYTES"
#: The header of the optional perspective column.
PERSPECTIVE = "perspective"


@dataclass(frozen=True)
class CsvImportResult:
    """What an import created: respondents (ids in file order) and ratings, and what the
    caller should know about the file (`encoding_warnings`)."""

    respondent_ids: list[int]
    ratings: int
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RatingsPreview:
    """What importing a file would do, before anything is written: its respondent rows, how
    many respondents it creates and how many existing ones it rates, its ratings (a "cannot
    say" included) and every bad cell, keyed `row N.COLUMN` (empty: the file can be saved)."""

    rows: int
    new: int
    updated: int
    ratings: int
    errors: dict[str, list[str]]


@dataclass
class Perspectives:
    """The perspective column taken out of a file's records as they are read: each row's
    value by row number (rows without one are left out) and the bad cells."""

    by_row: dict[int, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


def without_perspective(rows: Iterable[list[str]], dimension_codes: Collection[str],
                        found: Perspectives) -> Iterator[list[str]]:
    """The records without their `perspective` column (unless it is a dimension code),
    noting each row's perspective in `found`; rows keep their numbers (header: row 1).

    >>> found = Perspectives()
    >>> list(without_perspective([["name", "perspective"], ["Ann", "client"], ["Bo", "x"]],
    ...                          ["a.one"], found))
    [['name'], ['Ann'], ['Bo']]
    >>> found.by_row, list(found.errors)
    ({2: 'client', 3: 'x'}, ['row 3.perspective'])
    """
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        return
    names = [column.strip() for column in header]
    if PERSPECTIVE not in names or PERSPECTIVE in dimension_codes:
        yield header
        yield from iterator
        return
    at = names.index(PERSPECTIVE)
    yield header[:at] + header[at + 1:]
    for number, cells in enumerate(iterator, start=2):
        value = cells[at].strip() if at < len(cells) else ""
        if value:
            found.by_row[number] = value
            if value not in PERSPECTIVES:
                found.errors[cell_key(number, PERSPECTIVE)] = [
                    _("'%(value)s' is not one of %(choices)s.", value=value,
                      choices=", ".join(PERSPECTIVES))]
        yield cells[:at] + cells[at + 1:]


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV file (UTF-8, with or without a byte order mark, else
    Windows-1252: `decode_text`), with no NUL character, which no text column can hold."""
    text = decode_text(data).text
    offset = text.find("\x00")
    if offset >= 0:
        raise InvalidInput(_("The CSV file holds a NUL character."),
                           errors={"file": [_("NUL character at offset %(offset)d.",
                                              offset=offset)]})
    return text


def encoding_warnings(data: bytes) -> list[str]:
    """What an import tells about a CSV file it read: that it was not UTF-8 and was read as
    Windows-1252 (French Excel's "CSV (semicolon-separated)"), so accents may be wrong;
    nothing for a UTF-8 file or a workbook."""
    if is_workbook(data) or decode_text(data).encoding != FALLBACK_ENCODING:
        return []
    return [_("The file is not UTF-8: it was read as Windows-1252, the encoding of French "
              "Excel's \u201cCSV (semicolon-separated)\u201d. Check the accents in the "
              "preview; saving the file as \u201cCSV UTF-8\u201d avoids this.")]


def max_rows() -> int:
    """The most respondent rows one file may hold (`TRACKER_RATINGS_IMPORT_MAX_ROWS`)."""
    return int(current_app.config.get("TRACKER_RATINGS_IMPORT_MAX_ROWS", MAX_ROWS))


def split_advice() -> str:
    """How to import a file over a limit."""
    return split_hint(max_rows())


def import_ratings_csv(org: Organization, assessment_id: int, text: str,
                       progress: Progress = iter) -> CsvImportResult:
    """Create the file's respondents and their ratings in one transaction.

    Every cell is checked before anything is written; a rejected file raises InvalidInput
    whose errors name each bad cell (`row 3.products.vision`), a file over `max_rows()`
    raises TooLarge. Respondents are inserted `CHUNK` at a time, their ratings written
    `CHUNK` at a time. `progress` wraps the iteration over respondents (the CLI passes a
    progress bar).
    """
    return import_ratings_records(org, assessment_id, records(text), progress)


def import_ratings_upload(org: Organization, assessment_id: int, data: bytes,
                          filename: str = "") -> CsvImportResult:
    """`import_ratings_records` of an uploaded file's bytes: an `.xlsx` workbook's first
    sheet (by `filename` or content, `upload_records`), else CSV text (UTF-8, else
    Windows-1252, which the result's warnings then tell)."""
    result = import_ratings_records(org, assessment_id, upload_records(data, filename))
    return replace(result, warnings=encoding_warnings(data))


def import_ratings_records(org: Organization, assessment_id: int, rows: Iterable[list[str]],
                           progress: Progress = iter, *,
                           update_existing: bool = False) -> CsvImportResult:
    """Write a file's records (header first) in one transaction, all or nothing.

    Without `update_existing` (the API, the CLI) a row naming a respondent already in the
    assessment is refused; with it (the upload page, where a campaign's respondents exist
    before their ratings are typed up) such a row adds or replaces that respondent's ratings
    and keeps their attributes. `respondent_ids` lists the created respondents only.
    """
    assessment, framework, parsed, existing, perspectives = _parsed(org, assessment_id, rows,
                                                                    update_existing)
    respondent_ids: list[int] = []
    created = 0
    with transaction():
        fresh = [row for row in parsed if row.name.casefold() not in existing]
        for chunk in _chunks(progress(fresh), CHUNK):
            ids = _insert_respondents(assessment, chunk, perspectives)
            respondent_ids += ids
            created += _write_chunk_ratings(assessment, framework, ids, chunk)
        for chunk in _chunks((row for row in parsed if row.name.casefold() in existing), CHUNK):
            ids = [existing[row.name.casefold()] for row in chunk]
            created += _write_chunk_ratings(assessment, framework, ids, chunk)
    return CsvImportResult(respondent_ids, created)


def preview_ratings_records(org: Organization, assessment_id: int,
                            rows: Iterable[list[str]]) -> RatingsPreview:
    """What `import_ratings_records(..., update_existing=True)` would do with the records,
    writing nothing; a file over `max_rows()` still raises TooLarge (413)."""
    try:
        _, _, parsed, existing, _ = _parsed(org, assessment_id, rows, True)
    except InvalidInput as invalid:
        errors = invalid.errors or {"file": [invalid.detail]}
        return RatingsPreview(0, 0, 0, 0, {cell_label(key): lines for key, lines in errors.items()})
    updated = sum(row.name.casefold() in existing for row in parsed)
    return RatingsPreview(len(parsed), len(parsed) - updated, updated,
                          sum(len(row.ratings) for row in parsed), {})


def _parsed(org: Organization, assessment_id: int, rows: Iterable[list[str]],
            update_existing: bool) -> tuple[Assessment, Framework, list[CsvRespondent],
                                            dict[str, int], dict[int, str]]:
    """The writable assessment, its framework, the checked rows, the respondents a row
    may rate (name without case → id; none unless `update_existing`) and the rows'
    perspectives by row number; InvalidInput names every bad cell, perspectives included."""
    assessment = assessments.get_assessment(org, assessment_id)
    assessments.ensure_writable(assessment)
    framework = frameworks.load_framework(assessment.framework_id)
    names = dict(db.session.execute(select(Respondent.name, Respondent.id)
                                    .where(Respondent.assessment_id == assessment.id)).all())
    existing = {name.casefold(): id_ for name, id_ in names.items()} if update_existing else {}
    codes = list(frameworks.dimensions_by_code(framework))
    found = Perspectives()
    try:
        parsed = parse_ratings_records(without_perspective(rows, codes, found), codes,
                                       (framework.scale_min, framework.scale_max), SOURCES,
                                       () if update_existing else list(names),
                                       max_rows=max_rows())
    except InvalidInput as invalid:
        if not found.errors:
            raise
        _raise_cells({**(invalid.errors or {}), **found.errors})
    if found.errors:
        _raise_cells(found.errors)
    return assessment, framework, parsed, existing, found.by_row


def _raise_cells(errors: dict[str, list[str]]) -> None:
    """InvalidInput naming every bad cell of the file."""
    raise InvalidInput(invalid_cells(len(errors)), errors=errors)


def _write_chunk_ratings(assessment: Assessment, framework: Framework, ids: Sequence[int],
                         chunk: Sequence[CsvRespondent]) -> int:
    """Write the ratings of a chunk of rows (the respondents `ids`, in order); how many
    ratings are new."""
    ratings = [{"respondent_id": respondent_id, "dimension": code, "value": value}
               for respondent_id, row in zip(ids, chunk, strict=True)
               for code, value in row.ratings.items()]
    return sum(write_ratings(assessment, framework, set(ids), part).created
               for part in _chunks(ratings, CHUNK))


def upload_records(data: bytes, filename: str) -> Iterator[list[str]]:
    """The records of an uploaded ratings file within the byte limit: an `.xlsx` workbook's
    first sheet (by its name or its zip signature), else CSV text."""
    check_size(len(data), int(current_app.config[MAX_BYTES_SETTING]),
               setting=MAX_BYTES_SETTING, what="file", hint=split_advice())
    if is_workbook(data, filename):
        return xlsx_records(data)
    return records(decode_csv(data))


def _insert_respondents(assessment: Assessment, rows: Sequence[CsvRespondent],
                        perspectives: dict[int, str]) -> list[int]:
    """One multi-row INSERT … RETURNING of the rows' respondents (with their perspective, by
    row number): the ids in the rows' order (mapped by name, unique in the assessment), on
    every database, with no reading back."""
    org_id, assessment_id = assessment.org_id, assessment.id
    values = [{"org_id": org_id, "assessment_id": assessment_id, "name": row.name,
               "email": row.email, "role": row.role, "team": row.team, "level": row.level,
               "source": row.source, "perspective": perspectives.get(row.row),
               "survey_token": new_survey_token()} for row in rows]
    ids = dict((name, id_) for id_, name in insert_returning(
        Respondent.__table__, values, ("id", "name"), chunk=len(values)))
    return [ids[row.name] for row in rows]


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of at most `size`, in order.

    >>> list(_chunks(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def import_ratings_file(org_id: int, assessment_id: int, path: Path,
                        progress: Progress = iter) -> CsvImportResult:
    """The CLI's import: an organization by id (the instance acts), a CSV file on disk, with
    the API's limits."""
    org = db.session.get(Organization, org_id)
    if org is None:
        raise NotFound(_("Organization %(id)d not found.", id=org_id))
    try:
        check_size(path.stat().st_size, int(current_app.config[MAX_BYTES_SETTING]),
                   setting=MAX_BYTES_SETTING, what="CSV file", hint=split_advice())
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(_("Cannot read %(path)s: %(reason)s.", path=path,
                             reason=error.strerror),
                           errors={"file": [str(error)]}) from error
    return import_ratings_csv(org, assessment_id, decode_csv(data), progress)


def template_csv(org: Organization, assessment_id: int, sep: str | None = None) -> str:
    """A ratings file to fill in, in the organization's CSV style (`sep` chooses the
    separator): the header row of the respondents' attributes, then one column per
    dimension code of the assessment's framework."""
    assessment = assessments.get_assessment(org, assessment_id)
    framework = frameworks.load_framework(assessment.framework_id)
    return exported_csv.table([*REQUIRED_COLUMNS, *frameworks.dimensions_by_code(framework)],
                              [], style=exported_csv.CsvStyle.of(org.locale, sep))
