"""Benchmark: the Monte Carlo forecast of a plan of 500 initiatives and 1,500 dependencies
(a seeded random DAG, every initiative with a three-point estimate), 10,000 runs, with
unlimited capacity and with 20 initiatives at once.

Each figure is CPU time of the process (steadier than the wall clock on a busy machine) and
a ratio to the same run's floor: one deterministic schedule of the same plan
(`tracker.domain.roadmap.schedule`, what the roadmap page computes once, slack search
included) and one bare list-scheduling run (`ListScheduler.end_weeks`, the roadmap's own
list scheduling, which each forecast run reproduces). The floors are the median of 5. The
ratios are per forecast run: the forecast's seconds over its runs, over the floor (the PERT
draws included, so 1 means a whole run, draws and all, costs one floor).

Run: `.venv/bin/python bench/forecast.py [--initiatives 500] [--dependencies 1500]
[--runs 10000] [--seed 0]`.
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import networkx as nx

from tracker.domain import roadmap as planning
from tracker.domain.forecast import Estimate, forecast

START = date(2027, 1, 4)


def _network(initiatives: int, dependencies: int, seed: int) -> tuple[
        nx.DiGraph, list[planning.PlanItem], dict[int, Estimate]]:
    """A seeded random DAG (edges from lower to higher ids), durations of 1 to 12 weeks,
    estimates from 0.7× to 1.8× the duration."""
    rng = random.Random(seed)
    edges: set[tuple[int, int]] = set()
    while len(edges) < dependencies:
        a, b = sorted(rng.sample(range(1, initiatives + 1), 2))
        edges.add((a, b))
    graph: nx.DiGraph = nx.DiGraph(sorted(edges))
    graph.add_nodes_from(range(1, initiatives + 1))
    items = [planning.PlanItem(node, float(rng.randint(1, 12)), rng.random())
             for node in range(1, initiatives + 1)]
    estimates = {item.id: Estimate(0.7 * item.weeks, item.weeks, 1.8 * item.weeks)
                 for item in items}
    return graph, items, estimates


def _cpu(work: Callable[[], Any], repeat: int = 5) -> float:
    """The median CPU seconds of `repeat` calls."""
    timings = []
    for _ in range(repeat):
        began = time.process_time()
        work()
        timings.append(time.process_time() - began)
    return statistics.median(timings)


def main() -> None:
    """Time the floors and the forecast, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initiatives", type=int, default=500)
    parser.add_argument("--dependencies", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    graph, items, estimates = _network(args.initiatives, args.dependencies, args.seed)
    print(f"{args.initiatives} initiatives, {args.dependencies} dependencies, "
          f"{args.runs} runs")
    print(f"{'capacity':>10} {'schedule s':>11} {'one run s':>10} {'forecast s':>11} "
          f"{'run ms':>7} {'run × schedule':>15} {'run × one run':>14} "
          f"{'P50/P85/P95 weeks':>22}")
    for label, capacity in (("unlimited", planning.Capacity()),
                            ("20", planning.Capacity(concurrent=20))):
        scheduler = planning.ListScheduler(graph, items, START, capacity)
        deterministic = _cpu(functools.partial(planning.schedule, graph, items, START, capacity))
        one_run = _cpu(scheduler.end_weeks)
        began = time.process_time()
        result = forecast(scheduler, estimates, runs=args.runs, seed=args.seed)
        seconds = time.process_time() - began
        spread, per_run = result.makespan, seconds / args.runs
        print(f"{label:>10} {deterministic:>11.4f} {one_run:>10.4f} {seconds:>11.2f} "
              f"{per_run * 1000:>7.3f} {per_run / deterministic:>15.3f} "
              f"{per_run / one_run:>14.2f} "
              f"{spread.p50:>8.1f}/{spread.p85:.1f}/{spread.p95:.1f}")


if __name__ == "__main__":
    main()
