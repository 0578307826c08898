"""A ratings CSV import writes in bounded chunks inside its one transaction (issue 13,
finding 10): a statement per `CHUNK` respondents and per `CHUNK` ratings, never one per row
nor one for the whole file, no reading back of every respondent after the commit, and a file
beyond its row or byte limit stops before anything is written."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from tests.builders import SCALE, one_dimension_axes
from tracker.domain.errors import InvalidInput, TooLarge
from tracker.extensions import db
from tracker.models import Organization, Rating, Respondent
from tracker.services.frame import frameworks
from tracker.services.observe import assessments, ratings_import

DIMENSIONS = 8


@pytest.fixture
def assessment(app: Flask) -> Any:
    """An assessment of a new organization on a grid of `DIMENSIONS` dimensions."""
    framework = frameworks.import_framework_document({
        "code": "chunks", "name": "Chunks", "version": 1, "scale": SCALE,
        "axes": one_dimension_axes(DIMENSIONS)})
    org = Organization(name="Acme")
    db.session.add(org)
    db.session.commit()
    return assessments.create_assessment(org, {"framework_id": framework.id, "title": "T",
                                               "kind": "diagnostic"})


def ratings_csv(rows: int, bad_row: int | None = None) -> str:
    """`rows` respondents rating every dimension; `bad_row` (1-based) rates out of scale."""
    codes = [f"x{i}.d" for i in range(DIMENSIONS)]
    lines = [",".join(["name", "role", "team", "level", "source", *codes])]
    lines += [",".join([f"P{n}", "eng", "claims", "team", "survey",
                        *["9" if n + 1 == bad_row else str(1 + n % 5)] * len(codes)])
              for n in range(rows)]
    return "\n".join(lines) + "\n"


def import_csv(assessment: Any, text: str) -> ratings_import.CsvImportResult:
    """Import `text` into the assessment, as its organization."""
    org = db.session.get(Organization, assessment.org_id)
    return ratings_import.import_ratings_csv(org, assessment.id, text)


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every statement sent to the database inside the block (an executemany counts once)."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()[:3]))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_large_file_is_written_a_chunk_at_a_time_and_not_read_back(assessment):
    rows = 2500
    start = time.perf_counter()
    with statements() as sent:
        result = import_csv(assessment, ratings_csv(rows))
    seconds = time.perf_counter() - start
    print(f"{rows} rows x {DIMENSIONS}: {seconds:.2f} s, {len(sent)} statements")

    chunk = 1000  # rows per statement
    per_chunk = [min(chunk, rows - first) * DIMENSIONS for first in range(0, rows, chunk)]
    assert sent.count("INSERT INTO respondent") == math.ceil(rows / chunk)
    assert sent.count("INSERT INTO rating") == sum(math.ceil(n / chunk) for n in per_chunk)
    assert len(sent) < 3 * sum(math.ceil(n / chunk) for n in per_chunk) + 20
    assert result.ratings == rows * DIMENSIONS
    stored = db.session.scalars(select(Respondent.id).where(
        Respondent.assessment_id == assessment.id).order_by(Respondent.name)).all()
    assert sorted(result.respondent_ids) == sorted(stored)
    assert db.session.scalar(select(func.count(Rating.id))) == rows * DIMENSIONS
    assert chunk == ratings_import.CHUNK


def test_ids_come_back_in_file_order_and_names_keep_their_cells(assessment):
    result = import_csv(assessment, ratings_csv(3))

    names = [db.session.get(Respondent, rid).name for rid in result.respondent_ids]
    assert names == ["P0", "P1", "P2"]
    values = dict(db.session.execute(select(Respondent.name, func.max(Rating.value)).join(
        Rating, Rating.respondent_id == Respondent.id).group_by(Respondent.name)).all())
    assert values == {"P0": 1.0, "P1": 2.0, "P2": 3.0}


def test_reading_stops_at_the_first_row_over_the_limit(app, assessment, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_RATINGS_IMPORT_MAX_ROWS", 3)

    assert len(import_csv(assessment, ratings_csv(3)).respondent_ids) == 3
    with pytest.raises(TooLarge) as caught:  # row 6 (the 5th respondent) is never checked
        import_csv(assessment, ratings_csv(5, bad_row=5).replace("P", "Q"))
    assert caught.value.extra == {"limit": 3}
    assert "row 5 is over the limit" in caught.value.detail
    assert db.session.scalar(select(func.count(Respondent.id))) == 3


def test_a_failing_chunk_rolls_back_the_whole_file(assessment, monkeypatch):
    monkeypatch.setattr(ratings_import, "CHUNK", 2)

    with pytest.raises(InvalidInput):
        import_csv(assessment, ratings_csv(5, bad_row=5))
    assert db.session.scalar(select(func.count(Respondent.id))) == 0
    result = import_csv(assessment, ratings_csv(5))
    assert len(result.respondent_ids) == 5 and result.ratings == 5 * DIMENSIONS


def test_a_cell_over_the_csv_field_limit_is_a_named_error(assessment):
    text = ratings_csv(1) + "P9," + "x" * 200_000 + ",claims,team,survey\n"

    with pytest.raises(InvalidInput) as caught:
        import_csv(assessment, text)
    assert caught.value.errors == {"row 3": ["Field larger than field limit (131072)."]}


def test_the_cli_file_keeps_within_the_byte_limit(app, assessment, tmp_path: Path,
                                                   monkeypatch):
    path = tmp_path / "ratings.csv"
    path.write_text(ratings_csv(50))
    monkeypatch.setitem(app.config, "TRACKER_RATINGS_IMPORT_MAX_BYTES", 1024)

    with pytest.raises(TooLarge) as caught:
        ratings_import.import_ratings_file(assessment.org_id, assessment.id, path)
    assert caught.value.extra == {"limit": 1024}
    assert "1 KiB" in caught.value.detail and "Split it" in caught.value.detail
