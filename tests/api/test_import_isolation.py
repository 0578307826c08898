"""An organization import stays inside the organization it creates (issue 13, finding 1).

A hostile "export" must never write into another organization or into a shared framework,
nor link a new record to another tenant's: every `table#n` ref resolves to a row of the same
import in the column's target table, natural keys only to shared records, and anything else
is a 422 that saves nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import JSON, Table, func, select

from tests.builders import Scenario, framework_doc
from tracker.extensions import db
from tracker.models import Framework, Membership, Organization, Respondent, User
from tracker.services.tenancy import portability

IMPORT = "/api/v1/orgs/import"
SHARED = "test-grid@1"
PRIVATE = "victim-grid@1"
BOOKKEEPING = frozenset({("api_token", "last_used_at")})  # written by every request


@dataclass
class World:
    """A victim organization, an attacker and the legitimate export of the attacker's org."""

    victim: Scenario
    attacker: Any
    document: dict[str, Any]
    assessment_id: int
    evidence_id: int


def _fill(api: Any, base: str, framework_id: int, verbatim: str) -> tuple[int, int]:
    """An assessment with two respondents, ratings, a verbatim, a finding citing it and an
    initiative addressing the finding; answers the assessment's and the evidence's ids."""
    assessment = api.post(f"{base}/assessments", json={
        "framework_id": framework_id, "title": "Diagnostic", "kind": "diagnostic"}).json
    url = f"{base}/assessments/{assessment['id']}"
    people = [api.post(f"{url}/respondents", json={"name": name}).json["id"]
              for name in ("Ann", "Bob")]
    assert api.put(f"{url}/ratings", json=[
        {"respondent_id": person, "dimension": "a.one", "value": 2 + n}
        for n, person in enumerate(people)]).status_code == 200
    evidence = api.post(f"{url}/evidence", json={
        "text": verbatim, "source": "interview", "dimensions": ["a.one"]}).json
    finding = api.post(f"{base}/findings", json={
        "assessment_id": assessment["id"], "kind": "gap", "title": "Weak",
        "dimensions": ["a.one"], "evidence_ids": [evidence["id"]]})
    assert finding.status_code == 201, finding.json
    initiative = api.post(f"{base}/initiatives", json={
        "title": "Fix it", "finding_ids": [finding.json["id"]],
        "uplifts": [{"dimension": "a.one", "expected": 1}]})
    assert initiative.status_code == 201, initiative.json
    return assessment["id"], evidence["id"]


@pytest.fixture
def world(lead, admin, make_api) -> World:
    victim = Scenario(lead, admin)
    private = lead.post("/api/v1/frameworks", json=framework_doc(
        code="victim-grid", org_id=victim.org["id"]))
    assert private.status_code == 201, private.json
    assessment_id, evidence_id = _fill(lead, victim.url(), private.json["id"], "Secret words")
    _fill(lead, victim.url(), victim.framework["id"], "Other secret")
    attacker = make_api("mallory@example.org")
    own = attacker.post("/api/v1/orgs", json={"name": "Mallory"}).json
    _fill(attacker, f"/api/v1/orgs/{own['id']}", victim.framework["id"], "Mine")
    document = attacker.get(f"/api/v1/orgs/{own['id']}/export").json
    return World(victim, attacker, document, assessment_id, evidence_id)


def _padding(count: int) -> list[dict[str, Any]]:
    """Roadmap baselines whose new ids reach `count`, so `roadmap_baseline#count` gets an
    id that another table also has."""
    return [{"ref": f"roadmap_baseline#{n}", "name": f"B{n}", "params": {}}
            for n in range(1, count + 1)]


def _doc(**tables: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format_version": 1, "organization": {"name": "Mallory"}, **tables}


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_an_import_never_writes_into_a_shared_grid(world):
    framework = world.attacker.get(f"/api/v1/frameworks/{world.victim.framework['id']}").json
    framework_key = f"framework:{SHARED}"

    answer = world.attacker.post(IMPORT, json=_doc(
        axis=[{"ref": "axis#1", "framework_id": framework_key, "code": "evil", "name": "Evil",
               "weight": 1, "position": 9}],
        scale_level=[{"ref": "scale_level#1", "framework_id": framework_key, "value": 99,
                      "label": "Evil"}]))

    assert answer.status_code == 422, answer.json
    assert "axis.framework_id" in answer.json["errors"]
    assert world.attacker.get(f"/api/v1/frameworks/{framework['id']}").json == framework


def test_a_dimension_cannot_hang_from_a_shared_axis(world):
    answer = world.attacker.post(IMPORT, json=_doc(
        framework=[{"ref": "framework#1", "code": "own", "name": "Own", "version": 1}],
        dimension=[{"ref": "dimension#1", "framework_id": "framework#1",
                    "axis_id": f"axis:{SHARED}:a", "code": "evil", "name": "Evil"}]))

    assert answer.status_code == 422, answer.json
    assert "dimension.axis_id" in answer.json["errors"]


def test_a_wrong_table_ref_cannot_reach_another_organizations_assessment(world):
    target = f"roadmap_baseline#{world.assessment_id}"
    respondents = _count(Respondent)

    answer = world.attacker.post(IMPORT, json=_doc(
        roadmap_baseline=_padding(world.assessment_id),
        respondent=[{"ref": "respondent#1", "assessment_id": target, "name": "Planted"}],
        rating=[{"ref": "rating#1", "assessment_id": target, "respondent_id": "respondent#1",
                 "dimension_id": f"dimension:{PRIVATE}:a.one", "value": 1}],
        evidence=[{"ref": "evidence#1", "assessment_id": target, "text": "Planted",
                   "source": "interview"}]))

    assert answer.status_code == 422, answer.json
    assert target in answer.json["errors"]
    assert _count(Respondent) == respondents
    assert db.session.scalar(select(func.count(Organization.id))) == 2


def test_a_finding_cannot_cite_another_tenants_verbatim(world):
    target = f"roadmap_baseline#{world.evidence_id}"
    document = copy.deepcopy(world.document)
    document["roadmap_baseline"] = _padding(world.evidence_id)
    document["finding_evidence"] = [{"finding_id": "finding#1", "evidence_id": target}]

    answer = world.attacker.post(IMPORT, json=document)

    assert answer.status_code == 422, answer.json
    assert target in answer.json["errors"]
    linked = db.session.scalar(select(func.count()).select_from(
        db.metadata.tables["finding_evidence"]).where(
        db.metadata.tables["finding_evidence"].c.evidence_id == world.evidence_id))
    assert linked == 1  # the victim's own finding only


def test_an_assessment_cannot_run_on_another_tenants_private_framework(world):
    document = copy.deepcopy(world.document)
    document["assessment"][0]["framework_id"] = f"framework:{PRIVATE}"
    missing = copy.deepcopy(world.document)
    missing["assessment"][0]["framework_id"] = "framework:nowhere@1"

    answer = world.attacker.post(IMPORT, json=document)
    unknown = world.attacker.post(IMPORT, json=missing)

    assert answer.status_code == 422, answer.json
    assert list(answer.json["errors"]) == [f"framework:{PRIVATE}"]
    assert unknown.status_code == 422
    # the same answer whether the record exists in another tenant or nowhere
    assert answer.json["errors"][f"framework:{PRIVATE}"] == \
        unknown.json["errors"]["framework:nowhere@1"]
    assert db.session.scalar(select(func.count(Framework.id)).where(
        Framework.code == "victim-grid")) == 1


def test_the_export_is_for_leads(world, make_api):
    org_id = world.victim.org["id"]
    viewer = make_api("viewer@example.org")
    db.session.add(Membership(org_id=org_id, role="viewer", user_id=db.session.scalar(
        select(User.id).where(User.email == "viewer@example.org"))))
    db.session.commit()

    assert viewer.get(f"/api/v1/orgs/{org_id}/export").status_code == 403
    assert world.victim.api.get(f"/api/v1/orgs/{org_id}/export").status_code == 200


def test_rows_may_leave_out_different_fields(world):
    document = copy.deepcopy(world.document)
    del document["respondent"][0]["team"]
    del document["respondent"][1]["email"]

    answer = world.attacker.post(IMPORT, json=document)

    assert answer.status_code == 201, answer.json


def test_export_and_import_are_audited(world):
    created = world.attacker.post(IMPORT, json=world.document)
    assert created.status_code == 201, created.json
    events = db.metadata.tables["audit_event"]
    mallory = db.session.scalar(select(User.id).where(User.email == "mallory@example.org"))
    own = db.session.scalar(select(Organization.id).where(Organization.name == "Mallory"))

    rows = set(db.session.execute(select(events.c.org_id, events.c.user_id, events.c.action)
                                  .where(events.c.entity == "organization",
                                         events.c.action.in_(["export", "import"]))).all())

    assert rows == {(own, mallory, "export"), (created.json["id"], mallory, "import")}


# The property: hostile mutations of a legitimate export.

def _snapshot() -> dict[str, set[tuple[Any, ...]]]:
    """Every row of every table, as text, bookkeeping columns aside."""
    rows: dict[str, set[tuple[Any, ...]]] = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if (table.name, c.name) not in BOOKKEEPING]
        rows[table.name] = {tuple(repr(v) for v in row)
                            for row in db.session.execute(select(*columns)).all()}
    return rows


def _owned_by(org_id: int, tables: list[Table]) -> dict[str, list[Any]]:
    """The rows of one organization: its own, those hanging from them, and the grid of its
    frameworks (a grid row belongs to its framework whatever else it points at)."""
    owned: dict[str, set[int]] = {"organization": {org_id}}
    rows: dict[str, list[Any]] = {}
    for table in tables:
        rows[table.name] = [row for row in db.session.execute(select(table)).mappings().all()
                            if _belongs(table, row, owned, org_id)]
        if "id" in table.c:
            owned[table.name] = {row["id"] for row in rows[table.name]}
    return rows


def _as_text(table: Table, rows: list[Any]) -> set[tuple[Any, ...]]:
    columns = [c.name for c in table.columns if (table.name, c.name) not in BOOKKEEPING]
    return {tuple(repr(row[c]) for c in columns) for row in rows}


def _belongs(table: Table, row: Any, owned: dict[str, set[int]], org_id: int) -> bool:
    if "org_id" in table.c:
        return bool(row["org_id"] == org_id)
    if table.name == "organization":
        return bool(row["id"] == org_id)
    if "framework_id" in table.c:
        return row["framework_id"] in owned.get("framework", set())
    return any(row[fk.parent.name] in owned.get(fk.column.table.name, set())
               for fk in table.foreign_keys)


def _shared(table: str) -> set[int]:
    """Ids of shared records: frameworks without an organization, and their grid."""
    frameworks = select(Framework.id).where(Framework.org_id.is_(None))
    model = db.metadata.tables[table]
    if table == "framework":
        return set(db.session.scalars(frameworks))
    if "framework_id" in model.c and "org_id" not in model.c:
        return set(db.session.scalars(select(model.c.id).where(
            model.c.framework_id.in_(frameworks))))
    return set()


def _assert_references_stay_inside(org_id: int) -> None:
    """Every link of the new organization's rows points into it or at a shared record, and
    its only member is the importer."""
    members = db.session.execute(select(Membership.user_id, Membership.role).where(
        Membership.org_id == org_id)).all()
    assert [(db.session.get_one(User, user).email, role) for user, role in members] == [
        ("mallory@example.org", "lead")]
    tables = portability.exported_tables()
    rows = _owned_by(org_id, tables)
    owned = {"organization": {org_id}, **{table.name: {row["id"] for row in rows[table.name]}
                                          for table in tables if "id" in table.c}}
    for table in tables:
        for row in rows[table.name]:
            for column in table.columns:
                target, values = _links(table, column, row)
                for value in values:
                    assert (value is None or value < 0 or value in owned.get(target, set())
                            or value in _shared(target)), (table.name, column.name, value)


def _links(table: Table, column: Any, row: Any) -> tuple[str, list[Any]]:
    """The table a column links to and the ids it holds (none for a plain column)."""
    if isinstance(column.type, JSON) and column.name.endswith("_ids"):
        return column.name.removesuffix("_ids"), list(row[column.name] or [])
    target = portability.SOFT_REFERENCES.get((table.name, column.name)) or next(
        (fk.column.table.name for fk in column.foreign_keys), None)
    return (target, [row[column.name]]) if target else ("", [])


REF_COLUMNS = [(table.name, column.name) for table in portability.exported_tables()
               for column in table.columns
               if column.name != "org_id" and (column.foreign_keys or column.name.endswith(
                   "_ids") or (table.name, column.name) in portability.SOFT_REFERENCES)]
PLAIN_COLUMNS = [(table.name, column.name) for table in portability.exported_tables()
                 for column in table.columns if (table.name, column.name) not in REF_COLUMNS
                 and column.name not in portability.LEFT_OUT_COLUMNS]
TABLES = sorted(db.metadata.tables)
GRID_ROWS: list[tuple[str, dict[str, Any]]] = [
    ("axis", {"ref": "axis#9", "framework_id": f"framework:{SHARED}", "code": "x",
              "name": "X", "weight": 1, "position": 0}),
    ("scale_level", {"ref": "scale_level#9", "framework_id": f"framework:{SHARED}",
                     "value": 99, "label": "X"}),
    ("dimension", {"ref": "dimension#9", "framework_id": f"framework:{SHARED}",
                   "axis_id": f"axis:{SHARED}:a", "code": "x", "name": "X"}),
    ("question", {"ref": "question#9", "framework_id": f"framework:{SHARED}",
                  "dimension_id": f"dimension:{SHARED}:a.one", "code": "x", "text": "X?"}),
]
hostile_refs = st.one_of(
    st.builds(lambda t, n: f"{t}#{n}", st.sampled_from(TABLES), st.integers(1, 12)),
    st.builds(lambda n: f"assessment#{n}", st.integers(2, 10**6)),
    st.sampled_from([f"framework:{PRIVATE}", f"dimension:{PRIVATE}:a.one",
                     f"axis:{PRIVATE}:a", f"framework:{SHARED}", f"axis:{SHARED}:a",
                     f"dimension:{SHARED}:b.two", "user:lead@example.org",
                     "user:mallory@example.org", "initiative#gone-1", "dimension:",
                     "framework:test-grid@x", "#1", "finding#", "organization#1"]),
    st.integers(-3, 40), st.none(), st.booleans(), st.floats(allow_nan=False),
    st.lists(st.integers(1, 5), max_size=2), st.dictionaries(st.text(max_size=3),
                                                             st.integers(), max_size=1),
)

hostile_values = st.one_of(
    st.text(max_size=3), st.text(min_size=201, max_size=201), st.just("a\x00b"),
    st.integers(-2**40, 2**40), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.none(), st.lists(st.integers(), max_size=2),
    st.just("2020-01-01"), st.just("2020-01-01T00:00:00"), st.just({"a": 1}))


@st.composite
def hostile_documents(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """The legitimate export with one to four hostile changes."""
    hostile = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["ref", "list", "grid", "row_ref", "owner", "table",
                                     "padding", "value", "drop"]))
        if kind == "drop":
            rows = [row for name in sorted(hostile) if isinstance(hostile[name], list)
                    for row in hostile[name] if row]
            if rows:
                row = draw(st.sampled_from(rows))
                del row[draw(st.sampled_from(sorted(row)))]
        elif kind == "value":
            table, column = draw(st.sampled_from(PLAIN_COLUMNS))
            for row in (hostile.get(table) or [])[:1]:
                row[column] = draw(hostile_values)
        elif kind == "grid":
            table, row = draw(st.sampled_from(GRID_ROWS))
            hostile.setdefault(table, []).append(dict(row))
        elif kind == "table":
            hostile[draw(st.sampled_from(sorted(portability.NOT_EXPORTED)))] = [
                {"org_id": 1, "user_id": 1, "role": "lead"}]
        elif kind == "padding":
            hostile["roadmap_baseline"] = (hostile.get("roadmap_baseline") or []) + _padding(
                draw(st.integers(1, 8)))[len(hostile.get("roadmap_baseline") or []):]
        else:
            table, column = draw(st.sampled_from(REF_COLUMNS))
            rows = hostile.get(table) or []
            if not rows:
                continue
            row = rows[draw(st.integers(0, len(rows) - 1))]
            if kind == "ref":
                row[column] = draw(hostile_refs)
            elif kind == "list":
                row[column] = draw(st.lists(hostile_refs, min_size=1, max_size=3))
            elif kind == "row_ref" and "ref" in row:
                row["ref"] = draw(hostile_refs)
            elif kind == "owner":
                row[draw(st.sampled_from(["id", "org_id", "created_at", "survey_token"]))] = \
                    draw(st.sampled_from([1, 2, "2020-01-01T00:00:00", "x"]))
    return hostile


@pytest.fixture
def attack(world):
    """Import a document as the attacker; check that nothing outside the new organization
    changed and that a refusal left no organization behind."""

    def run(document: dict[str, Any]) -> int:
        before = _snapshot()
        orgs = db.session.scalar(select(func.count(Organization.id)))
        db.session.rollback()
        answer = world.attacker.post(IMPORT, json=document)
        assert answer.status_code in (201, 409, 422), answer.json
        after = _snapshot()
        if answer.status_code == 201:
            new = _owned_by(answer.json["id"], db.metadata.sorted_tables)
            after = {table.name: after[table.name] - _as_text(table, new[table.name])
                     for table in db.metadata.sorted_tables}
            _assert_references_stay_inside(answer.json["id"])
        else:
            assert db.session.scalar(select(func.count(Organization.id))) == orgs
        assert after == before
        db.session.rollback()
        return int(answer.status_code)

    return run


def test_the_legitimate_export_still_imports(world, attack):
    assert attack(world.document) == 201


@settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_hostile_export_changes_nothing_outside_its_new_organization(world, attack, data):
    event(f"status {attack(data.draw(hostile_documents(world.document)))}")
