"""Benchmark: the roadmap's scheduling at 100, 1,000 and 10,000 initiatives, then the
roadmap request of 10,000 initiatives and 30,000 dependencies on SQLite.

First, for each size, a seeded random DAG with three dependencies per initiative is built in
memory and the pure `tracker.domain.roadmap.schedule` is timed (median of 5, in CPU time of
the process, steadier than the wall clock on a busy machine) with unlimited
capacity and with 20 initiatives at once, each as a ratio to the same run's floor: a networkx
topological sort of the same graph (the least any schedule must do). Under limited capacity
the slack search re-simulates the plan, within `SLACK_BUDGET`: the table says how many
initiatives' slack it could not verify. Then it inserts the largest network through the
models (bulk insert) and times `GET /api/v1/orgs/{id}/roadmap?capacity=20` through the test
client (median of 5). Target: the request under 2 s.

Run: `.venv/bin/python bench/roadmap.py [--sizes 100 1000 10000] [--initiatives N]
[--dependencies M] [--seed S]`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
from sqlalchemy import insert

from tracker import create_app
from tracker.domain import roadmap as planning
from tracker.domain.graph import build_graph
from tracker.extensions import db
from tracker.models import Dependency, Initiative, Organization
from tracker.services.tenancy import accounts

START = date(2027, 1, 4)
RUNS = 5
DURATIONS = (1, 2, 3, 4, 6, 8, 12)
CAPACITY = 20


def random_dag(count: int, edges: int, rng: random.Random) -> set[tuple[int, int]]:
    """`edges` distinct pairs `(i, j)` with `i < j`: acyclic by construction."""
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        a, b = rng.sample(range(count), 2)
        pairs.add((min(a, b), max(a, b)))
    return pairs


def median_time(work: Callable[[], Any]) -> tuple[float, Any]:
    """The median CPU seconds of the process over `RUNS` calls (steadier than the wall clock
    on a shared machine; everything here runs in this one thread), and the last result."""
    times, result = [], None
    for _ in range(RUNS):
        begin = time.process_time()
        result = work()
        times.append(time.process_time() - begin)
    return statistics.median(times), result


def scheduling_row(count: int, seed: int) -> str:
    """One line of the table: the floor and both schedules of a network of `count`."""
    rng = random.Random(seed)
    graph = build_graph(range(count), sorted(random_dag(count, 3 * count, rng)))
    items = {n: planning.PlanItem(n, rng.choice(DURATIONS), rng.randint(1, 50),
                                  load=float(rng.randint(1, 5))) for n in range(count)}
    floor, _ = median_time(lambda: list(nx.topological_sort(graph)))
    unlimited, _ = median_time(lambda: planning.schedule(graph, items, START))
    limited, plan = median_time(lambda: planning.schedule(
        graph, items, START, planning.Capacity(concurrent=CAPACITY)))
    return (f"{count:>7} {floor * 1e3:>9.2f} {unlimited * 1e3:>10.1f} {unlimited / floor:>6.0f}"
            f" {limited * 1e3:>10.1f} {limited / floor:>6.0f} {len(plan.slack_unverified):>11}")


def populate(org_id: int, count: int, edges: int, seed: int) -> None:
    """Insert the initiatives and dependencies in bulk, ids in order."""
    rng = random.Random(seed)
    first = (db.session.query(db.func.max(Initiative.id)).scalar() or 0) + 1
    db.session.execute(insert(Initiative), [
        {"id": first + k, "org_id": org_id, "title": f"Initiative {k}", "status": "approved",
         "description": "", "duration_weeks": rng.choice(DURATIONS),
         "load": float(rng.randint(1, 5)), "business_value": rng.randint(1, 20),
         "time_criticality": rng.randint(1, 20), "risk_reduction": rng.randint(1, 20),
         "job_size": rng.randint(1, 13)} for k in range(count)])
    db.session.execute(insert(Dependency), [
        {"org_id": org_id, "prerequisite_id": first + a, "dependent_id": first + b,
         "lag_weeks": 0.0} for a, b in sorted(random_dag(count, edges, rng))])
    db.session.commit()


def request_time(count: int, edges: int, seed: int) -> tuple[float, dict[str, Any]]:
    """The median time of the roadmap request on a fresh SQLite database, and its body."""
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
            populate(org_id, count, edges, seed)
        client = app.test_client()
        url = f"/api/v1/orgs/{org_id}/roadmap?capacity={CAPACITY}&start={START.isoformat()}"

        def get() -> Any:
            response = client.get(url, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200, response.get_json()
            return response.get_json()

        return median_time(get)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--initiatives", type=int, default=10_000)
    parser.add_argument("--dependencies", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=20_27)
    args = parser.parse_args()
    print(f"schedule() in CPU ms (median of {RUNS}); ratios to the topological sort floor; "
          f"capacity {CAPACITY}; SLACK_BUDGET {planning.SLACK_BUDGET:,}")
    print("initiatives  floor   unlimited  ratio    limited  ratio  unverified")
    for count in args.sizes:
        print(scheduling_row(count, args.seed), flush=True)
    seconds, body = request_time(args.initiatives, args.dependencies, args.seed)
    print(f"GET /roadmap?capacity={CAPACITY}, {args.initiatives} initiatives and "
          f"{args.dependencies} dependencies (CPU, median of {RUNS}): {seconds:.3f} s, makespan "
          f"{body['makespan_weeks']:g} weeks, {len(body['initiatives'])} initiatives answered")
    print(f"target < 2 s: {'met' if seconds < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
