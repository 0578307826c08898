"""Bounded load test (issue 20): a mixed week of reads under gunicorn on PostgreSQL.

Builds the small organization of `scale.py` (1k initiatives, 3k dependencies, 100
respondents, 4 closed assessments; its builder, in bulk) in a PostgreSQL database (created
when absent; its tables are dropped and created), starts the production command
`gunicorn -c gunicorn.conf.py 'tracker:create_app()'` on a free loopback port with
`--workers` workers of `--threads` threads, configured from the environment as in
production (`TRACKER_DATABASE_URL`, ...; the scheduler and the anti-automation rate limits
off), and drives it from this process with `--clients` concurrent clients (threads, one
keep-alive `http.client` connection each; pages signed in as the lead, API calls with the
lead's token), each picking the next read at random with the weights of `MIX`. After
`--warmup` seconds, whose answers are not counted, it counts for `--duration` seconds, then
stops the server and prints throughput (answers per second), latency p50/p95/p99 (wall, ms),
errors (an answer other than 200, or a broken connection) and the CPU milliseconds per
answer of the workers and of the PostgreSQL backends serving them (user + system time from
/proc over the measured window), with the throughput that CPU allows on idle cores (the
figure to compare when the machine is shared: the measured throughput then depends on the
other processes).

Traffic goes only to 127.0.0.1; the run is bounded in time (`--duration` at most 600 s)
and in answers (`--max-requests`).

    .venv/bin/python bench/load.py [--duration 30] [--clients 8] [--workers 2] [--json]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_load] [--reuse]

Acceptance (issue 20): at least 3 × 24.6 = 73.8 answers per second on two workers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import scale
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from tracker import create_app
from tracker.extensions import db
from tracker.models import Assessment, Initiative, Organization, User

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_load"
#: The acceptance figure of issue 20: three times the 24.6 answers/s measured before it.
TARGET = 3 * 24.6
#: (name, path template, through the API, weight): a week of reads, half API, half pages.
MIX: tuple[tuple[str, str, bool, int], ...] = (
    ("API backlog", "{api}/backlog", True, 20),
    ("API roadmap", "{api}/roadmap?start={start}", True, 10),
    ("API scores", "{api}/{one}/scores", True, 10),
    ("API perception gaps", "{api}/{one}/perception-gaps?by=team", True, 5),
    ("API barometer", "{api}/barometer", True, 5),
    ("page backlog", "{page}/backlog", False, 15),
    ("page roadmap", "{page}/roadmap?start={start}", False, 10),
    ("page initiative", "{page}/initiatives/{initiative}", False, 10),
    ("page diagnostic", "{page}/{one}", False, 8),
    ("page barometer", "{page}/barometer", False, 5),
    ("page dependencies", "{page}/dependencies", False, 2),
)
#: `--mix api`: the API reads of `MIX` alone, with the same weights.
MIXES = {"week": MIX, "api": tuple(read for read in MIX if read[2])}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Tally:
    """What the clients saw in the measured window (shared, under a lock)."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float, ok: bool) -> None:
        """One answer (or failure) of the read `name`."""
        with self.lock:
            if ok:
                self.latencies.setdefault(name, []).append(seconds)
            else:
                self.errors[name] = self.errors.get(name, 0) + 1


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of `values` (sorted here), in the values' unit."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` when it does not exist."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                            {"n": target.database})
        if not found:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def prepare(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Build the organization (or find it, with `--reuse`); the paths' parameters."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-load",
                      "TRACKER_SCHEDULER": False, "TRACKER_MAIL_DIR": tempfile.mkdtemp()})
    with app.app_context():
        lead = None
        if args.reuse:
            try:
                lead = db.session.scalar(select(User).where(User.email == scale.LEAD_EMAIL))
            except Exception:
                db.session.rollback()
        if lead is None:
            db.drop_all()
            db.create_all()
            org = scale.build(args.initiatives, args.respondents, args.assessments,
                              args.history_respondents, args.seed)
            org_id, latest, initiative, token = (org.id, org.latest_assessment, org.initiative,
                                                 org.token)
        else:
            from tracker.services.tenancy import accounts

            _, token = accounts.create_token(lead)
            db.session.commit()
            org_id = db.session.scalar(select(Organization.id).where(
                Organization.name == "Bench"))
            latest = db.session.scalar(select(Assessment.id).where(
                Assessment.org_id == org_id, Assessment.status == "closed")
                .order_by(Assessment.closed_at.desc()))
            ids = list(db.session.scalars(select(Initiative.id).where(
                Initiative.org_id == org_id).order_by(Initiative.id)))
            initiative = ids[len(ids) // 2]
        db.engine.dispose()
    return {"api": f"/api/v1/orgs/{org_id}", "page": f"/orgs/{org_id}",
            "one": f"assessments/{latest}", "start": scale.START, "initiative": initiative,
            "token": token}


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, port: int, args: argparse.Namespace, log: Path
                 ) -> subprocess.Popen[bytes]:
    """gunicorn as in production, on 127.0.0.1:`port`; returns once it answers."""
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}",
           "WEB_CONCURRENCY": str(args.workers), "GUNICORN_THREADS": str(args.threads),
           "TRACKER_DATABASE_URL": url, "TRACKER_SECRET_KEY": "bench-load",
           "TRACKER_SCHEDULER": "off", "TRACKER_RATELIMIT": "off",
           "TRACKER_MAIL_DIR": tempfile.mkdtemp(), "TRACKER_LOG_LEVEL": args.log_level,
           "PYTHONPATH": str(ROOT)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "tracker:create_app()"], cwd=ROOT, env=env,
        stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer in 60 s; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn (its master, which stops its workers) and wait for it."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def cpu_seconds(pids: set[int] | None = None, parent: int | None = None) -> float:
    """User + system CPU seconds, from /proc, of the processes `pids` and of the children
    of `parent` (gunicorn's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[0] is the state, [1] the parent's pid, [11] and [12] utime and stime
        if int(entry.name) in (pids or ()) or (parent is not None and int(fields[1]) == parent):
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def database_backends(url: str) -> set[int]:
    """The pids of the PostgreSQL backends connected to the bench's database (the
    workers' pooled connections), whose CPU is the database's share of each answer."""
    engine = create_engine(url)
    with engine.connect() as conn:
        pids = {int(pid) for pid in conn.scalars(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"))}
    engine.dispose()
    return pids


class Client:
    """One signed-in user agent with one keep-alive connection."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token, self.cookie = port, token, ""
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, Any]:
        """One request; reconnects once when the server closed the connection."""
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response.status, response.read(), response.headers
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def sign_in(self) -> None:
        """The lead's browser session: the sign-in form with its CSRF token."""
        _, page, headers = self.request("GET", "/login")
        self.cookie = self._cookie(headers)
        found = CSRF.search(page.decode())
        form = urllib.parse.urlencode({"csrf_token": found.group(1) if found else "",
                                       "email": scale.LEAD_EMAIL, "password": scale.PASSWORD})
        status, _, headers = self.request("POST", "/login", form, {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie})
        if status != 302:
            raise SystemExit(f"sign-in failed: {status}")
        self.cookie = self._cookie(headers) or self.cookie

    @staticmethod
    def _cookie(headers: Any) -> str:
        return "; ".join(value.split(";", 1)[0] for value in headers.get_all("Set-Cookie") or ())

    def get(self, path: str, through_api: bool) -> int:
        """GET `path`; its status."""
        headers = ({"Authorization": f"Bearer {self.token}"} if through_api
                   else {"Cookie": self.cookie})
        status, _, _ = self.request("GET", path, headers=headers)
        return status


def drive(port: int, params: dict[str, Any], args: argparse.Namespace,
          server: subprocess.Popen[bytes]) -> dict[str, Any]:
    """Run the clients: warm-up, then the measured window; the figures."""
    reads = [(name, template.format(**params), api, weight)
             for name, template, api, weight in MIXES[args.mix]]
    clients = [Client(port, params["token"]) for _ in range(args.clients)]
    for client in clients:
        client.sign_in()
    for name, path, api, _ in reads:  # every read answers before the load starts
        status = clients[0].get(path, api)
        if status != 200:
            raise SystemExit(f"{name} answered {status}: {path}")
    tally = Tally()
    begin = time.monotonic()
    measure_from = begin + args.warmup
    end = measure_from + args.duration
    counted = [0]
    cpu: dict[str, float] = {}

    def run(index: int) -> None:
        rng = random.Random(args.seed + index)
        client = clients[index]
        weights = [r[3] for r in reads]
        while (now := time.monotonic()) < end and counted[0] < args.max_requests:
            name, path, api, _ = rng.choices(reads, weights)[0]
            started = time.perf_counter()
            try:
                ok = client.get(path, api) == 200
            except (http.client.HTTPException, OSError):
                ok = False
            if now >= measure_from:
                tally.add(name, time.perf_counter() - started, ok)
                with tally.lock:
                    counted[0] += 1

    backends: set[int] = set()

    def mark() -> None:
        time.sleep(max(0.0, measure_from - time.monotonic()))
        backends.update(database_backends(args.database_url))
        cpu["begin"], cpu["at"] = cpu_seconds(parent=server.pid), time.monotonic()
        cpu["db_begin"] = cpu_seconds(backends)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(args.clients)]
    marker = threading.Thread(target=mark)
    for thread in (*threads, marker):
        thread.start()
    for thread in (*threads, marker):
        thread.join()
    window = time.monotonic() - cpu["at"]
    server_cpu = cpu_seconds(parent=server.pid) - cpu["begin"]
    database_cpu = cpu_seconds(backends) - cpu["db_begin"]
    every = [s for values in tally.latencies.values() for s in values]
    errors = sum(tally.errors.values())
    per_answer = (server_cpu + database_cpu) * 1000 / max(1, len(every))
    return {
        "answers": len(every), "errors": errors, "seconds": round(window, 2),
        "throughput": round(len(every) / window, 1),
        "p50_ms": round(percentile(every, 0.50) * 1000, 1),
        "p95_ms": round(percentile(every, 0.95) * 1000, 1),
        "p99_ms": round(percentile(every, 0.99) * 1000, 1),
        "server_cpu_ms_per_answer": round(server_cpu * 1000 / max(1, len(every)), 1),
        "database_cpu_ms_per_answer": round(database_cpu * 1000 / max(1, len(every)), 1),
        # what two idle cores would serve when only the workers and the database ran
        "cpu_bound_capacity": round(min(args.workers, os.cpu_count() or 1) * 1000
                                    / per_answer, 1) if per_answer else 0.0,
        "reads": {name: {"answers": len(tally.latencies.get(name, ())),
                         "errors": tally.errors.get(name, 0),
                         "p50_ms": round(percentile(tally.latencies.get(name, []), 0.5) * 1000,
                                         1),
                         "p95_ms": round(percentile(tally.latencies.get(name, []), 0.95)
                                         * 1000, 1)}
                  for name, _, _, _ in reads},
    }


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the organization already in the database (else rebuilt)")
    parser.add_argument("--initiatives", type=int, default=scale.SIZES["small"][0])
    parser.add_argument("--respondents", type=int, default=scale.SIZES["small"][1])
    parser.add_argument("--assessments", type=int, default=scale.SIZES["small"][2])
    parser.add_argument("--history-respondents", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=5.0, help="uncounted seconds first")
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--mix", choices=tuple(MIXES), default="week",
                        help="week: API reads and pages (MIX); api: the API reads alone")
    parser.add_argument("--log-level", default="WARNING", help="TRACKER_LOG_LEVEL of gunicorn")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    args.duration = min(args.duration, 600.0)
    return args


def main() -> None:
    """Build, serve, load, stop, print."""
    args = arguments()
    ensure_database(args.database_url)
    begin = time.perf_counter()
    params = prepare(args.database_url, args)
    built = time.perf_counter() - begin
    log = Path(tempfile.mkdtemp(prefix="load-bench-")) / "gunicorn.log"
    port = free_port()
    server = start_server(args.database_url, port, args, log)
    try:
        figures = drive(port, params, args, server)
    finally:
        stop_server(server)
    setup = {"initiatives": args.initiatives, "respondents": args.respondents,
             "assessments": args.assessments, "workers": args.workers,
             "threads": args.threads, "clients": args.clients, "duration": args.duration,
             "warmup": args.warmup, "build_seconds": round(built, 1),
             "mix": args.mix,
             "weights": {name: weight for name, _, _, weight in MIXES[args.mix]}}
    passed = figures["throughput"] >= TARGET and figures["errors"] == 0
    if args.json:
        print(json.dumps({"setup": setup, **figures, "target": TARGET, "pass": passed},
                         indent=2))
        return
    print(f"{args.initiatives:,} initiatives, {args.workers} workers × {args.threads} threads, "
          f"{args.clients} clients, mix {args.mix}, {figures['seconds']} s measured after "
          f"{args.warmup} s")
    print(f"throughput {figures['throughput']} answers/s, p50 {figures['p50_ms']} ms, "
          f"p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms, errors {figures['errors']},"
          f" CPU per answer {figures['server_cpu_ms_per_answer']} ms in the workers + "
          f"{figures['database_cpu_ms_per_answer']} ms in PostgreSQL, so at most "
          f"{figures['cpu_bound_capacity']} answers/s on idle cores")
    print("| read | weight | answers | errors | p50 ms | p95 ms |\n|---|---:|---:|---:|---:|---:|")
    for name, _, _, weight in MIXES[args.mix]:
        one = figures["reads"][name]
        print(f"| {name} | {weight} | {one['answers']} | {one['errors']} | {one['p50_ms']} "
              f"| {one['p95_ms']} |")
    print(f"{'PASS' if passed else 'FAIL'}: throughput {figures['throughput']} answers/s "
          f"against at least {TARGET:.1f} on {args.workers} workers, no error")


if __name__ == "__main__":
    main()
