"""The faster paths of the bulk writes (issue 20) say and write what the slower ones did,
on SQLite and PostgreSQL: `insert_returning` (a multi-row `INSERT … VALUES … RETURNING`
sent as is on SQLite) returns exactly the rows it inserted, mapped by their key, with the
columns' defaults, and leaves out a row another writer added; the respondents list refuses
such a row as a Conflict and adds nobody; the plain checks of a respondent's cells and of
a backlog's dependencies never take what `RespondentSchema` and `build_graph` refuse; the
audit changes of an import are `jsonable`'s."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from marshmallow import ValidationError
from sqlalchemy import func, insert, select

from tests.builders import SCALE, one_dimension_axes
from tests.integration.test_ratings_import_chunks import statements
from tracker.adapters.importers.respondents_file import FileRow
from tracker.domain.errors import Conflict, DependencyCycle, InvalidInput
from tracker.domain.graph import build_graph
from tracker.extensions import db
from tracker.models import Initiative, Organization, Respondent
from tracker.schemas.observe import RespondentSchema
from tracker.services import upsert
from tracker.services.audit import jsonable
from tracker.services.decide import initiatives_import
from tracker.services.frame import frameworks
from tracker.services.observe import assessments, respondents


@pytest.fixture
def assessment(app: Flask) -> Any:
    """An open assessment of a new organization."""
    framework = frameworks.import_framework_document({
        "code": "paths", "name": "Paths", "version": 1, "scale": SCALE,
        "axes": one_dimension_axes(2)})
    org = Organization(name="Acme")
    db.session.add(org)
    db.session.commit()
    return assessments.create_assessment(org, {"framework_id": framework.id, "title": "T",
                                               "kind": "diagnostic"})


def person(assessment: Any, name: str) -> dict[str, Any]:
    """A respondent row as the list writes it (no `created_at`: its default)."""
    return {"org_id": assessment.org_id, "assessment_id": assessment.id, "name": name,
            "email": None, "role": None, "team": "t", "level": None, "source": "survey",
            "perspective": None, "survey_token": assessments.new_survey_token()}


def add_by_another_writer(assessment: Any, name: str) -> None:
    """A respondent added and committed on a connection of its own, as another request."""
    with db.engine.begin() as connection:
        connection.execute(insert(Respondent), [person(assessment, name)])


def test_insert_returning_returns_the_inserted_rows_only_with_their_defaults(assessment):
    add_by_another_writer(assessment, "P7")
    rows = [person(assessment, f"P{n}") for n in range(3000)]
    before = datetime.now(UTC)
    with statements() as sent:
        # 3,000 rows of 11 columns: beyond what one SQLite statement takes (32,766)
        found = list(upsert.insert_returning(Respondent.__table__, rows, ("id", "name"),
                                             key=("assessment_id", "name"), chunk=5000))
    db.session.commit()
    names = [name for _id, name in found]
    assert sorted(names) == sorted(f"P{n}" for n in range(3000) if n != 7)
    stored = dict(db.session.execute(select(Respondent.id, Respondent.name).where(
        Respondent.assessment_id == assessment.id)).all())
    assert {id_: name for id_, name in found} == {
        id_: name for id_, name in stored.items() if id_ in dict(found)}
    assert len(stored) == 3000  # the other writer's P7 and ours but P7
    tokens = dict(db.session.execute(select(Respondent.name, Respondent.survey_token)).all())
    assert all(tokens[row["name"]] == row["survey_token"] for row in rows if row["name"] != "P7")
    created = set(db.session.scalars(select(Respondent.created_at).where(
        Respondent.id.in_([id_ for id_, _ in found[:50]]))))
    assert all(at is not None and at.tzinfo is not None and at >= before for at in created)
    inserts = sent.count("INSERT INTO respondent")
    if db.engine.dialect.name == "sqlite":
        assert inserts == math.ceil(3000 * 11 / upsert.SQLITE_MAX_PARAMETERS)
    else:
        assert inserts == 1


def test_insert_returning_on_sqlite_gives_ids_in_the_rows_order(assessment):
    """What the backlog import relies on: the ids of a chunk, sorted, are its rows'."""
    rows = [person(assessment, f"Q{n}") for n in range(1500)]
    ids = sorted(id_ for id_, _name in upsert.insert_returning(
        Respondent.__table__, rows, ("id", "name"), key=("assessment_id", "name")))
    db.session.commit()
    stored = dict(db.session.execute(select(Respondent.id, Respondent.name)).all())
    assert [stored[id_] for id_ in ids] == [row["name"] for row in rows]


def test_a_name_another_writer_added_meanwhile_adds_nobody(assessment, monkeypatch):
    """The list is checked, then another request adds one of its names before the insert:
    a Conflict on that row's name, and nothing of the list is added."""
    checked = respondents._checked

    def then_another_writer(*args: Any) -> Any:
        found = checked(*args)
        add_by_another_writer(assessment, "Person 3")
        return found

    monkeypatch.setattr(respondents, "_checked", then_another_writer)
    rows = [FileRow(n + 2, {"name": f"Person {n}"}) for n in range(6)]
    org = db.session.get(Organization, assessment.org_id)
    with pytest.raises(Conflict) as caught:
        respondents.add_respondents(org, assessment.id, rows, actor=None)
    assert caught.value.errors == {"row 5, name": ["Already added."]}
    db.session.rollback()
    assert list(db.session.scalars(select(Respondent.name))) == ["Person 3"]


@pytest.mark.parametrize("cells", [
    {"name": "Ada", "email": "ada@example.org"},
    {"name": "Ada", "email": "ada@example.org\u2028x"},
    {"name": "Ada", "email": "ada@exa\u2029mple.org"},
    {"name": "Ada", "email": "ada@example.org\r\nBcc: eve@example.org"},
    {"name": "Ada", "email": "ada\x7f@example.org"},
    {"name": "Ada", "email": "\"ada lovelace\"@example.org"},
    {"name": "Ada", "email": "ada@localhost"},
    {"name": "Ada", "email": "ada@[127.0.0.1]"},
    {"name": "Ada", "email": "ada@exämple.org"},
    {"name": "Ada", "email": "adä@example.org"},
    {"name": "Ada", "email": "ada@@example.org"},
    {"name": "Ada", "email": "ada@"},
    {"name": "Ada", "email": "a" * 250 + "@example.org"},
    {"name": "Ada\x00", "email": "ada@example.org"},
    {"name": "Ada", "team": "t" * 101},
    {"name": "Ada", "source": "rumour"},
    {"name": "Ada", "perspective": "nobody"},
    {"name": "A" * 201},
])
def test_the_plain_check_of_a_row_takes_only_what_the_schema_takes(app, cells):
    plain = respondents._plain_load(cells)
    try:
        loaded = RespondentSchema().load(cells)
    except ValidationError:
        assert plain is None
    else:
        assert plain is None or plain == loaded


def test_the_plain_check_of_the_dependencies_agrees_with_build_graph():
    rng = random.Random(20)
    for _ in range(300):
        size = rng.randint(1, 12)
        edges = [(rng.randrange(size), rng.randrange(size),
                  rng.choice([0.0, 1, 2.5, -1.0, math.nan, math.inf, True]))
                 for _ in range(rng.randint(0, 20))]
        try:
            build_graph(range(size), edges)
        except (InvalidInput, DependencyCycle):
            assert not initiatives_import._plainly_sound(size, edges)
        else:
            if all(type(lag) in (int, float) for _a, _b, lag in edges):
                assert initiatives_import._plainly_sound(size, edges)


def backlog(edges: list[tuple[int, int, Any]]) -> dict[str, Any]:
    return {"initiatives": [{"ref": f"r{i}", "title": f"I{i}", "uplifts": [],
                             "finding_ids": []} for i in range(4)],
            "dependencies": [{"prerequisite_ref": f"r{a}", "dependent_ref": f"r{b}",
                              "lag_weeks": lag} for a, b, lag in edges]}


@pytest.mark.parametrize(("edges", "error"), [
    ([(0, 1, 0.0), (1, 1, 0.0)], "1 → 1: an initiative cannot depend on itself"),
    ([(0, 1, -2.0)], "0 → 1: lag must be a number ≥ 0"),
    ([(0, 1, math.nan)], "0 → 1: lag must be a number ≥ 0"),
])
def test_a_bad_dependency_of_a_backlog_is_refused_in_build_graphs_words(assessment, edges,
                                                                         error):
    org = db.session.get(Organization, assessment.org_id)
    with pytest.raises(InvalidInput) as caught:
        initiatives_import.import_backlog(org, None, backlog(edges))
    assert caught.value.errors == {"edges": [error]}
    assert db.session.scalar(select(func.count(Initiative.id))) == 0


def test_a_cycle_of_a_backlog_names_its_refs(assessment):
    org = db.session.get(Organization, assessment.org_id)
    with pytest.raises(DependencyCycle) as caught:
        initiatives_import.import_backlog(org, None, backlog([(0, 1, 0), (1, 2, 0), (2, 1, 1)]))
    assert caught.value.cycle in (["r1", "r2", "r1"], ["r2", "r1", "r2"])
    assert db.session.scalar(select(func.count(Initiative.id))) == 0


def test_the_audit_changes_of_an_import_are_jsonables():
    row = {"ref": "r1", "title": "T", "description": "", "business_value": 3,
           "duration_weeks": 2.5, "pinned_start": date(2026, 1, 5), "owner": None,
           "load": Decimal("0.5"), "class_override": ("odd",)}
    expected = jsonable({name: [None, row[name]] for name in initiatives_import.PLAIN_FIELDS
                         if row.get(name) is not None})
    assert initiatives_import._creation_changes(row) == expected
    assert expected["pinned_start"] == [None, "2026-01-05"]
