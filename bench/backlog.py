"""Benchmark: import 10,000 initiatives and 30,000 dependencies (a seeded random DAG) in one
call through the test client on SQLite, then time `GET .../backlog` (median of 5) and count
its SQL queries. Target: under 1.5 s. Run: `.venv/bin/python bench/backlog.py`."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from tracker import create_app
from tracker.extensions import db
from tracker.services.tenancy import accounts

INITIATIVES, DEPENDENCIES = 10_000, 30_000


def main() -> None:
    """Build the backlog, time the import and the ranking, print a table."""
    folder = Path(tempfile.mkdtemp())
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/b.db",
                      "TRACKER_SCHEDULER": False, "WTF_CSRF_ENABLED": False})
    rng = random.Random(4)
    with app.app_context():
        db.create_all()
        user = accounts.ensure_user("bench@example.org", "bench-password", name="Bench")
        user.is_admin = True
        db.session.commit()
    client = app.test_client()
    token = client.post("/api/v1/auth/tokens", json={"email": "bench@example.org",
                                                     "password": "bench-password"}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    org = client.post("/api/v1/orgs", json={"name": "Bench"}, headers=headers).json["id"]
    rows = [{"ref": str(i), "title": f"Initiative {i}", "business_value": rng.randint(1, 20),
             "time_criticality": rng.randint(1, 20), "risk_reduction": rng.randint(1, 20),
             "job_size": rng.choice([1, 2, 3, 5, 8, 13]), "duration_weeks": rng.randint(1, 20)}
            for i in range(INITIATIVES)]
    edges: set[tuple[int, int]] = set()
    while len(edges) < DEPENDENCIES:
        a, b = sorted(rng.sample(range(INITIATIVES), 2))
        edges.add((a, b))
    body = {"initiatives": rows, "dependencies": [
        {"prerequisite_ref": str(a), "dependent_ref": str(b)} for a, b in sorted(edges)]}
    began = time.perf_counter()
    response = client.post(f"/api/v1/orgs/{org}/initiatives/import", json=body, headers=headers)
    import_seconds = time.perf_counter() - began
    assert response.status_code == 201, response.json
    timings, queries = [], []
    with app.app_context():
        engine = db.engine
    for _ in range(5):
        count = [0]

        def counter(*_args: object, count: list[int] = count) -> None:
            count[0] += 1

        event.listen(engine, "before_cursor_execute", counter)
        began = time.perf_counter()
        response = client.get(f"/api/v1/orgs/{org}/backlog?per_page=200", headers=headers)
        timings.append(time.perf_counter() - began)
        event.remove(engine, "before_cursor_execute", counter)
        assert response.status_code == 200, response.json
        queries.append(count[0])
    print(f"{'measure':<40}{'value':>12}")
    print(f"{'import 10k initiatives + 30k deps (s)':<40}{import_seconds:>12.2f}")
    print(f"{'GET backlog, median of 5 (s)':<40}{statistics.median(timings):>12.3f}")
    print(f"{'SQL queries per GET backlog':<40}{queries[-1]:>12}")
    print(f"{'items ranked':<40}{response.json['total']:>12}")


if __name__ == "__main__":
    main()
