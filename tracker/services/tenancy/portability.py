"""Organization export and import: the whole organization as one JSON document.

The export is table-driven, so a model added later is exported without new code: every
table with an `org_id`, and every table hanging from an exported one by a foreign key
(uplifts, association tables, the grid of an owned framework...), except the operational
ones in `NOT_EXPORTED`. Rows carry no database ids:

- each row has a `ref`, `table#n` (its rank, by id, among the organization's rows);
- a foreign key to an exported row holds that row's ref (`"assessment_id": "assessment#1"`);
- a foreign key to a shared record holds its natural key: `framework:pom-grid@1`,
  `dimension:pom-grid@1:products.vision` (also `axis:`, `question:`);
- a JSON list column named `<table>_ids` holds refs of that table;
- a column in `SOFT_REFERENCES` (an id kept without a foreign key, so that it outlives its
  record) holds a ref too, or `table#gone-n` once its record is deleted: the import gives
  the n-th such record the id -n, which no record has;
- creation timestamps and survey tokens are left out (an import creates new ones).

Importing the export of an organization gives an identical export (the ids aside). The
document is untrusted, so an import stays inside the organization it creates: a ref
resolves only to a row of the same import in the column's target table, a natural key only
to a shared record (a framework without an organization, or its grid), a row without an
`org_id` hangs from a row of the import, the grid of a framework refers only to rows of the
import, and ids, owners and generated columns never come from the document. Anything else is
a 422 naming the ref or `table.column`, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    RowMapping,
    String,
    Table,
    insert,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import sort_tables

from tracker.domain.constants import DB_INT_MAX
from tracker.domain.errors import Conflict, InvalidInput
from tracker.extensions import db
from tracker.models import Framework, Membership, Organization, User
from tracker.schemas.common import is_single_line, is_time_zone
from tracker.services.audit import audit
from tracker.services.observe.assessments import new_survey_token
from tracker.services.unit_of_work import transaction

FORMAT_VERSION = 1
NOT_EXPORTED: dict[str, str] = {
    "membership": "members are accounts of this instance; the importer becomes lead",
    "audit_event": "the audit trail records who did what on this instance",
    "outbox_message": "e-mails already queued or sent from this instance",
    "outbox_asset": "files attached to those e-mails, shared by the whole instance",
    "user": "accounts of this instance; no exported record refers to one",
    "api_token": "credentials of this instance's accounts",
    "user_session": "signed-in browsers of this instance's accounts",
    "invitation": "links sent from this instance; invite the members again",
    "calendar_feed": "calendar subscriptions are credentials of this instance's accounts",
    "user_identity": "single sign-on links of this instance's accounts",
    "webhook": "endpoints and their secrets belong to this instance; add them again",
    "webhook_delivery": "calls already made from this instance",
    "background_job": "work run on this instance",
}
SOFT_REFERENCES: dict[tuple[str, str], str] = {("baseline_item", "initiative_id"): "initiative"}
#: JSON columns holding a list of objects, one key of which is an id of another table: the
#: export writes refs there too (a pilot's criteria name KPIs).
NESTED_REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("pilot", "criteria"): ("kpi_id", "kpi")}
GONE = "#gone-"
#: Never exported nor imported: ids, the owner, creation times and the organization's data
#: version (a cache's counter, meaningless elsewhere).
LEFT_OUT_COLUMNS = frozenset({"id", "org_id", "created_at", "data_version"})
REGENERATED: dict[tuple[str, str], Callable[[], Any]] = {
    ("respondent", "survey_token"): new_survey_token}
NATURAL_KEYED = ("framework", "axis", "dimension", "question")
HEADER = frozenset({"format_version", "organization"})


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
    nested = [(chosen[target], chosen[name])
              for (name, _), (_, target) in NESTED_REFERENCES.items()]
    return sort_tables(chosen.values(), extra_dependencies=id_lists + soft + nested)


def grid_tables() -> frozenset[str]:
    """Exported tables that describe a framework's grid (no `org_id`, a `framework_id`): a
    shared framework's grid is never written by an import, an owned one's stays inside it."""
    return frozenset(table.name for table in exported_tables()
                     if "org_id" not in table.c and "framework_id" in table.c)


def export_organization(org: Organization, actor: User) -> dict[str, Any]:
    """The organization, its settings and every record it owns, as plain JSON values;
    audited as an `export` by `actor`."""
    with transaction():
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
            document[table.name] = [_export_row(table, row, refs, naturals, gone)
                                    for row in rows]
        audit(org, actor, "organization", org.id, None, "export", {})
    return document


def import_organization(user: User, document: Mapping[str, Any]) -> Organization:
    """Recreate an exported organization as a new one, in one transaction; `user` becomes
    its lead. Nothing of the document reaches outside it (see the module's docstring)."""
    tables = exported_tables()
    _check_document(document, tables)
    try:
        with transaction() as session:
            org = Organization(**_settings_in(document["organization"]))
            session.add(org)
            session.flush()
            session.add(Membership(org_id=org.id, user_id=user.id, role="lead"))
            rows = _Import(org, tables)
            for table in tables:
                given = document.get(table.name) or []
                _insert_rows(session, table, given, [rows.row(table, row) for row in given],
                             rows.ids)
            audit(org, user, "organization", org.id, None, "import",
                  {"rows": {table.name: len(document.get(table.name) or [])
                            for table in tables if document.get(table.name)}})
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput(f"The export is malformed: {error!s}.",
                           errors={"document": [str(error)]}) from error
    except IntegrityError as error:
        raise Conflict("The export clashes with records of this instance (e.g. an owned "
                       "framework whose code and version already exist).",
                       errors={"document": [str(error.orig)]}) from error
    return org


def _check_document(document: Mapping[str, Any], tables: list[Table]) -> None:
    """The document's outline: its format version, known tables, each a list of rows."""
    if not isinstance(document, Mapping) or document.get("format_version") != FORMAT_VERSION:
        raise InvalidInput(f"Not an organization export of format version {FORMAT_VERSION}.",
                           errors={"format_version": [f"Expected {FORMAT_VERSION}."]})
    names = {table.name for table in tables}
    unknown = sorted(set(document) - names - HEADER)
    if unknown:
        raise InvalidInput(f"Not tables of an organization export: {', '.join(unknown)}.",
                           errors={name: ["Not a table of an organization export."]
                                   for name in unknown})
    if not isinstance(document.get("organization"), Mapping):
        raise InvalidInput("The organization's settings are missing.",
                           errors={"organization": ["Expected an object of settings."]})
    for name in sorted(names & set(document)):
        rows = document[name]
        if rows is not None and not (isinstance(rows, list)
                                     and all(isinstance(row, Mapping) for row in rows)):
            raise InvalidInput(f"{name} is not a list of rows.",
                               errors={name: ["Expected a list of objects."]})


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
    if not isinstance(data.get("name"), str) or not is_single_line(data["name"]):
        # the name reaches email subjects, where a line break would inject headers
        raise InvalidInput("The organization's name must be one line of text.",
                           errors={"organization.name": ["One line of text, no line break."]})
    return {name: _parse(columns[name], value, f"organization.{name}")
            for name, value in data.items()}


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
        elif (table.name, name) in NESTED_REFERENCES and value is not None:
            key, nested_target = NESTED_REFERENCES[(table.name, name)]
            nested_refs = refs[nested_target]
            value = [{**item, key: nested_refs[item[key]]} for item in value
                     if isinstance(item, dict) and item.get(key) in nested_refs]
        out[name] = _plain(value)
    return out


def _insert_rows(session: Session, table: Table, rows: list[Mapping[str, Any]],
                 values: list[dict[str, Any]], ids: dict[str, int]) -> None:
    """Insert a table's rows, one statement per run of rows giving the same fields (in the
    document's order, so new ids rank as the refs do); remember the new id of each ref."""
    for _, run in groupby(zip(rows, values, strict=True), key=lambda pair: sorted(pair[1])):
        given, batch = zip(*run, strict=True)
        if "id" not in table.c:
            session.execute(insert(table), list(batch))
            continue
        new_ids = session.execute(insert(table).returning(
            table.c.id, sort_by_parameter_order=True), list(batch)).scalars().all()
        ids.update({row["ref"]: new_id for row, new_id in zip(given, new_ids, strict=True)})


class _Import:
    """One import's translation of rows: refs to the ids this import gave, natural keys to
    shared records, and the rules that keep every row inside the new organization."""

    def __init__(self, org: Organization, tables: list[Table]) -> None:
        self.org = org
        self.ids: dict[str, int] = {}
        self.naturals = _NaturalKeys()
        self.exported = {table.name for table in tables}
        self.grid = grid_tables()
        self.claimed: set[str] = set()

    def row(self, table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
        """The values to insert for one row of the document."""
        self._check_fields(table, row)
        values: dict[str, Any] = {"org_id": self.org.id} if "org_id" in table.c else {}
        values |= {name: generate() for (owner, name), generate in REGENERATED.items()
                   if owner == table.name}
        hangs = False
        for column in table.columns:
            if column.name in row:  # the columns the import sets were refused above
                values[column.name], own = self._value(table, column, row[column.name])
                hangs = hangs or own
        _check_complete(table, values)
        if "org_id" not in table.c and not hangs:
            raise InvalidInput(f"A row of {table.name} must hang from a record of this import.",
                               errors={table.name: ["Links to no record of this import."]})
        return values

    def _value(self, table: Table, column: Column[Any], value: Any) -> tuple[Any, bool]:
        """A column's value, and whether it links to a row of this import."""
        field = f"{table.name}.{column.name}"
        if value is None and not column.nullable:
            raise InvalidInput(f"{field} is required.", errors={field: ["Required."]})
        if (target := _fk_target(column)) is not None:
            return self._link(table, column, target, value)
        if (list_target := _id_list_target(column, self.exported)) is not None:
            return self._links(field, list_target, value), False
        if (table.name, column.name) in NESTED_REFERENCES:
            return self._nested(field, NESTED_REFERENCES[(table.name, column.name)], value), False
        return _parse(column, value, field), False

    def _nested(self, field: str, reference: tuple[str, str], value: Any) -> Any:
        """A list of objects whose `key` holds a ref of `target`, with the refs replaced by
        the ids this import gave (a ref of another table or organization is refused)."""
        key, target = reference
        if value is None:
            return None
        if not isinstance(value, list) or not all(
                isinstance(item, dict) and isinstance(item.get(key), str) for item in value):
            raise InvalidInput(f"{field} takes a list of objects with a {key}.",
                               errors={field: [f"Expected objects whose {key} is {target}#n."]})
        return [{**item, key: self._ref(item[key], target)[0]} for item in value]

    def _check_fields(self, table: Table, row: Mapping[str, Any]) -> None:
        """Known fields only, none the import sets itself, and a fresh ref of the table."""
        known = {c.name for c in table.columns} | ({"ref"} if "id" in table.c else set())
        unknown = sorted(set(row) - known)
        if unknown:
            raise InvalidInput(f"Unknown field(s) in {table.name}: {', '.join(unknown)}.",
                               errors={f"{table.name}.{k}": ["Unknown field."] for k in unknown})
        imposed = sorted(name for name in row if name in LEFT_OUT_COLUMNS
                         or (table.name, name) in REGENERATED)
        if imposed:
            raise InvalidInput(f"The import sets {', '.join(imposed)} of {table.name} itself.",
                               errors={f"{table.name}.{k}": ["Set by the import."]
                                       for k in imposed})
        if "id" in table.c:
            self._claim(table, row.get("ref"))

    def _claim(self, table: Table, ref: Any) -> None:
        prefix = f"{table.name}#"
        if not (isinstance(ref, str) and ref.startswith(prefix)
                and _number(ref.removeprefix(prefix)) is not None) or ref in self.claimed:
            raise InvalidInput(f"Every row of {table.name} needs its own ref {prefix}n.",
                               errors={f"{table.name}.ref": [f"Expected a new {prefix}n."]})
        self.claimed.add(ref)

    def _link(self, table: Table, column: Column[Any], target: str,
              value: Any) -> tuple[int | None, bool]:
        """The id a link points to, and whether it is a row of this import."""
        field = f"{table.name}.{column.name}"
        if value is None:
            return None, False
        if not isinstance(value, str) or "\x00" in value:
            raise InvalidInput(f"{field} takes a reference.", errors={field: [
                f"Expected a reference ({target}#n) or the key of a shared record."]})
        if "#" in value:
            return self._ref(value, target, soft=(table.name, column.name) in SOFT_REFERENCES)
        if table.name in self.grid:
            raise InvalidInput(f"{field}: the grid of a framework refers to rows of this "
                               "import only.", errors={field: [
                                   f"Expected a reference ({target}#n) of this import."]})
        return self.naturals.id_of(value, target), False

    def _links(self, field: str, target: str, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(ref, str) for ref in value):
            raise InvalidInput(f"{field} takes a list of references.",
                               errors={field: [f"Expected a list of {target}#n."]})
        return [self._ref(ref, target)[0] for ref in value]

    def _ref(self, ref: str, target: str, soft: bool = False) -> tuple[int, bool]:
        """The new id of a ref of this import in the target table, or -n for a soft
        `#gone-n`; the flag says whether a row of this import was found."""
        if ref.partition("#")[0] != target:
            raise InvalidInput(f"{ref} is not a record of {target}.",
                               errors={ref: [f"Expected a reference to {target}."]})
        gone = _number(ref.removeprefix(target + GONE)) if ref.startswith(target + GONE) \
            else None
        if soft and gone is not None:
            return -gone, False
        if ref not in self.ids:
            raise InvalidInput(f"Reference {ref} points to no exported record.",
                               errors={ref: ["Unknown reference."]})
        return self.ids[ref], True


def _check_complete(table: Table, values: Mapping[str, Any]) -> None:
    """Every column that has no default and takes no null is given."""
    missing = sorted(c.name for c in table.columns if c.name not in values
                     and c.name not in LEFT_OUT_COLUMNS and not c.nullable
                     and c.default is None and c.server_default is None)
    if missing:
        raise InvalidInput(f"A row of {table.name} lacks {', '.join(missing)}.",
                           errors={f"{table.name}.{k}": ["Required."] for k in missing})


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


def _number(text: str) -> int | None:
    """A positive number written in ASCII digits that fits a database integer, else None.

    >>> [_number("12"), _number("0"), _number("²"), _number("99999999999")]
    [12, None, None, None]
    """
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= DB_INT_MAX:
        return None
    return int(text)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _parse(column: ColumnElement[Any], value: Any, field: str) -> Any:
    """A document's value as its column stores it (ISO text back to dates), refused with a
    field error when its type does not fit, so every database answers the same."""
    kind = getattr(column.type, "impl", column.type)
    if value is None or isinstance(kind, JSON):
        return value
    if isinstance(kind, DateTime) and isinstance(value, str):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None or not kind.timezone:
            return moment
    elif isinstance(kind, Date) and isinstance(value, str):
        return date.fromisoformat(value)
    elif _fits(kind, value):
        _check_time_zone(column, value, field)
        return value
    raise InvalidInput(f"{field} holds a value of the wrong type.",
                       errors={field: [f"Expected {_expected(kind)}."]})


def _fits(kind: Any, value: Any) -> bool:
    if isinstance(kind, Boolean):
        return isinstance(value, bool)
    if isinstance(kind, Integer):
        return isinstance(value, int) and not isinstance(value, bool) \
            and -DB_INT_MAX - 1 <= value <= DB_INT_MAX
    if isinstance(kind, Float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(kind, String):
        return isinstance(value, str) and "\x00" not in value \
            and (kind.length is None or len(value) <= kind.length)
    return not isinstance(kind, Date | DateTime)


def _check_time_zone(column: ColumnElement[Any], value: Any, field: str) -> None:
    """A `timezone` column holds an IANA name: another one would stop the schedules."""
    if column.name == "timezone" and value is not None and not is_time_zone(value):
        raise InvalidInput(f"{field} is not a known time zone.",
                           errors={field: ["Expected an IANA time zone, e.g. Europe/Paris."]})


def _expected(kind: Any) -> str:
    if isinstance(kind, String) and kind.length is not None:
        return f"a text of at most {kind.length} characters"
    names = {DateTime: "an ISO date and time with its offset", Date: "an ISO date",
             Boolean: "true or false", Integer: "an integer", Float: "a number",
             String: "a text"}
    return next(name for base, name in names.items() if isinstance(kind, base))


class _NaturalKeys:
    """Natural keys of shared records (frameworks without an owner, and their grid), both
    ways, cached."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, int], str] = {}
        self._ids: dict[str, int] = {}

    def key_of(self, table: str, record_id: int) -> str:
        if (table, record_id) not in self._keys:
            self._keys[(table, record_id)] = f"{table}:{self._natural(table, record_id)}"
        return self._keys[(table, record_id)]

    def id_of(self, key: str, target: str) -> int:
        """The id of the shared record of `target` that `key` names; the same answer for a
        key of another tenant's record as for one that names nothing."""
        table, _, natural = key.partition(":")
        if target not in NATURAL_KEYED or table != target:
            expected = f"a key {target}:..." if target in NATURAL_KEYED else f"{target}#n"
            raise InvalidInput(f"{key} is not a reference to {target}.",
                               errors={key: [f"Expected {expected}."]})
        if key not in self._ids:
            found = self._lookup(table, natural)
            if found is None:
                raise InvalidInput(f"{key} is not a shared record of this instance; import "
                                   "or seed it first.",
                                   errors={key: ["No shared record has this key."]})
            self._ids[key] = found
        return self._ids[key]

    def _natural(self, table: str, record_id: int) -> str:
        if table not in NATURAL_KEYED:
            raise Conflict(f"Records of {table} cannot be referenced by an export.")
        if table == "framework":
            return _framework_key(db.session.get_one(Framework, record_id))
        model = db.metadata.tables[table]
        row = db.session.execute(select(model.c.code, model.c.framework_id)
                                 .where(model.c.id == record_id)).one()
        return f"{_framework_key(db.session.get_one(Framework, row.framework_id))}:{row.code}"

    @staticmethod
    def _lookup(table: str, natural: str) -> int | None:
        """`code@version` of a shared framework, or `code@version:item` of its grid."""
        framework_key, _, code = natural.partition(":")
        framework_code, _, version = framework_key.rpartition("@")
        number = _number(version)
        if number is None or (table == "framework") == bool(code):
            return None
        framework_id = db.session.scalar(select(Framework.id).where(
            Framework.code == framework_code, Framework.version == number,
            Framework.org_id.is_(None)))
        if table == "framework" or framework_id is None:
            return framework_id
        model = db.metadata.tables[table]
        found: int | None = db.session.scalar(select(model.c.id).where(
            model.c.framework_id == framework_id, model.c.code == code))
        return found


def _framework_key(framework: Framework) -> str:
    return f"{framework.code}@{framework.version}"
