"""Organization export and import: the whole organization as one JSON document.

The export is table-driven, so a model added later is exported without new code: every
table with an `org_id`, and every table hanging from an exported one by a foreign key
(uplifts, association tables, the grid of an owned framework...), except the operational
ones in `NOT_EXPORTED`. Rows carry no database ids:

- each row has a `ref`, `table#n` (its rank, by id, among the organization's rows);
- a foreign key to an exported row holds that row's ref (`"assessment_id": "assessment#1"`);
- a foreign key to a shared record holds its natural key: `framework:pom-grid@1`,
  `dimension:pom-grid@1:products.vision` (also `axis:`, `question:`), `user:ann@x.org`;
- a JSON list column named `<table>_ids` holds refs of that table;
- a column in `SOFT_REFERENCES` (an id kept without a foreign key, so that it outlives its
  record) holds a ref too, or `table#gone-n` once its record is deleted: the import gives
  the n-th such record the id -n, which no record has;
- creation timestamps and survey tokens are left out (an import creates new ones).

Importing the export of an organization gives an identical export (the ids aside).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Date,
    DateTime,
    RowMapping,
    Table,
    insert,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import sort_tables

from tracker.domain.errors import Conflict, InvalidInput
from tracker.extensions import db
from tracker.models import Framework, Membership, Organization, User
from tracker.services.observe.assessments import new_survey_token
from tracker.services.unit_of_work import transaction

FORMAT_VERSION = 1
NOT_EXPORTED: dict[str, str] = {
    "membership": "members are accounts of this instance; the importer becomes lead",
    "audit_event": "the audit trail records who did what on this instance",
    "outbox_message": "e-mails already queued or sent from this instance",
    "outbox_asset": "files attached to those e-mails, shared by the whole instance",
    "user": "accounts of this instance, referenced by e-mail (`user:ann@x.org`)",
    "api_token": "credentials of this instance's accounts",
}
SOFT_REFERENCES: dict[tuple[str, str], str] = {("baseline_item", "initiative_id"): "initiative"}
GONE = "#gone-"
LEFT_OUT_COLUMNS = frozenset({"id", "org_id", "created_at"})
REGENERATED: dict[tuple[str, str], Callable[[], Any]] = {
    ("respondent", "survey_token"): new_survey_token}
NATURAL_KEYED = ("framework", "axis", "dimension", "question", "user")


def exported_tables() -> list[Table]:
    """The tables an export holds, parents (also those named by `<table>_ids` or by a soft
    reference) first."""
    chosen: dict[str, Table] = {}
    for table in db.metadata.sorted_tables:
        if table.name in NOT_EXPORTED or table.name == "organization":
            continue
        if "org_id" in table.c or any(fk.column.table.name in chosen
                                      for fk in table.foreign_keys):
            chosen[table.name] = table
    id_lists = [(chosen[target], table) for table in chosen.values() for column in table.columns
                if (target := _id_list_target(column, chosen)) is not None]
    soft = [(chosen[target], chosen[name]) for (name, _), target in SOFT_REFERENCES.items()]
    return sort_tables(chosen.values(), extra_dependencies=id_lists + soft)


def export_organization(org: Organization) -> dict[str, Any]:
    """The organization, its settings and every record it owns, as plain JSON values."""
    document: dict[str, Any] = {"format_version": FORMAT_VERSION,
                                "organization": _settings(org)}
    refs: dict[str, dict[Any, str]] = {}
    naturals = _NaturalKeys()
    gone: dict[tuple[str, int], str] = {}
    for table in exported_tables():
        rows = db.session.execute(_rows_of(table, org, refs)).mappings().all()
        if "id" in table.c:
            refs[table.name] = {row["id"]: f"{table.name}#{n}" for n, row in
                                enumerate(rows, start=1)}
        document[table.name] = [_export_row(table, row, refs, naturals, gone) for row in rows]
    return document


def import_organization(user: User, document: Mapping[str, Any]) -> Organization:
    """Recreate an exported organization in one transaction; `user` becomes its lead."""
    if not isinstance(document, Mapping) or document.get("format_version") != FORMAT_VERSION:
        raise InvalidInput(f"Not an organization export of format version {FORMAT_VERSION}.",
                           errors={"format_version": [f"Expected {FORMAT_VERSION}."]})
    naturals = _NaturalKeys()
    try:
        with transaction() as session:
            org = Organization(**_settings_in(document.get("organization") or {}))
            session.add(org)
            session.flush()
            session.add(Membership(org_id=org.id, user_id=user.id, role="lead"))
            ids: dict[str, int] = {}
            tables = exported_tables()
            exported = {table.name for table in tables}
            for table in tables:
                values = [_import_row(table, row, org, ids, naturals, exported)
                          for row in document.get(table.name) or []]
                _insert_rows(session, table, document.get(table.name) or [], values, ids)
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput(f"The export is malformed: {error!s}.",
                           errors={"document": [str(error)]}) from error
    except IntegrityError as error:
        raise Conflict("The export clashes with records of this instance (e.g. an owned "
                       "framework whose code and version already exist).",
                       errors={"document": [str(error.orig)]}) from error
    return org


def _settings(org: Organization) -> dict[str, Any]:
    return {c.name: _plain(getattr(org, c.key)) for c in Organization.__table__.columns
            if c.name not in LEFT_OUT_COLUMNS}


def _settings_in(data: Mapping[str, Any]) -> dict[str, Any]:
    columns = {c.name: c for c in Organization.__table__.columns
               if c.name not in LEFT_OUT_COLUMNS}
    unknown = set(data) - set(columns)
    if unknown:
        raise InvalidInput("Unknown organization settings.",
                           errors={f"organization.{k}": ["Unknown setting."] for k in unknown})
    return {name: _parse(columns[name], value) for name, value in data.items()}


def _rows_of(table: Table, org: Organization, refs: Mapping[str, Mapping[Any, str]]) -> Any:
    """The organization's rows; for a child table, those hanging from an exported row."""
    stmt = select(table)
    if "org_id" in table.c:
        stmt = stmt.where(table.c.org_id == org.id)
    else:
        stmt = stmt.where(or_(*(fk.parent.in_(list(refs[fk.column.table.name]))
                                for fk in table.foreign_keys if fk.column.table.name in refs)))
    order = [table.c.id] if "id" in table.c else list(table.primary_key.columns)
    return stmt.order_by(*order)


def _export_row(table: Table, row: RowMapping, refs: Mapping[str, Mapping[Any, str]],
                naturals: _NaturalKeys, gone: dict[tuple[str, int], str]) -> dict[str, Any]:
    out: dict[str, Any] = {"ref": refs[table.name][row["id"]]} if "id" in table.c else {}
    for column in table.columns:
        name = column.name
        if name in LEFT_OUT_COLUMNS or (table.name, name) in REGENERATED:
            continue
        value = row[name]
        target = _fk_target(column)
        if (table.name, name) in SOFT_REFERENCES and target is not None \
                and value is not None and value not in refs[target]:
            value = gone.setdefault((target, value), f"{target}{GONE}{len(gone) + 1}")
        elif target is not None and value is not None:
            value = refs.get(target, {}).get(value) or naturals.key_of(target, value)
        elif (list_target := _id_list_target(column, refs)) and value is not None:
            target_refs = refs[list_target]
            value = [target_refs[v] for v in value if v in target_refs]
        out[name] = _plain(value)
    return out


def _insert_rows(session: Session, table: Table, rows: list[Mapping[str, Any]],
                 values: list[dict[str, Any]], ids: dict[str, int]) -> None:
    """Insert a table's rows in one statement; remember the new id of each ref."""
    if not values:
        return
    if "id" not in table.c:
        session.execute(insert(table), values)
        return
    new_ids = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                              values).scalars().all()
    for row, new_id in zip(rows, new_ids, strict=True):
        ids[row["ref"]] = new_id


def _import_row(table: Table, row: Mapping[str, Any], org: Organization, ids: Mapping[str, int],
                naturals: _NaturalKeys, exported: set[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    known = {c.name for c in table.columns}
    unknown = set(row) - known - {"ref"}
    if unknown:
        raise InvalidInput(f"Unknown field(s) in {table.name}: {', '.join(sorted(unknown))}.",
                           errors={f"{table.name}.{k}": ["Unknown field."] for k in unknown})
    for column in table.columns:
        name = column.name
        if name == "org_id":
            values[name] = org.id
        elif (table.name, name) in REGENERATED:
            values[name] = REGENERATED[(table.name, name)]()
        elif name in LEFT_OUT_COLUMNS or name not in row:
            continue
        elif _fk_target(column) is not None and row[name] is not None:
            values[name] = _resolve(row[name], ids, naturals,
                                    soft=(table.name, name) in SOFT_REFERENCES)
        elif _id_list_target(column, exported) and row[name]:
            values[name] = [_resolve(ref, ids, naturals) for ref in row[name]]
        else:
            values[name] = _parse(column, row[name])
    return values


def _resolve(ref: str, ids: Mapping[str, int], naturals: _NaturalKeys,
             soft: bool = False) -> int:
    """The new id of an exported ref, the id of a natural key, or -n for a soft `#gone-n`."""
    if soft and GONE in ref:
        return -int(ref.rpartition(GONE)[2])
    if "#" in ref:
        if ref not in ids:
            raise InvalidInput(f"Reference {ref} points to no exported record.",
                               errors={ref: ["Unknown reference."]})
        return ids[ref]
    return naturals.id_of(ref)


def _fk_target(column: Column[Any]) -> str | None:
    """The table a column references, by foreign key or as a soft reference."""
    if (column.table.name, column.name) in SOFT_REFERENCES:
        return SOFT_REFERENCES[(column.table.name, column.name)]
    targets = [fk.column.table.name for fk in column.foreign_keys]
    return targets[0] if targets and column.name != "org_id" else None


def _id_list_target(column: Column[Any], refs: Collection[str]) -> str | None:
    if not (isinstance(column.type, JSON) and column.name.endswith("_ids")):
        return None
    target = column.name.removesuffix("_ids")
    return target if target in refs else None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _parse(column: ColumnElement[Any], value: Any) -> Any:
    """ISO text back to the date or datetime its column stores."""
    kind = getattr(column.type, "impl", column.type)
    if isinstance(value, str) and isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(value, str) and isinstance(kind, Date):
        return date.fromisoformat(value)
    return value


class _NaturalKeys:
    """Natural keys of shared records (frameworks, their grid, users), both ways, cached."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, int], str] = {}
        self._ids: dict[str, int] = {}

    def key_of(self, table: str, record_id: int) -> str:
        if (table, record_id) not in self._keys:
            self._keys[(table, record_id)] = f"{table}:{self._natural(table, record_id)}"
        return self._keys[(table, record_id)]

    def id_of(self, key: str) -> int:
        if key not in self._ids:
            self._ids[key] = self._lookup(key)
        return self._ids[key]

    def _natural(self, table: str, record_id: int) -> str:
        if table not in NATURAL_KEYED:
            raise Conflict(f"Records of {table} cannot be referenced by an export.")
        if table == "user":
            return db.session.get_one(User, record_id).email
        if table == "framework":
            return _framework_key(db.session.get_one(Framework, record_id))
        model = db.metadata.tables[table]
        row = db.session.execute(select(model.c.code, model.c.framework_id)
                                 .where(model.c.id == record_id)).one()
        return f"{_framework_key(db.session.get_one(Framework, row.framework_id))}:{row.code}"

    def _lookup(self, key: str) -> int:
        table, _, natural = key.partition(":")
        found: int | None = None
        if table == "user":
            found = db.session.scalar(select(User.id).where(User.email == natural))
        elif table in NATURAL_KEYED:
            framework_key, _, code = natural.partition(":")
            framework_code, _, version = framework_key.rpartition("@")
            framework_id = db.session.scalar(select(Framework.id).where(
                Framework.code == framework_code, Framework.version == int(version or 0)))
            if table == "framework" or framework_id is None:
                found = framework_id
            else:
                model = db.metadata.tables[table]
                found = db.session.scalar(select(model.c.id).where(
                    model.c.framework_id == framework_id, model.c.code == code))
        if found is None:
            raise InvalidInput(f"{key} does not exist on this instance; import or seed it "
                               "first.", errors={key: ["Not found on this instance."]})
        return found


def _framework_key(framework: Framework) -> str:
    return f"{framework.code}@{framework.version}"
