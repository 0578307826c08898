"""Benchmark of the diagnostic reads: scores, perception gaps and suggested findings.

Builds, through the services, an organization whose diagnostic on the built-in `pom-grid`
(32 dimensions) has N respondents rating every dimension, then times the API requests with
the Flask test client (median of 5 runs) and counts the SQL statements each one sends
(SQLAlchemy `before_cursor_execute`). Run: `.venv/bin/python bench/diagnostic.py`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from tracker import create_app
from tracker.extensions import db
from tracker.models import Finding
from tracker.seeding import frameworks as seeds
from tracker.services.frame import frameworks
from tracker.services.observe import assessments, ratings
from tracker.services.tenancy import accounts, organizations

ROLES = ("product_manager", "engineer", "designer", "business", "tech_lead")
TEAMS = tuple(f"team-{i}" for i in range(8))
LEVELS = ("leader", "manager", "team")
SOURCES = ("interview", "document", "observation", "survey")
RUNS = 5
LIMITS_MS = {"scores": 300, "perception-gaps?by=team": 500, "findings/suggest": 500}


def build(respondents: int, seed: int = 7) -> tuple[str, str]:
    """An admin token and the URL of an assessment with `respondents` × 32 ratings."""
    rng = random.Random(seed)
    seeds.seed_frameworks()
    framework = frameworks.load_framework(frameworks.find_framework("pom-grid").id)
    codes = list(frameworks.dimensions_by_code(framework))
    user = accounts.create_user(f"bench{respondents}@example.org", "bench password 1234",
                                admin=True)
    _, token = accounts.create_token(user)
    org = organizations.create_organization(user, {"name": f"Bench {respondents}"})
    assessment = assessments.create_assessment(org, {"framework_id": framework.id,
                                                     "title": "Diagnostic",
                                                     "kind": "diagnostic"})
    rows = []
    for i in range(respondents):
        level = rng.choice(LEVELS)
        person = assessments.add_respondent(org, assessment.id, {
            "name": f"R{i}", "role": rng.choice(ROLES), "team": rng.choice(TEAMS),
            "level": level, "source": rng.choice(SOURCES)})
        bias = 1 if level == "leader" else 0
        rows += [{"respondent_id": person.id, "dimension": code,
                  "value": min(5, rng.randint(1, 4) + bias), "comment": ""} for code in codes]
    ratings.upsert_ratings(org, assessment.id, rows)
    return token, f"/api/v1/orgs/{org.id}/assessments/{assessment.id}"


def measure(call: Callable[[], Any], statements: list[str],
            prepare: Callable[[], None] = lambda: None) -> tuple[float, float, int]:
    """Median wall and CPU milliseconds over `RUNS` calls (each after an untimed `prepare`)
    and the SQL statements of one call. CPU time is this process's only: on a busy machine
    it shows the cost of the request without the wait for a processor."""
    walls, cpus = [], []
    for _ in range(RUNS):
        prepare()
        statements.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        response = call()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
        assert response.status_code == 200, response.get_json()
    return statistics.median(walls), statistics.median(cpus), len(statements)


def bench(app: Any, respondents: int) -> list[tuple[str, int, float, float, int]]:
    """Rows of (request, respondents, median wall ms, median CPU ms, SQL statements)."""
    with app.app_context():
        token, url = build(respondents)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    results = []
    try:
        for name in ("scores", "perception-gaps?by=team"):
            wall, cpu, count = measure(
                lambda n=name: client.get(f"{url}/{n}", headers=headers), statements)
            results.append((f"GET .../{name}", respondents, wall, cpu, count))
        wall, cpu, count = measure(
            lambda: client.post(f"{url}/findings/suggest", headers=headers), statements,
            lambda: _forget_findings(app))
        results.append(("POST .../findings/suggest", respondents, wall, cpu, count))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return results


def _forget_findings(app: Any) -> None:
    """Each suggestion run starts with no stored finding, so every run writes them all."""
    with app.app_context():
        db.session.execute(Finding.__table__.delete())
        db.session.commit()


def main() -> None:
    """Build both sizes, print the table, and say whether the targets are met."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--respondents", type=int, nargs="+", default=[100, 500])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TRACKER_SCHEDULER": False,
                          "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
        with app.app_context():
            db.drop_all()
            db.create_all()
        rows = [row for n in args.respondents for row in bench(app, n)]
        with app.app_context():
            db.engine.dispose()
    print(f"{'request':<34}{'respondents':>12}{'wall ms':>9}{'cpu ms':>8}{'queries':>9}  target")
    for name, n, wall, cpu, count in rows:
        limit = next(v for k, v in LIMITS_MS.items() if name.endswith(k))
        verdict = "ok" if wall < limit else "SLOW"
        print(f"{name:<34}{n:>12}{wall:>9.1f}{cpu:>8.1f}{count:>9}  < {limit} ms {verdict}")


if __name__ == "__main__":
    main()
