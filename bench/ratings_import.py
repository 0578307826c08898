"""Benchmark of the ratings CSV import at its row limit, as a ratio to a raw floor.

Builds a framework of 32 one-dimension axes and an assessment, then imports a seeded CSV of
N respondent rows (default 5,000: the `TRACKER_RATINGS_IMPORT_MAX_ROWS` default) through
`services.observe.ratings_import`, counting its SQL statements. The floor, measured in the
same run on the same database, reads the same CSV with the `csv` module and writes the same
respondents and ratings into two scratch tables with one `executemany` each. Run:
`.venv/bin/python bench/ratings_import.py [--rows 5000]`.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from tests.builders import SCALE, one_dimension_axes
from tracker import create_app
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.frame import frameworks
from tracker.services.observe import assessments, ratings_import

DIMENSIONS = 32
HEADER = ("name", "role", "team", "level", "source")


def csv_text(rows: int, codes: list[str], seed: int = 0) -> str:
    """A ratings CSV of `rows` respondents rating every dimension 1 to 5."""
    rng = random.Random(seed)
    lines = [",".join([*HEADER, *codes])]
    lines += [",".join([f"P{n}", "engineer", f"team-{n % 8}", "team", "survey",
                        *(str(rng.randint(1, 5)) for _ in codes)]) for n in range(rows)]
    return "\n".join(lines) + "\n"


def floor(document: str) -> float:
    """CPU seconds of the least work the import must do: parse, then two executemany."""
    start = time.process_time()
    reader = csv.reader(io.StringIO(document))
    header = next(reader)
    people, values = [], []
    for n, row in enumerate(reader):
        people.append({"id": n, "name": row[0], "role": row[1], "team": row[2],
                       "level": row[3], "source": row[4]})
        values += [{"respondent": n, "dimension": code, "value": float(cell)}
                   for code, cell in zip(header[5:], row[5:], strict=True)]
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE floor_people (id INTEGER, name TEXT, role TEXT, "
                          "team TEXT, level TEXT, source TEXT)"))
        conn.execute(text("CREATE TABLE floor_ratings (respondent INTEGER, dimension TEXT, "
                          "value REAL)"))
        conn.execute(text("INSERT INTO floor_people VALUES (:id, :name, :role, :team, "
                          ":level, :source)"), people)
        conn.execute(text("INSERT INTO floor_ratings VALUES (:respondent, :dimension, "
                          ":value)"), values)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'b.db'}",
                      "SECRET_KEY": "bench", "TRACKER_SCHEDULER": False,
                      "TRACKER_MAIL_DIR": str(tmp / "mail")})
    with app.app_context():
        db.create_all()
        framework = frameworks.import_framework_document(
            {"code": "bench", "name": "Bench", "version": 1, "scale": SCALE,
             "axes": one_dimension_axes(DIMENSIONS)})
        org = Organization(name="Bench")
        db.session.add(org)
        db.session.commit()
        assessment = assessments.create_assessment(
            org, {"framework_id": framework.id, "title": "Diagnostic", "kind": "diagnostic"})
        document = csv_text(args.rows, [f"x{i}.d" for i in range(DIMENSIONS)])
        statements = [0]

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(*_args: Any) -> None:
            statements[0] += 1

        start = time.process_time()
        result = ratings_import.import_ratings_csv(org, assessment.id, document)
        cpu = time.process_time() - start
        counted = statements[0]
        floor_cpu = floor(document)
        print(f"{args.rows} rows x {DIMENSIONS} dimensions ({len(document) / 1e6:.2f} MB): "
              f"import {cpu:.2f} s CPU in {counted} statements, {result.ratings} ratings; "
              f"floor {floor_cpu:.2f} s CPU; ratio {cpu / floor_cpu:.1f}x")


if __name__ == "__main__":
    main()
