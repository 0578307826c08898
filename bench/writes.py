"""Bench of the bulk writes and of the barometer email (issue 20), each as a ratio to the
least work it must do, measured in the same run on the same database.

- `ratings upsert`: `services.observe.ratings.upsert_ratings` of R respondents × 32
  dimensions of a fresh open assessment, against one raw DBAPI `executemany` of the same
  rows into a scratch table with the same columns and the same unique key;
- `ratings CSV import`: `ratings_import.import_ratings_csv` of R respondent rows × 32
  dimensions, against two `executemany` (the respondents, their ratings);
- `respondents import`: `respondents.add_respondents` of R rows, against one `executemany`;
- `initiatives import`: `initiatives_import.import_backlog` of N initiatives and 3N
  dependencies (and one uplift each), against one `executemany` per table;
- `barometer email`: the demo organization's barometer queued for M recipients then
  delivered by `outbox.deliver_pending` to a real aiosmtpd server on 127.0.0.1 (in this
  process, so both sides count), against smtplib sending the very bytes received, over one
  connection, to the same server.

Figures: CPU milliseconds of the process (`time.process_time`), SQL statements
(`before_cursor_execute`: an executemany counts once, a batch of insertmanyvalues once per
batch) and the growth of the peak resident memory (MB; 0 when an earlier step had already
used more). Run:

    .venv/bin/python bench/writes.py [--respondents 2000] [--initiatives 10000]
        [--emails 1000] [--only NAME] [--json]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench]

The PostgreSQL database must exist (`psql -h 127.0.0.1 -U postgres -c 'create database
bench'`); its tables are dropped and created.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import shutil
import smtplib
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import event, func, insert, select

from tests.builders import SCALE, one_dimension_axes
from tests.smtp_server import free_port
from tracker import create_app
from tracker.adapters.importers.respondents_file import FileRow
from tracker.extensions import db
from tracker.models import (
    Dependency,
    Dimension,
    Initiative,
    Organization,
    Rating,
    Respondent,
    Uplift,
)
from tracker.services.decide import initiatives_import
from tracker.services.follow import barometer_mail, outbox
from tracker.services.frame import frameworks
from tracker.services.observe import assessments, ratings, ratings_import, respondents

DIMENSIONS = 32


@dataclass
class Row:
    """One measured write and its floor."""

    write: str
    rows: int
    cpu_ms: float
    statements: int
    memory_mb: float
    floor_ms: float

    @property
    def ratio(self) -> float:
        return self.cpu_ms / self.floor_ms if self.floor_ms else float("inf")


class Counter:
    """SQL statements sent while attached."""

    def __init__(self) -> None:
        self.count = 0

    def __enter__(self) -> Counter:
        event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measured(work: Callable[[], Any]) -> tuple[float, int, float]:
    """CPU ms, statements and peak memory growth (MB) of one call."""
    peak = _peak_mb()
    with Counter() as counter:
        begin = time.process_time()
        work()
        cpu = (time.process_time() - begin) * 1000
    return cpu, counter.count, max(0.0, _peak_mb() - peak)


def raw_executemany(model: Any, rows: Sequence[dict[str, Any]]) -> float:
    """CPU ms of one DBAPI `executemany` of `rows` (plain INSERTs) into a scratch copy of
    the model's table: the same columns, indexes, unique and foreign keys (the work of the
    database itself is the same), created, filled and dropped in one transaction."""
    scratch = model.__table__.to_metadata(db.metadata, name=f"floor_{model.__tablename__}")
    for item in (*scratch.indexes, *scratch.constraints):
        if isinstance(item.name, str):
            item.name = f"floor_{item.name}"
    columns = list(rows[0])
    db.session.commit()  # the session's locks would hold the scratch table's DDL back
    with db.engine.begin() as conn:
        scratch.create(conn)
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        cursor = dbapi.cursor()
        mark = "?" if conn.dialect.name == "sqlite" else "%s"
        sql = (f"INSERT INTO {scratch.name} ({', '.join(columns)}) "
               f"VALUES ({', '.join([mark] * len(columns))})")
        values = [tuple(row[c] for c in columns) for row in rows]
        begin = time.process_time()
        cursor.executemany(sql, values)
        cpu = (time.process_time() - begin) * 1000
        scratch.drop(conn)
    db.metadata.remove(scratch)
    return cpu


def dimension_ids(framework_id: int | None) -> list[int]:
    """The dimension ids of a framework (any framework's with None), in id order."""
    stmt = select(Dimension.id).order_by(Dimension.id)
    if framework_id is not None:
        stmt = stmt.where(Dimension.framework_id == framework_id)
    return list(db.session.scalars(stmt))


def new_assessment(org: Organization, framework_id: int, title: str) -> Any:
    return assessments.create_assessment(org, {"framework_id": framework_id, "title": title,
                                               "kind": "diagnostic"})


def bench_upsert(org: Organization, framework_id: int, count: int) -> Row:
    assessment = new_assessment(org, framework_id, "Upsert")
    db.session.execute(insert(Respondent), [
        {"org_id": org.id, "assessment_id": assessment.id, "name": f"U{n}", "role": "eng",
         "team": f"t{n % 8}", "level": "team", "source": "survey",
         "survey_token": f"u-{assessment.id}-{n}"} for n in range(count)])
    db.session.commit()
    people = list(db.session.scalars(select(Respondent.id).where(
        Respondent.assessment_id == assessment.id).order_by(Respondent.id)))
    codes = [f"x{i}.d" for i in range(DIMENSIONS)]
    rows = [{"respondent_id": p, "dimension": c, "value": float(1 + (p + k) % 5)}
            for p in people for k, c in enumerate(codes)]
    cpu, statements, memory = measured(lambda: ratings.upsert_ratings(org, assessment.id, rows))
    dims = dict(zip(codes, dimension_ids(framework_id), strict=True))
    floor = raw_executemany(Rating, [
        {"org_id": org.id, "assessment_id": assessment.id, "respondent_id": r["respondent_id"],
         "dimension_id": dims[r["dimension"]], "value": r["value"], "comment": ""}
        for r in rows])
    return Row("ratings upsert", len(rows), cpu, statements, memory, floor)


def bench_csv(org: Organization, framework_id: int, count: int) -> Row:
    assessment = new_assessment(org, framework_id, "CSV")
    codes = [f"x{i}.d" for i in range(DIMENSIONS)]
    lines = [",".join(["name", "role", "team", "level", "source", *codes])]
    lines += [",".join([f"P{n}", "eng", f"t{n % 8}", "team", "survey",
                        *(str(1 + (n + k) % 5) for k in range(DIMENSIONS))])
              for n in range(count)]
    document = "\n".join(lines) + "\n"
    cpu, statements, memory = measured(
        lambda: ratings_import.import_ratings_csv(org, assessment.id, document))
    now = datetime.now(UTC).isoformat()
    people = [{"org_id": org.id, "assessment_id": assessment.id, "name": f"P{n}",
               "role": "eng", "team": f"t{n % 8}", "level": "team", "source": "survey",
               "survey_token": f"f{n}", "created_at": now} for n in range(count)]
    floor = raw_executemany(Respondent, people)
    ids = list(db.session.scalars(select(Respondent.id).where(
        Respondent.assessment_id == assessment.id).order_by(Respondent.id)))
    dims = dimension_ids(framework_id)
    floor += raw_executemany(Rating, [
        {"org_id": org.id, "assessment_id": assessment.id, "respondent_id": p,
         "dimension_id": dims[k], "value": float(1 + (n + k) % 5), "comment": ""}
        for n, p in enumerate(ids) for k in range(DIMENSIONS)])
    return Row("ratings CSV import", count * (1 + DIMENSIONS), cpu, statements, memory, floor)


def bench_respondents(org: Organization, framework_id: int, count: int) -> Row:
    assessment = new_assessment(org, framework_id, "Respondents")
    now = datetime.now(UTC).isoformat()
    rows = [FileRow(n + 2, {"name": f"Person {n}", "email": f"p{n}@example.org",
                            "team": f"t{n % 8}", "role": "eng"}) for n in range(count)]
    cpu, statements, memory = measured(
        lambda: respondents.add_respondents(org, assessment.id, rows, actor=None))
    floor = raw_executemany(Respondent, [
        {"org_id": org.id, "assessment_id": assessment.id, **row.cells,
         "survey_token": f"t{row.number}", "source": "survey", "created_at": now}
        for row in rows])
    return Row("respondents import", count, cpu, statements, memory, floor)


def bench_initiatives(org: Organization, count: int) -> Row:
    edges = [(i, i + k) for i in range(count) for k in (1, 2, 3) if i + k < count]
    dimension = "x0.d"
    data = {"initiatives": [{"ref": f"r{i}", "title": f"Initiative {i}", "business_value": 3,
                             "time_criticality": 2, "risk_reduction": 1, "job_size": 5,
                             "uplifts": [{"dimension": dimension, "expected": 0.5}],
                             "finding_ids": []} for i in range(count)],
            "dependencies": [{"prerequisite_ref": f"r{a}", "dependent_ref": f"r{b}",
                              "lag_weeks": 0.0} for a, b in edges]}
    cpu, statements, memory = measured(
        lambda: initiatives_import.import_backlog(org, None, data))
    now = datetime.now(UTC).isoformat()
    first = int(db.session.scalar(select(func.max(Initiative.id))) or 0) + 1
    floor = raw_executemany(Initiative, [
        {"id": first + i, "org_id": org.id, "title": f"Initiative {i}", "business_value": 3,
         "time_criticality": 2, "risk_reduction": 1, "job_size": 5, "created_at": now,
         "status": "proposed", "description": "", "version": 1} for i in range(count)])
    imported = first - count  # the import's ids (the scratch copy refers to them)
    floor += raw_executemany(Dependency, [
        {"org_id": org.id, "prerequisite_id": imported + a, "dependent_id": imported + b,
         "lag_weeks": 0.0, "created_at": now} for a, b in edges])
    dims = dimension_ids(None)
    floor += raw_executemany(Uplift, [
        {"initiative_id": imported + i, "dimension_id": dims[0], "expected": 0.5}
        for i in range(count)])
    return Row("initiatives import", count + len(edges), cpu, statements, memory, floor)


class RawCollector:
    """aiosmtpd handler keeping each message's bytes as received."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos),
                              envelope.original_content))
        return "250 OK"


def bench_email(app: Any, count: int) -> Row:
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    org = db.session.get(Organization, org_id)
    assert org is not None
    recipients = [f"reader{n}@example.org" for n in range(count)]
    collector = RawCollector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = {**app.config, "TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_PORT": port,
                  "TRACKER_SMTP_TLS": "off", "TRACKER_MAIL_FROM": "tracker@tracker.test"}

        def send() -> None:
            begin = time.process_time()
            barometer_mail.send_barometer(org, config, recipients=recipients,
                                          period="2026-Q4")
            split["queue"] = (time.process_time() - begin) * 1000
            sent = outbox.deliver_pending(config)
            assert sent.sent == count, sent

        split: dict[str, float] = {}
        cpu, statements, memory = measured(send)
        print(f"barometer emails: queue {split['queue']:,.0f} ms, "
              f"delivery {cpu - split['queue']:,.0f} ms CPU")
        assert len(collector.received) == count
        messages = list(collector.received)
        begin = time.process_time()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for sender, to, content in messages:
                smtp.sendmail(sender, to, content)
        floor = (time.process_time() - begin) * 1000
    finally:
        controller.stop()
    return Row("barometer emails", count, cpu, statements, memory, floor)


def markdown(rows: Sequence[Row], header: str) -> str:
    lines = [header, "", "| write | rows | CPU ms | statements | +MB peak | floor ms "
             "| × floor |", "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.write} | {r.rows:,} | {r.cpu_ms:,.0f} | {r.statements:,} | "
              f"{r.memory_mb:,.0f} | {r.floor_ms:,.0f} | {r.ratio:,.2f} |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--initiatives", type=int, default=10000)
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--only", default="", help="run only the writes whose name has this")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    tmp = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{tmp / 'writes.db'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "TRACKER_SCHEDULER": False, "TRACKER_MAIL_DIR": str(tmp / "mail"),
                      "TRACKER_BASE_URL": "http://tracker.test",
                      "TRACKER_RATINGS_IMPORT_MAX_ROWS": 100_000,
                      "TRACKER_RATINGS_IMPORT_MAX_BYTES": 100_000_000})
    rows: list[Row] = []
    try:
        with app.app_context():
            db.drop_all()
            db.create_all()
            framework = frameworks.import_framework_document(
                {"code": "bench", "name": "Bench", "version": 1, "scale": SCALE,
                 "axes": one_dimension_axes(DIMENSIONS)})
            org = Organization(name="Bench")
            db.session.add(org)
            db.session.commit()
            steps: list[tuple[str, Callable[[], Row]]] = [
                ("ratings upsert", lambda: bench_upsert(org, framework.id, args.respondents)),
                ("ratings CSV import", lambda: bench_csv(org, framework.id, args.respondents)),
                ("respondents import",
                 lambda: bench_respondents(org, framework.id, args.respondents)),
                ("initiatives import", lambda: bench_initiatives(org, args.initiatives)),
                ("barometer emails", lambda: bench_email(app, args.emails))]
            for name, step in steps:
                if args.only in name:
                    rows.append(step())
                    db.session.rollback()
            db.session.remove()
            db.drop_all()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    dialect = url.split(":")[0]
    if args.json:
        print(json.dumps({"database": dialect, "rows": [
            {**asdict(r), "ratio": round(r.ratio, 3)} for r in rows]}, indent=2))
    else:
        print(markdown(rows, f"Writes on {dialect} ({args.respondents:,} respondents, "
                             f"{args.initiatives:,} initiatives, {args.emails:,} emails)"))


if __name__ == "__main__":
    main()
