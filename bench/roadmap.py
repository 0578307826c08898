"""Benchmark: the roadmap of 10,000 initiatives and 30,000 dependencies on SQLite.

Inserts a seeded random DAG through the models (bulk insert), then times
`GET /api/v1/orgs/{id}/roadmap?capacity=20` through the test client (median of 5) and the pure
`tracker.domain.roadmap.schedule` alone on the same data, and prints both and their ratio
(the overhead of loading and serializing). Target: the request under 2 s.

Run: `.venv/bin/python bench/roadmap.py [--initiatives N] [--dependencies M] [--seed S]`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert

from tracker import create_app
from tracker.domain import roadmap as planning
from tracker.extensions import db
from tracker.models import Dependency, Initiative, Organization
from tracker.services.plan.roadmap import PlanParams, load_network
from tracker.services.tenancy import accounts

START = date(2027, 1, 4)
RUNS = 5


def random_dag(count: int, edges: int, rng: random.Random) -> set[tuple[int, int]]:
    """`edges` distinct pairs `(i, j)` with `i < j`: acyclic by construction."""
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        a, b = rng.sample(range(count), 2)
        pairs.add((min(a, b), max(a, b)))
    return pairs


def populate(org_id: int, count: int, edges: int, seed: int) -> None:
    """Insert the initiatives and dependencies in bulk, ids in order."""
    rng = random.Random(seed)
    first = (db.session.query(db.func.max(Initiative.id)).scalar() or 0) + 1
    db.session.execute(insert(Initiative), [
        {"id": first + k, "org_id": org_id, "title": f"Initiative {k}", "status": "approved",
         "description": "", "duration_weeks": rng.choice([1, 2, 3, 4, 6, 8, 12]),
         "load": float(rng.randint(1, 5)), "business_value": rng.randint(1, 20),
         "time_criticality": rng.randint(1, 20), "risk_reduction": rng.randint(1, 20),
         "job_size": rng.randint(1, 13)} for k in range(count)])
    db.session.execute(insert(Dependency), [
        {"org_id": org_id, "prerequisite_id": first + a, "dependent_id": first + b,
         "lag_weeks": 0.0} for a, b in sorted(random_dag(count, edges, rng))])
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initiatives", type=int, default=10_000)
    parser.add_argument("--dependencies", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=20_27)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "TRACKER_SCHEDULER": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}"})
        with app.app_context():
            db.create_all()
            user = accounts.create_user("bench@example.org", "bench-password", admin=True)
            _, token = accounts.create_token(user)
            org = Organization(name="Bench")
            db.session.add(org)
            db.session.commit()
            org_id = org.id
            populate(org_id, args.initiatives, args.dependencies, args.seed)
            network = load_network(org)
        client = app.test_client()
        url = f"/api/v1/orgs/{org_id}/roadmap?capacity=20&start={START.isoformat()}"
        api_times = []
        for _ in range(RUNS):
            begin = time.perf_counter()
            response = client.get(url, headers={"Authorization": f"Bearer {token}"})
            api_times.append(time.perf_counter() - begin)
            assert response.status_code == 200, response.get_json()
        domain_times = []
        for _ in range(RUNS):
            begin = time.perf_counter()
            plan = planning.schedule(network.graph, network.items, START,
                                     PlanParams(capacity=20).capacity_limit())
            domain_times.append(time.perf_counter() - begin)
        api, pure = statistics.median(api_times), statistics.median(domain_times)
        print(f"{args.initiatives} initiatives, {args.dependencies} dependencies, capacity 20: "
              f"makespan {plan.makespan_weeks:g} weeks, {len(response.get_json()['initiatives'])}"
              " initiatives answered")
        print(f"GET /roadmap (median of {RUNS}): {api:.3f} s")
        print(f"domain.roadmap.schedule alone (median of {RUNS}): {pure:.3f} s")
        print(f"ratio request / pure scheduling: {api / pure:.2f}")
        print(f"target < 2 s: {'met' if api < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
