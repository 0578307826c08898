"""Migrations: one head, `upgrade` from empty gives exactly the models' schema, and a database
with rows in it reaches head with its rows intact, from every revision and from every
historical version of 0001 (which was rewritten in place before revision 0002 repaired it)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Connection, create_engine, event, inspect, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import column
from sqlalchemy.sql.expression import TableClause

from tracker import create_app
from tracker.config import resource_dir
from tracker.extensions import db

# Revision 0001 as each earlier commit wrote it (`git show <commit>:migrations/versions/...`).
HISTORICAL_0001 = sorted(
    (Path(__file__).parents[1] / "data" / "migrations").glob("0001_as_*.py.txt"))
WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def _script_directory() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    return ScriptDirectory.from_config(config)


def _revisions_base_to_head() -> list[str]:
    """Every revision of the script directory, oldest first."""
    return [script.revision for script in reversed(list(_script_directory().walk_revisions()))]


def test_migrations_have_a_single_head():
    assert len(_script_directory().get_heads()) == 1


@pytest.fixture
def empty_database_url(tmp_path: Path, worker: str) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL database when
    TRACKER_TEST_DATABASE_URL is set (one per xdist worker, dropped afterwards)."""
    base = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"{url.database}_migrations_{worker}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def migrated_app(empty_database_url: str) -> Iterator[Flask]:
    """The application on the empty database, inside an app context."""
    application = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url,
                              "SECRET_KEY": "x", "TRACKER_SCHEDULER": False})
    with application.app_context():
        yield application
        db.engine.dispose()


def _schema_differences() -> list[Any]:
    """What autogenerate would change to make the live database match the models."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_the_models(empty_database_url: str, tmp_path: Path):
    application = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url,
                              "SECRET_KEY": "x", "TRACKER_SCHEDULER": False})
    with application.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


# Representative rows, in foreign-key order, with every column of the final schema. A row is
# inserted with the columns its table has at the revision under test, the others left out.
ROWS: dict[str, list[dict[str, Any]]] = {
    "organization": [{
        "id": 1, "name": "NovaTechna", "min_group_size": 3, "perception_gap_threshold": 1.5,
        "default_method": "wsjf", "quick_win_max_weeks": 4.0, "structural_min_weeks": 12.0,
        "timezone": "Europe/Paris", "locale": "fr", "created_at": WHEN}],
    "user": [{
        "id": 1, "email": "ann@example.org", "name": "Ann", "password_hash": "scrypt:1$ab$cd",
        "is_admin": True, "locale": "fr", "active": True, "created_at": WHEN}],
    "api_token": [{
        "id": 1, "user_id": 1, "name": "cli", "digest": "d" * 64, "last_used_at": WHEN,
        "expires_at": WHEN, "revoked_at": None, "created_at": WHEN}],
    "user_session": [{
        "id": 1, "user_id": 1, "digest": "s" * 64, "last_seen_at": WHEN, "revoked_at": None,
        "user_agent": "Firefox", "ip_address": "192.0.2.1", "created_at": WHEN}],
    "membership": [{"id": 1, "org_id": 1, "user_id": 1, "role": "lead", "created_at": WHEN}],
    "framework": [{
        "id": 1, "org_id": 1, "code": "samm", "name": "OWASP SAMM", "version": 2,
        "description": "Software assurance", "question_rule": "all",
        "source_weights": {"survey": 1.0, "evidence": 0.5}, "created_at": WHEN}],
    "axis": [{
        "id": 1, "framework_id": 1, "code": "gov", "name": "Governance", "description": "",
        "weight": 1.0, "position": 0}],
    "scale_level": [{
        "id": 1, "framework_id": 1, "value": 1.0, "label": "Initial", "descriptor": "Ad hoc"}],
    "dimension": [{
        "id": 1, "framework_id": 1, "axis_id": 1, "code": "gov.sm",
        "name": "Strategy & Metrics", "description": "Plan", "weight": 0.5, "position": 0,
        "levels": [{"value": 1, "label": "Initial"}]}],
    "question": [{
        "id": 1, "framework_id": 1, "dimension_id": 1, "code": "gov.sm.1",
        "text": "Is there a strategy?", "stream": "A", "position": 0,
        "answers": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]}],
    "assessment": [{
        "id": 1, "framework_id": 1, "title": "Spring 2026", "kind": "survey", "status": "open",
        "opened_at": WHEN, "closed_at": None, "org_id": 1, "created_at": WHEN}],
    "respondent": [{
        "id": 1, "assessment_id": 1, "name": "Bob", "email": "bob@example.org", "role": "dev",
        "team": "core", "level": "senior", "source": "survey", "survey_token": "t" * 43,
        "org_id": 1, "created_at": WHEN}],
    "rating": [{
        "id": 1, "assessment_id": 1, "respondent_id": 1, "dimension_id": 1, "value": 2.5,
        "comment": "Getting there", "org_id": 1}],
    "evidence": [{
        "id": 1, "assessment_id": 1, "respondent_id": 1, "text": "A written strategy",
        "source": "interview", "tone": "positive", "org_id": 1, "created_at": WHEN}],
    "evidence_dimension": [{"evidence_id": 1, "dimension_id": 1}],
    "initiative": [
        {"id": i, "title": f"Initiative {i}", "description": "Do it", "status": "proposed",
         "owner": "Ann", "duration_weeks": 6.0, "load": 0.5, "business_value": 8.0,
         "time_criticality": 5.0, "risk_reduction": 3.0, "job_size": 2.0, "reach": None,
         "impact": None, "confidence": None, "effort": None, "ease": None,
         "class_override": None, "pinned_start": date(2026, 4, 1), "actual_start": None,
         "actual_end": None, "template_code": "threat-modelling", "org_id": 1,
         "created_at": WHEN}
        for i in (1, 2)],
    "dependency": [{
        "id": 1, "prerequisite_id": 1, "dependent_id": 2, "lag_weeks": 1.0, "org_id": 1,
        "created_at": WHEN}],
    "finding": [{
        "id": 1, "assessment_id": 1, "kind": "gap", "title": "No metrics",
        "description": "Nothing is measured", "status": "open", "suggestion_key": "gov.sm",
        "metrics": {"gap": 1.25}, "org_id": 1, "created_at": WHEN}],
    "initiative_finding": [{"initiative_id": 1, "finding_id": 1}],
    "uplift": [{"id": 1, "initiative_id": 1, "dimension_id": 1, "expected": 0.5}],
    "target": [{
        "id": 1, "dimension_id": 1, "level": 3.0, "valid_from": date(2026, 1, 1), "org_id": 1,
        "created_at": WHEN}],
    "kpi": [{
        "id": 1, "name": "Lead time", "description": "", "unit": "days", "direction": "down",
        "target": 5.0, "org_id": 1, "created_at": WHEN}],
    "measurement": [{
        "id": 1, "kpi_id": 1, "value": 7.5, "measured_at": date(2026, 2, 1), "org_id": 1,
        "created_at": WHEN}],
    "pilot": [{
        "id": 1, "initiative_id": 1, "teams": ["core"], "value_stream": None,
        "hypothesis": "Faster", "success_criteria": "Lead time under 6 days",
        "kpi": "Lead time", "threshold": 6.0, "start": date(2026, 4, 1),
        "end": date(2026, 6, 30), "status": "running", "decision": None,
        "decision_date": None, "rationale": None, "decided_by": None, "org_id": 1,
        "created_at": WHEN}],
    "outbox_asset": [{
        "id": 1, "key": "chart-1", "filename": "chart.png", "mime": "image/png",
        "content": b"\x89PNG\r\n\x1a\n\x00", "created_at": WHEN}],
    "outbox_message": [{
        "id": 1, "org_id": 1, "dedupe_key": "survey:1:bob", "recipient": "bob@example.org",
        "subject": "Your survey", "text": "Hello", "html": None, "attachments": ["chart-1"],
        "status": "pending", "attempts": 0, "last_error": None, "next_attempt_at": WHEN,
        "sent_at": None, "created_at": WHEN}],
}

# The value a column added by a repair holds in rows that existed before it.
FILLED_BY_REPAIR: dict[tuple[str, str], Any] = {
    ("organization", "locale"): "en",
    ("initiative", "template_code"): None,
}


def _typed_table(name: str, columns: list[str]) -> TableClause:
    """A lightweight table with just `columns`, typed as in the models (so that datetimes,
    JSON and booleans go in and come out the same way on every database)."""
    model = db.metadata.tables[name]
    return table(name, *(column(c, model.c[c].type) for c in columns))


def _insert_rows(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """Insert ROWS into whichever of their tables exist, with the columns they have now."""
    existing = inspect(conn)
    inserted: dict[str, list[dict[str, Any]]] = {}
    for name, rows in ROWS.items():
        if not existing.has_table(name):
            continue
        present = {c["name"] for c in existing.get_columns(name)}
        inserted[name] = [{k: v for k, v in row.items() if k in present} for row in rows]
        conn.execute(_typed_table(name, list(inserted[name][0])).insert(), inserted[name])
    return inserted


def _read_rows(conn: Connection, inserted: dict[str, list[dict[str, Any]]],
               extra: dict[str, list[str]] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The rows now in each table of `inserted`, with the same columns (plus `extra`)."""
    found = {}
    for name, rows in inserted.items():
        columns = list(rows[0]) + (extra or {}).get(name, [])
        typed = _typed_table(name, columns)
        key = [typed.c[c.name] for c in db.metadata.tables[name].primary_key]
        query = select(typed).order_by(*key)
        found[name] = [dict(row) for row in conn.execute(query).mappings()]
    return found


@pytest.mark.parametrize("revision", _revisions_base_to_head())
def test_upgrade_from_each_revision_keeps_the_rows(migrated_app: Flask, revision: str):
    """A database at any revision, with rows in it, reaches head with the same rows and
    exactly the models' schema (the base revision, an empty database, is tested above)."""
    upgrade(revision=revision)
    with db.engine.begin() as conn:
        inserted = _insert_rows(conn)
    assert {"organization", "user", "framework", "assessment", "rating"} <= set(inserted)

    upgrade()

    with db.engine.connect() as conn:
        assert _read_rows(conn, inserted) == inserted
    assert _schema_differences() == []


def _scripts_with_historical_0001(tmp_path: Path, historical: Path) -> Path:
    """A copy of the migrations folder whose 0001 is `historical`, the later revisions as
    they are now."""
    scripts = tmp_path / "migrations"
    shutil.copytree(resource_dir("migrations"), scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(historical, scripts / "versions" / "0001_initial_schema.py")
    return scripts


@pytest.mark.parametrize("historical", HISTORICAL_0001,
                         ids=lambda path: path.name.removesuffix(".py.txt"))
def test_database_made_with_an_earlier_0001_is_repaired(migrated_app: Flask, tmp_path: Path,
                                                        historical: Path):
    """A database made with an earlier version of 0001 (stamped 0001 yet missing what later
    rewrites added) reaches head with exactly the models' schema and its rows intact."""
    scripts = str(_scripts_with_historical_0001(tmp_path, historical))
    upgrade(directory=scripts, revision="0001")
    with db.engine.begin() as conn:
        inserted = _insert_rows(conn)
    assert _schema_differences() != [], "this version of 0001 should lack something"

    upgrade(directory=scripts)

    filled = {t: [c] for (t, c) in FILLED_BY_REPAIR if t in inserted
              and c not in inserted[t][0]}
    with db.engine.connect() as conn:
        found = _read_rows(conn, inserted, filled)
    expected = {name: [{**row, **{c: FILLED_BY_REPAIR[name, c] for c in filled.get(name, [])}}
                       for row in rows]
                for name, rows in inserted.items()}
    assert found == expected
    assert _schema_differences() == []


def test_repair_does_nothing_on_a_database_made_with_the_final_0001(migrated_app: Flask):
    """0002 on a database made with the final 0001 only moves the version stamp."""
    upgrade(revision="0001")
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.strip())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        upgrade(revision="0002")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    changes = [s for s in statements
               if s.split()[0].upper() in {"CREATE", "ALTER", "DROP", "INSERT", "DELETE"}
               or (s.upper().startswith("UPDATE") and "alembic_version" not in s)]
    assert any("alembic_version" in s for s in statements), "the recorder saw nothing"
    assert changes == []
    upgrade()  # the later revisions add what the models gained since 0002
    assert _schema_differences() == []


def test_0004_renames_duplicate_respondent_names_before_making_them_unique(migrated_app: Flask):
    """A second (third...) respondent of one name in an assessment gets a free `Name (n)`;
    names unique already, and every rating, stay as they were."""
    upgrade(revision="0003")
    names = ["Bob", "Bob", "Bob (2)", "Bob", "Eve"]
    with db.engine.begin() as conn:
        for name in ("organization", "user", "framework", "axis", "scale_level", "dimension",
                     "assessment"):
            conn.execute(_typed_table(name, list(ROWS[name][0])).insert(), ROWS[name])
        people = [{**ROWS["respondent"][0], "id": n, "name": name, "survey_token": f"t{n}"}
                  for n, name in enumerate(names, start=1)]
        conn.execute(_typed_table("respondent", list(people[0])).insert(), people)
        ratings = [{**ROWS["rating"][0], "id": n, "respondent_id": n} for n in (1, 2, 4)]
        conn.execute(_typed_table("rating", list(ratings[0])).insert(), ratings)

    upgrade(revision="0004")

    with db.engine.connect() as conn:
        renamed = conn.execute(text("SELECT name FROM respondent ORDER BY id")).scalars().all()
        rated = conn.execute(text("SELECT respondent_id FROM rating ORDER BY id")).scalars()
        assert renamed == ["Bob", "Bob (3)", "Bob (2)", "Bob (4)", "Eve"]
        assert rated.all() == [1, 2, 4]
        with pytest.raises(IntegrityError):
            conn.execute(_typed_table("respondent", list(people[0])).insert(),
                         {**people[0], "id": 9, "survey_token": "t9"})
