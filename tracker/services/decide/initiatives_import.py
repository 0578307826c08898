"""Bulk import of initiatives and their dependencies by `ref`: all or nothing.

Everything is validated first (refs, method inputs, dimensions, findings, dependency refs
and cycles), then written with multi-row inserts (`upsert.CHUNK` rows per statement, ids by
`RETURNING`, no statement per row on any database) in one transaction, so 10,000 initiatives
and 30,000 dependencies go in within seconds. A file (CSV or `.xlsx`) can be previewed first
(`preview_backlog_file`: its headers, the columns suggested for our fields, its first rows),
which is how the backlog page offers its column-mapping step.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from tracker.adapters.importers.documents import check_size
from tracker.adapters.importers.initiatives_file import (
    FIELDS,
    PRESETS,
    matching_columns,
    preset_mapping,
    read_backlog,
    too_many_rows,
)
from tracker.adapters.importers.ratings_csv import is_workbook, records, xlsx_records
from tracker.adapters.importers.respondents_file import cell_key
from tracker.domain.errors import DependencyCycle, InvalidInput
from tracker.domain.graph import build_graph
from tracker.domain.prioritization import INPUT_FIELDS, MethodInputs, validate_inputs
from tracker.extensions import db
from tracker.models import AuditEvent, Dependency, Initiative, Organization, Uplift, User
from tracker.models.backlog import initiative_finding
from tracker.services.decide.initiatives import (
    PLAIN_FIELDS,
    jsonable,
    org_dimensions,
    owned_findings,
)
from tracker.services.decide.lifecycle import date_errors, with_move_dates
from tracker.services.derived import bump_version
from tracker.services.locks import lock_organization_graphs
from tracker.services.unit_of_work import transaction
from tracker.services.upsert import chunks, insert_returning, write_many

__all__ = ["FIELDS", "PRESETS", "BacklogFilePreview", "import_backlog", "import_backlog_file",
           "is_workbook", "max_rows", "preview_backlog_file"]
#: A file's limits: those of the ratings import (rows, then bytes).
ROWS_SETTING = "TRACKER_RATINGS_IMPORT_MAX_ROWS"
MAX_BYTES_SETTING = "TRACKER_RATINGS_IMPORT_MAX_BYTES"
#: Where the initiative came from (a Jira issue, a Productboard or Aha! feature).
EXTERNAL_FIELDS: tuple[str, ...] = ("external_key", "external_url")


def import_backlog_file(org: Organization, actor: User | None, data: bytes, *,
                        xlsx: bool, preset: str | None = None,
                        mapping: Mapping[str, str] | None = None,
                        max_rows: int | None = None) -> dict[str, int]:
    """Import a Jira, Productboard or Aha! export or a mapped spreadsheet: all or nothing;
    the errors of the bulk import are named by their cell (`row 3, Summary`) too."""
    rows = _file_records(data, xlsx)
    payload, numbers = read_backlog(rows, preset=preset, mapping=mapping,
                                    **({"max_rows": max_rows} if max_rows else {}))
    try:
        return import_backlog(org, actor, payload)
    except InvalidInput as error:
        errors: dict[str, list[str]] = {}
        for key, messages in (error.errors or {}).items():
            if key.startswith("initiatives[") and "]" in key:
                position = int(key[len("initiatives["):key.index("]")])
                errors[cell_key(numbers[position], key.split(".", 1)[-1])] = messages
            else:
                errors[key] = messages
        raise InvalidInput(str(error), errors=errors) from None


def max_rows() -> int:
    """The most initiatives one file may hold (`TRACKER_RATINGS_IMPORT_MAX_ROWS`)."""
    return int(current_app.config[ROWS_SETTING])


@dataclass(frozen=True)
class BacklogFilePreview:
    """What a backlog file holds, before any import: its column headers in order (a
    repeated one, such as Jira's links, each time), the columns suggested for our fields
    (the preset's, else those named as the fields: `matching_columns`), how many
    initiatives its rows would make and its first rows (as many cells as the header) with
    their row numbers (the header is row 1)."""

    header: list[str]
    mapping: dict[str, str]
    rows: int
    sample: list[tuple[int, list[str]]]


def preview_backlog_file(data: bytes, filename: str, preset: str | None = None,
                         sample: int = 5) -> BacklogFilePreview:
    """The headers, the preset's suggested mapping, the row count and the first `sample`
    rows of an uploaded backlog file (CSV or `.xlsx`, `is_workbook`), writing nothing;
    TooLarge past the byte or row limit, InvalidInput on `file` for an empty or unreadable
    one."""
    check_size(len(data), int(current_app.config[MAX_BYTES_SETTING]),
               setting=MAX_BYTES_SETTING, what="file")
    iterator = _file_records(data, is_workbook(data, filename))
    header = [cell.strip() for cell in next(iterator, [])]
    if not any(header):
        raise InvalidInput(_("The file is empty."), errors={"file": [
            _("The first row must hold the column headers.")]})
    count, shown = _rows(iterator, len(header), sample)
    suggested = preset_mapping(header, preset) if preset else matching_columns(header)
    return BacklogFilePreview(header, suggested, count, shown)


def _rows(records: Iterator[list[str]], width: int,
          sample: int) -> tuple[int, list[tuple[int, list[str]]]]:
    """How many rows under the header hold a cell (TooLarge past `max_rows()`), and the
    first `sample` of them by row number, cut or padded to `width` cells."""
    shown: list[tuple[int, list[str]]] = []
    count, limit = 0, max_rows()
    for number, cells in enumerate(records, start=2):
        if any(cell.strip() for cell in cells):
            count += 1
            if count > limit:
                raise too_many_rows(limit, number)
            if len(shown) < sample:
                shown.append((number, [*cells, *[""] * width][:width]))
    return count, shown


def _file_records(data: bytes, xlsx: bool) -> Iterator[list[str]]:
    """The records of a backlog file: an `.xlsx` workbook's first sheet, else CSV text."""
    return xlsx_records(data) if xlsx else records(_text(data))


def _text(data: bytes) -> str:
    """UTF-8 (Jira's export), else Windows-1252 (a spreadsheet saved on Windows)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def import_backlog(org: Organization, actor: User | None,
                   data: Mapping[str, Any]) -> dict[str, int]:
    """Create every initiative and dependency, or none; answers the new ids by `ref`.

    The edges join new initiatives only, so the cycle check needs no stored edge; the edges
    are still written under the organization's graph lock, like every write of the graph.
    An initiative imported under way or done gets the actual dates its status carries, as
    a status move in the form would give it (so the plan can keep it)."""
    rows = [with_move_dates(org, None, row) for row in data["initiatives"]]
    edges = data["dependencies"]
    errors: dict[str, list[str]] = {}
    index: dict[str, int] = {}
    for position, row in enumerate(rows):
        if row["ref"] in index:
            errors[f"initiatives[{position}].ref"] = [f"Duplicate ref {row['ref']!r}."]
        index[row["ref"]] = position
        inputs = MethodInputs(**{name: row.get(name) for name in INPUT_FIELDS})
        for name, messages in {**validate_inputs(inputs), **date_errors(None, row)}.items():
            errors[f"initiatives[{position}].{name}"] = messages
    for position, edge in enumerate(edges):
        for key in ("prerequisite_ref", "dependent_ref"):
            if edge[key] not in index:
                errors[f"dependencies[{position}].{key}"] = [f"Unknown ref {edge[key]!r}."]
    if errors:
        raise InvalidInput("The import is invalid; nothing was created.", errors=errors)
    links_by_position = [(index[e["prerequisite_ref"]], index[e["dependent_ref"]],
                          e["lag_weeks"]) for e in edges]
    _check_graph(rows, links_by_position)
    dimensions = org_dimensions(org, {u["dimension"] for r in rows for u in r["uplifts"]})
    findings = {f.id for f in owned_findings(org, {i for r in rows for i in r["finding_ids"]})}
    org_id = org.id
    with transaction() as session:
        lock_organization_graphs(org)
        ids = _insert_initiatives(org, rows)
        uplifts = ({"initiative_id": ids[i], "dimension_id": dimensions[u["dimension"]].id,
                    "expected": u["expected"]} for i, row in enumerate(rows)
                   for u in row["uplifts"])
        links = ({"initiative_id": ids[i], "finding_id": f} for i, row in enumerate(rows)
                 for f in set(row["finding_ids"]) if f in findings)
        dependencies = ({"org_id": org_id, "prerequisite_id": ids[a], "dependent_id": ids[b],
                         "lag_weeks": lag} for a, b, lag in links_by_position)
        user_id = actor.id if actor else None
        events = ({"org_id": org_id, "entity": "initiative", "entity_id": ids[i],
                   "initiative_id": ids[i], "action": "import", "user_id": user_id,
                   "changes": _creation_changes(row)} for i, row in enumerate(rows))
        for table, values in ((Uplift.__table__, uplifts), (initiative_finding, links),
                              (Dependency.__table__, dependencies),
                              (AuditEvent.__table__, events)):
            write_many(table, values)
        if ids:
            bump_version(session, org_id)
    return {row["ref"]: ids[i] for i, row in enumerate(rows)}


def _check_graph(rows: list[dict[str, Any]], edges: list[tuple[int, int, Any]]) -> None:
    """Refuse the import's dependencies as `build_graph` does (a self-dependency, a bad
    lag: InvalidInput; a cycle: DependencyCycle naming the refs in order). A plainly sound
    graph is told at once (`_plainly_sound`); any other goes through `build_graph` itself,
    which says what is wrong in its own words."""
    if _plainly_sound(len(rows), edges):
        return
    try:
        build_graph(range(len(rows)), edges)
    except DependencyCycle as cycle:
        refs = [rows[node]["ref"] for node in cycle.cycle]
        raise DependencyCycle(refs, "The dependencies contain a cycle: "
                              + " → ".join(refs)) from None


def _plainly_sound(size: int, edges: list[tuple[int, int, Any]]) -> bool:
    """Whether `build_graph` takes these edges between nodes `0 … size − 1` without a
    word: none from a node to itself, every lag a finite number ≥ 0, and no cycle (every
    node comes out of Kahn's topological sort). Plain lists, no graph built: a backlog of
    thousands of initiatives is checked in milliseconds. False whenever unsure.

    >>> _plainly_sound(3, [(0, 1, 0.0), (1, 2, 1.5)]), _plainly_sound(2, [(0, 1, 0), (1, 0, 0)])
    (True, False)
    """
    waiting = [0] * size
    successors: list[list[int]] = [[] for _ in range(size)]
    for prerequisite, dependent, lag in edges:
        if prerequisite == dependent or type(lag) not in (int, float) \
                or not 0 <= lag < math.inf:
            return False
        successors[prerequisite].append(dependent)
        waiting[dependent] += 1
    ready = [node for node in range(size) if not waiting[node]]
    done = 0
    while ready:
        done += 1
        for dependent in successors[ready.pop()]:
            waiting[dependent] -= 1
            if not waiting[dependent]:
                ready.append(dependent)
    return done == size


#: Values a JSON column stores as they are (`jsonable` leaves them unchanged).
_PLAIN_JSON = (str, int, float, bool)


def _creation_changes(row: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The audit changes of an imported initiative, `[None, value]` per field it gives, as
    `jsonable` makes them (a plain value kept, without its walk through the value)."""
    return {name: [None, value if type(value) in _PLAIN_JSON else jsonable(value)]
            for name in PLAIN_FIELDS if (value := row.get(name)) is not None}


def _insert_initiatives(org: Organization, rows: list[dict[str, Any]]) -> list[int]:
    """Insert the initiatives, `CHUNK` per multi-row `INSERT … RETURNING`: their ids in the
    rows' order. PostgreSQL inserts each chunk in its order (`ordered`); SQLite
    gives each row of a statement the next rowid in the order of its VALUES, and each chunk
    comes after the previous one, so its ids sorted are in the rows' order (SQLAlchemy
    would otherwise send one statement per row there)."""
    session = db.session()
    values = ({"org_id": org.id, **{k: row[k] for k in (*PLAIN_FIELDS, *EXTERNAL_FIELDS)
                                    if k in row}} for row in rows)
    if session.get_bind().dialect.name == "sqlite":
        return sorted(id_ for (id_,) in insert_returning(Initiative.__table__, values, ("id",)))
    return [id_ for part in chunks(values) for id_ in sorted(
        id_ for (id_,) in insert_returning(Initiative.__table__, part, ("id",), ordered=True))]
