"""Prometheus metrics (prometheus-client): the counters and histograms every process updates,
and the exposition of `GET /metrics`.

The process-wide metrics are defined here, once, so any layer may update them:

* `REQUEST_LATENCY`, `tracker_request_duration_seconds{method, endpoint, status}`: one
  observation per HTTP request (`tracker.security.observability`);
* `JOB_RUNS` and `JOB_FAILURES`, `tracker_job_runs_total{kind}` and
  `tracker_job_failures_total{kind}`: background jobs run and failed, by kind (`pdf`,
  `import`, ...).

The gauges of shared state (outbox depth and age, scheduler leader) are computed at scrape
time by a `ScrapeCollector` from a function the caller gives, so every web worker answers the
same figures, read from the database.

Several gunicorn workers: when `PROMETHEUS_MULTIPROC_DIR` is set (before the process starts),
prometheus-client keeps each worker's values in files of that folder and `exposition`
aggregates them (`MultiProcessCollector`), so any worker answers for all of them. The folder
must be empty when gunicorn starts (`gunicorn.conf.py` empties it and marks dead workers).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REQUEST_LATENCY = Histogram(
    "tracker_request_duration_seconds", "Time to answer an HTTP request, by endpoint and status.",
    ["method", "endpoint", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
JOB_RUNS = Counter("tracker_job_runs", "Background jobs run, by kind.", ["kind"])
JOB_FAILURES = Counter("tracker_job_failures", "Background jobs failed, by kind.", ["kind"])
CONTENT_TYPE = CONTENT_TYPE_LATEST


@dataclass(frozen=True)
class SharedState:
    """The figures of the scrape-time gauges: pending outbox messages, the age in seconds of
    the oldest one (0 when none), whether a scheduler leader is seen (None: not known)."""

    outbox_pending: int
    outbox_oldest_seconds: float
    scheduler_leader: bool | None


class ScrapeCollector(Collector):
    """The gauges of shared state, read by `read` at every scrape."""

    def __init__(self, read: Callable[[], SharedState]) -> None:
        self.read = read

    def collect(self) -> Iterator[Metric]:
        state = self.read()
        yield GaugeMetricFamily("tracker_outbox_pending", "Pending outbox messages.",
                                value=state.outbox_pending)
        yield GaugeMetricFamily("tracker_outbox_oldest_pending_seconds",
                                "Age of the oldest pending outbox message (0 when none).",
                                value=state.outbox_oldest_seconds)
        if state.scheduler_leader is not None:
            yield GaugeMetricFamily("tracker_scheduler_leader",
                                    "1 when a scheduler leader holds the lock, else 0.",
                                    value=1 if state.scheduler_leader else 0)


class _Forward(Collector):
    """The metrics of another registry (this process's, when not multiprocess)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        return self.registry.collect()


def multiprocess_dir() -> str | None:
    """The folder of the multiprocess mode, when set."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition(*extra: Collector) -> bytes:
    """The text exposition of every process's metrics and of `extra` collectors."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        MultiProcessCollector(registry)
    else:
        registry.register(_Forward(REGISTRY))
    for collector in extra:
        registry.register(collector)
    return generate_latest(registry)
