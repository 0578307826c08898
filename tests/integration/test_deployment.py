"""The deployment files: compose.yaml validated by `docker compose config` where Docker
answers (skipped otherwise), and read here in any case: the services the README promises,
the same commands as the Procfile, healthchecks on `/api/v1/ready`; and gunicorn started
with `gunicorn.conf.py` on a free port: it answers, logs JSON with the request id and adds
up the metrics of its two workers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
ENV = {**os.environ, "TRACKER_SECRET_KEY": "compose-config-check"}


def _docker_answers() -> str | None:
    """Why `docker compose` cannot run here, or None when it can (`config` reads the file
    and needs no engine, only the compose plugin)."""
    if shutil.which("docker") is None:
        return "no docker client"
    try:
        done = subprocess.run(["docker", "compose", "version"], capture_output=True,
                              timeout=20, check=False)
    except subprocess.TimeoutExpired:
        return "'docker compose version' does not answer"
    return None if done.returncode == 0 else "no docker compose plugin"


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_docker_compose_config_validates_the_compose_file():
    reason = _docker_answers()
    if reason:
        pytest.skip(reason)
    done = subprocess.run(["docker", "compose", "-f", str(ROOT / "compose.yaml"), "config",
                           "--quiet"], capture_output=True, text=True, env=ENV, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr


def test_compose_runs_two_web_workers_a_scheduler_a_worker_postgres_and_redis():
    services = _compose()["services"]
    assert set(services) == {"migrate", "web", "scheduler", "worker", "postgres", "redis"}
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["scheduler"]["deploy"]["replicas"] == 2  # a leader and a standby
    assert services["web"]["command"][0] == "gunicorn"
    assert services["scheduler"]["command"] == ["tracker", "scheduler"]
    assert services["worker"]["command"] == ["tracker", "worker"]
    assert services["migrate"]["command"] == ["tracker", "db", "upgrade"]
    assert "/api/v1/ready" in " ".join(services["web"]["healthcheck"]["test"])
    assert all("healthcheck" in services[name] for name in services if name != "migrate")


def test_the_web_processes_never_schedule_and_share_one_database_and_redis():
    services = _compose()["services"]
    for name in ("web", "scheduler", "worker"):
        env = services[name]["environment"]
        assert env["TRACKER_SCHEDULER"] == "off"
        assert env["TRACKER_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert env["TRACKER_REDIS_URL"] == "redis://redis:6379/0"
    assert services["web"]["environment"]["PROMETHEUS_MULTIPROC_DIR"] == "/tmp/prometheus"


def test_the_procfile_runs_the_same_commands_as_compose():
    procfile = dict(line.split(": ", 1) for line in
                    (ROOT / "Procfile").read_text().splitlines() if line.strip())
    services = _compose()["services"]
    assert procfile["release"] == " ".join(services["migrate"]["command"])
    assert procfile["scheduler"] == " ".join(services["scheduler"]["command"])
    assert procfile["worker"] == " ".join(services["worker"]["command"])
    assert procfile["web"].replace("'", "") == " ".join(services["web"]["command"])


def test_the_image_installs_the_server_extras_and_runs_gunicorn_as_a_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    install = dockerfile[dockerfile.index("RUN pip install"):]
    assert install.index('".[server,postgres,redis]"') < install.index("\n\n")
    assert 'CMD ["gunicorn", "--config", "gunicorn.conf.py", "tracker:create_app()"]' in dockerfile
    assert "\nUSER tracker\n" in dockerfile  # not root


# --- gunicorn -------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """Status, headers and text of a GET (an HTTP error is an answer too)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}),
                                    timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _answers(url: str) -> bool:
    try:
        return _get(url)[0] == 200
    except OSError:
        return False


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """gunicorn with `gunicorn.conf.py`, two workers, on a free port and a migrated SQLite
    database: its base URL and the file its stderr goes to. Stopped (SIGTERM) afterwards."""
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed (pip install '.[server]')")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")},
           "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
           "TRACKER_SECRET_KEY": "gunicorn-smoke", "TRACKER_SCHEDULER": "off",
           "TRACKER_MAIL_DIR": str(tmp_path / "mail"), "TRACKER_LOG_FORMAT": "json",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"), "WEB_CONCURRENCY": "2"}
    subprocess.run([str(GUNICORN.with_name("tracker")), "db", "upgrade"], env=env, cwd=ROOT,
                   check=True, capture_output=True, timeout=120)
    port = _free_port()
    stderr = tmp_path / "gunicorn.stderr"
    with stderr.open("wb") as sink:
        server = subprocess.Popen([str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"),
                                   "tracker:create_app()"],
                                  env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=sink)
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: _answers(f"{base}/api/v1/health") or server.poll() is not None,
                        timeout=90), stderr.read_text()
        assert server.poll() is None, stderr.read_text()
        yield base, stderr
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def test_gunicorn_serves_health_ready_and_metrics_with_json_logs(gunicorn):
    base, stderr = gunicorn
    status, headers, body = _get(f"{base}/api/v1/health", {"X-Request-ID": "smoke-gunicorn-1"})
    assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})
    assert headers["X-Request-ID"] == "smoke-gunicorn-1"
    ready = [_get(f"{base}/api/v1/ready")[0] for _ in range(6)]
    assert ready == [200] * 6  # migrated, empty outbox; SQLite: the scheduler not_checked
    status, headers, scrape = _get(f"{base}/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    counts = {sample.labels["endpoint"]: sample.value
              for family in text_string_to_metric_families(scrape)
              for sample in family.samples
              if sample.name == "tracker_request_duration_seconds_count"
              and sample.labels["status"] == "200"}
    assert counts["health.Ready"] == 6  # whichever of the two workers answered each
    families = {family.name for family in text_string_to_metric_families(scrape)}
    assert {"tracker_outbox_pending", "tracker_outbox_oldest_pending_seconds"} <= families
    assert wait_for(lambda: "smoke-gunicorn-1" in stderr.read_text(), timeout=10)
    lines = [json.loads(line) for line in stderr.read_text().splitlines() if line.strip()]
    mine = [line for line in lines if line["request_id"] == "smoke-gunicorn-1"]
    assert [(line["logger"], line["path"], line["status"]) for line in mine] == [
        ("tracker.access", "/api/v1/health", 200)]
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # gunicorn's, JSON too
