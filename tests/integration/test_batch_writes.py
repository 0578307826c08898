"""Bulk writes in batches on SQLite and PostgreSQL (issue 20): the ratings upsert, the
ratings CSV import, the respondents list and the backlog import send a number of statements
that does not grow with the rows but by one per `CHUNK` of them, write the right values,
write nothing at all when a row is bad, and move the organization's data version in the
same transaction (and not when the write is refused)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.builders import SCALE, one_dimension_axes
from tests.integration.test_ratings_import_chunks import statements
from tracker.adapters.importers.respondents_file import FileRow
from tracker.domain.errors import DependencyCycle, InvalidInput
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Dependency,
    Dimension,
    Initiative,
    Organization,
    Rating,
    Respondent,
    Uplift,
)
from tracker.services import upsert
from tracker.services.decide import initiatives_import
from tracker.services.frame import frameworks
from tracker.services.observe import assessments, ratings, ratings_import, respondents

DIMENSIONS = 8
CODES = [f"x{i}.d" for i in range(DIMENSIONS)]


@pytest.fixture
def world(app: Flask) -> Any:
    """An organization and an open assessment on a grid of `DIMENSIONS` dimensions."""
    framework = frameworks.import_framework_document({
        "code": "batch", "name": "Batch", "version": 1, "scale": SCALE,
        "axes": one_dimension_axes(DIMENSIONS)})
    org = Organization(name="Acme")
    db.session.add(org)
    db.session.commit()
    return org, framework


def new_assessment(world: Any, title: str = "T") -> Any:
    org, framework = world
    return assessments.create_assessment(org, {"framework_id": framework.id, "title": title,
                                               "kind": "diagnostic"})


def version(org_id: int) -> int:
    """The organization's data version as committed."""
    db.session.expire_all()
    return int(db.session.scalar(select(Organization.data_version)
                                 .where(Organization.id == org_id)))


def org_of(world: Any) -> Organization:
    found = db.session.get(Organization, world[0].id)
    assert found is not None
    return found


def add_people(assessment: Any, count: int) -> list[int]:
    rows = [FileRow(n + 2, {"name": f"P{n}", "team": f"t{n % 3}"}) for n in range(count)]
    org = db.session.get(Organization, assessment.org_id)
    return respondents.add_respondents(org, assessment.id, rows, actor=None)


def test_the_ratings_upsert_sends_one_statement_per_chunk_at_any_size(world):
    counts = {}
    for people in (5, 150):  # 40 and 1,200 ratings
        assessment = new_assessment(world, f"T{people}")
        ids = add_people(assessment, people)
        rows = [{"respondent_id": rid, "dimension": code, "value": 1 + (rid + k) % 5}
                for rid in ids for k, code in enumerate(CODES)]
        before = version(world[0].id)
        with statements() as sent:
            result = ratings.upsert_ratings(org_of(world), assessment.id, rows)
        assert (result.created, result.updated) == (len(rows), 0)
        assert version(world[0].id) == before + 1
        assert sent.count("INSERT INTO rating") == math.ceil(len(rows) / upsert.CHUNK)
        counts[people] = len(sent) - sent.count("INSERT INTO rating")
        stored = {(r, d): v for r, d, v in db.session.execute(
            select(Rating.respondent_id, Dimension.code, Rating.value)
            .join(Dimension, Dimension.id == Rating.dimension_id)
            .where(Rating.assessment_id == assessment.id))}
        assert stored == {(r["respondent_id"], r["dimension"]): r["value"] for r in rows}
        # written again: the same statements, every rating updated, the new values kept
        again = [{**r, "value": 5} for r in rows]
        result = ratings.upsert_ratings(org_of(world), assessment.id, again)
        assert (result.created, result.updated) == (0, len(rows))
        assert set(db.session.scalars(select(Rating.value).where(
            Rating.assessment_id == assessment.id))) == {5.0}
    assert counts[5] == counts[150]  # everything else is constant in the rows


def test_a_bad_rating_row_writes_nothing_and_moves_no_version(world):
    assessment = new_assessment(world)
    ids = add_people(assessment, 3)
    rows = [{"respondent_id": rid, "dimension": code, "value": 3}
            for rid in ids for code in CODES]
    rows[17]["value"] = 9
    before = version(world[0].id)
    with pytest.raises(InvalidInput) as caught:
        ratings.upsert_ratings(org_of(world), assessment.id, rows)
    assert list(caught.value.errors) == ["[17].value"]
    assert db.session.scalar(select(func.count(Rating.id))) == 0
    assert version(world[0].id) == before


@pytest.mark.parametrize("people", [3, 1200])
def test_the_csv_import_inserts_respondents_with_their_ids_and_no_reading_back(world, people):
    assessment = new_assessment(world)
    lines = [",".join(["name", "role", "team", "level", "source", *CODES])]
    lines += [",".join([f"P{n}", "eng", "claims", "team", "survey",
                        *(str(1 + (n + k) % 5) for k in range(DIMENSIONS))])
              for n in range(people)]
    before = version(world[0].id)
    with statements() as sent:
        result = ratings_import.import_ratings_csv(org_of(world), assessment.id,
                                                   "\n".join(lines) + "\n")
    assert version(world[0].id) == before + 1  # once, whatever the number of chunks
    assert sent.count("INSERT INTO respondent") == math.ceil(people / ratings_import.CHUNK)
    assert not [s for s in sent if s.startswith("SELECT respondent.name, respondent.id")][1:]
    names = dict(db.session.execute(select(Respondent.id, Respondent.name)).all())
    assert [names[rid] for rid in result.respondent_ids] == [f"P{n}" for n in range(people)]
    last = result.respondent_ids[-1]
    stored = dict(db.session.execute(select(Dimension.code, Rating.value).join(
        Dimension, Dimension.id == Rating.dimension_id).where(Rating.respondent_id == last)).all())
    assert stored == {code: float(1 + (people - 1 + k) % 5) for k, code in enumerate(CODES)}


def test_the_respondents_list_is_added_in_one_statement_per_chunk(world):
    counts = {}
    for people in (4, 1100):
        assessment = new_assessment(world, f"T{people}")
        rows = [FileRow(n + 2, {"name": f"Person {n}", "email": f"p{n}@example.org",
                                "team": f"t{n % 4}"}) for n in range(people)]
        before = version(world[0].id)
        with statements() as sent:
            ids = respondents.add_respondents(org_of(world), assessment.id, rows, actor=None)
        assert version(world[0].id) == before + 1
        inserts = sent.count("INSERT INTO respondent")
        assert inserts == math.ceil(people / upsert.CHUNK)
        counts[people] = len(sent) - inserts
        stored = {r.id: r for r in db.session.scalars(select(Respondent).where(
            Respondent.assessment_id == assessment.id))}
        assert [(stored[i].name, stored[i].email, stored[i].team, stored[i].source)
                for i in ids] == [(f"Person {n}", f"p{n}@example.org", f"t{n % 4}", "survey")
                                  for n in range(people)]
        assert len({stored[i].survey_token for i in ids}) == people
    assert counts[4] == counts[1100]


def test_a_bad_cell_of_the_respondents_list_adds_nobody(world):
    assessment = new_assessment(world)
    rows = [FileRow(2, {"name": "Ann"}), FileRow(3, {"name": "Bo", "email": "not an email"}),
            FileRow(4, {"name": "ann"})]
    before = version(world[0].id)
    with pytest.raises(InvalidInput) as caught:
        respondents.add_respondents(org_of(world), assessment.id, rows, actor=None)
    assert sorted(caught.value.errors) == ["row 3, email", "row 4, name"]
    assert caught.value.errors["row 4, name"] == ["ann is given twice: row 2."]
    assert db.session.scalar(select(func.count(Respondent.id))) == 0
    assert version(world[0].id) == before


def backlog(count: int, cycle: bool = False) -> dict[str, Any]:
    edges = [(i, i + k) for i in range(count) for k in (1, 2, 3) if i + k < count]
    if cycle:
        edges.append((count - 1, 0))
    return {"initiatives": [{"ref": f"r{i}", "title": f"Initiative {i}",
                             "business_value": i % 20 + 1,
                             "uplifts": [{"dimension": CODES[i % DIMENSIONS], "expected": 0.5}],
                             "finding_ids": []}
                            for i in range(count)],
            "dependencies": [{"prerequisite_ref": f"r{a}", "dependent_ref": f"r{b}",
                              "lag_weeks": float(k % 2)} for k, (a, b) in enumerate(edges)]}


def test_the_backlog_import_writes_in_chunks_with_every_id_right(world):
    counts = {}
    for count in (10, 1100):  # 27 and 3,297 dependencies
        data = backlog(count)
        before = version(world[0].id)
        with statements() as sent:
            ids = initiatives_import.import_backlog(org_of(world), None, data)
        assert version(world[0].id) == before + 1
        per_table = {table: sent.count(f"INSERT INTO {table}")
                     for table in ("initiative", "dependency", "uplift", "audit_event")}
        edges = len(data["dependencies"])
        assert per_table == {"initiative": math.ceil(count / upsert.CHUNK),
                             "dependency": math.ceil(edges / upsert.CHUNK),
                             "uplift": math.ceil(count / upsert.CHUNK),
                             "audit_event": math.ceil(count / upsert.CHUNK)}
        counts[count] = len(sent) - sum(per_table.values())
        titles = dict(db.session.execute(select(Initiative.id, Initiative.title).where(
            Initiative.id.in_(ids.values()))).all())
        assert {ref: titles[i] for ref, i in ids.items()} == {
            f"r{i}": f"Initiative {i}" for i in range(count)}
        values = {i: v for i, v in db.session.execute(select(
            Initiative.id, Initiative.business_value).where(Initiative.id.in_(ids.values())))}
        assert all(values[ids[f"r{i}"]] == i % 20 + 1 for i in range(count))
        stored = set(db.session.execute(select(
            Dependency.prerequisite_id, Dependency.dependent_id, Dependency.lag_weeks).where(
            Dependency.dependent_id.in_(ids.values()))).all())
        assert stored == {(ids[e["prerequisite_ref"]], ids[e["dependent_ref"]], e["lag_weeks"])
                          for e in data["dependencies"]}
        assert db.session.scalar(select(func.count(Uplift.id)).where(
            Uplift.initiative_id.in_(ids.values()))) == count
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "import", AuditEvent.entity_id.in_(ids.values()))) == count
    assert counts[10] == counts[1100]


def test_a_backlog_with_a_cycle_or_a_bad_ref_imports_nothing(world):
    before = version(world[0].id)
    with pytest.raises(DependencyCycle):
        initiatives_import.import_backlog(org_of(world), None, backlog(20, cycle=True))
    data = backlog(5)
    data["dependencies"][2]["dependent_ref"] = "nowhere"
    with pytest.raises(InvalidInput) as caught:
        initiatives_import.import_backlog(org_of(world), None, data)
    assert list(caught.value.errors) == ["dependencies[2].dependent_ref"]
    assert db.session.scalar(select(func.count(Initiative.id))) == 0
    assert db.session.scalar(select(func.count(Dependency.id))) == 0
    assert version(world[0].id) == before


def test_a_failing_statement_rolls_back_the_whole_backlog(world, monkeypatch):
    """A write that fails after some chunks went in (here: the audit events) leaves
    nothing of the import and the version where it was."""
    before = version(world[0].id)
    real = upsert.write_many

    def failing(table: Any, rows: Any, **kwargs: Any) -> int:
        if table.name == "audit_event":
            raise RuntimeError("disk full")
        return real(table, rows, **kwargs)

    monkeypatch.setattr(initiatives_import, "write_many", failing)
    with pytest.raises(RuntimeError):
        initiatives_import.import_backlog(org_of(world), None, backlog(1100))
    assert db.session.scalar(select(func.count(Initiative.id))) == 0
    assert db.session.scalar(select(func.count(Dependency.id))) == 0
    assert version(world[0].id) == before
