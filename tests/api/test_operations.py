"""Operations: request ids and JSON logs, readiness, Prometheus metrics, trusted proxies."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask, request
from flask_migrate import upgrade
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from tests.integration.test_migrations import empty_database_url  # noqa: F401 (fixture)
from tests.waiting import wait_for
from tracker import create_app
from tracker.adapters.metrics import JOB_FAILURES, JOB_RUNS
from tracker.extensions import db
from tracker.models.base import utcnow
from tracker.models.outbox import OutboxMessage
from tracker.scheduler.runner import Runner
from tracker.security.observability import JsonFormatter, configure_logging

ROOT = Path(__file__).resolve().parents[2]


def _outbox_message(key: str, age_seconds: float, status: str = "pending") -> OutboxMessage:
    return OutboxMessage(dedupe_key=key, recipient="ann@example.org", subject="s", text="t",
                         status=status, created_at=utcnow() - timedelta(seconds=age_seconds))


def _samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition, by name and sorted labels."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(body) for sample in family.samples}


# --- request id and logs -------------------------------------------------------------------

@pytest.fixture
def logs(app: Flask) -> Iterator[None]:
    """The app's logging as `create_app` sets it (an in-process `upgrade` elsewhere in this
    worker may have replaced it with Alembic's), restored afterwards."""
    configure_logging(app.config["TRACKER_LOG_FORMAT"], app.config["TRACKER_LOG_LEVEL"])
    yield
    configure_logging(app.config["TRACKER_LOG_FORMAT"], app.config["TRACKER_LOG_LEVEL"])


def test_a_sane_request_id_is_echoed_and_on_every_log_record(logs, client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/api/v1/health", headers={"X-Request-ID": "edge-42.a_B"})
    assert response.headers["X-Request-ID"] == "edge-42.a_B"
    mine = [r for r in caplog.records if getattr(r, "request_id", None) == "edge-42.a_B"]
    access = [r for r in mine if r.name == "tracker.access"]
    assert len(access) == 1
    line = json.loads(JsonFormatter().format(access[0]))
    assert line["request_id"] == "edge-42.a_B"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/health", 200)
    assert line["level"] == "INFO" and line["user_id"] is None
    assert 0 < line["duration_ms"] < 10_000


@pytest.mark.parametrize("sent", ["<script>", "a" * 201, "two words", ""])
def test_an_insane_request_id_is_replaced_by_a_new_one(client, sent):
    response = client.get("/api/v1/health", headers={"X-Request-ID": sent})
    made = response.headers["X-Request-ID"]
    assert made != sent and len(made) == 32 and int(made, 16) >= 0


def test_without_a_request_id_each_request_gets_its_own(client):
    first = client.get("/api/v1/health").headers["X-Request-ID"]
    second = client.get("/api/v1/health").headers["X-Request-ID"]
    assert first != second


def test_the_access_line_names_the_signed_in_user(logs, lead, caplog):
    from tracker.services.tenancy import accounts

    caplog.set_level(logging.INFO)
    lead.get("/api/v1/orgs", headers={"X-Request-ID": "who"})
    user = accounts.find_user("lead@example.org")
    access = [r for r in caplog.records if r.name == "tracker.access"]
    assert [(r.request_id, r.user_id, r.status) for r in access] == [("who", user.id, 200)]


def _json_lines(client, capsys, path: str, request_id: str) -> tuple[list[dict], list[tuple]]:
    """GET `path` with the JSON handler installed: every line it wrote on stderr (each must
    parse) and the access lines' (request_id, path, status)."""
    configure_logging("json", "INFO")
    client.get(path, headers={"X-Request-ID": request_id})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    return lines, [(line["request_id"], line["path"], line["status"]) for line in lines
                   if line["logger"] == "tracker.access"]


def test_the_installed_handler_writes_one_json_object_a_line(logs, client, capsys):
    lines, access = _json_lines(client, capsys, "/api/v1/health", "json-line")
    assert access == [("json-line", "/api/v1/health", 200)]
    assert all(line["request_id"] == "json-line" for line in lines)


def test_a_line_break_in_a_path_stays_inside_one_json_line(logs, client, capsys):
    lines, access = _json_lines(client, capsys, "/no-such%0A%7B%22level%22%3A%22FORGED%22%7D",
                                "crlf")
    assert access == [("crlf", '/no-such\n{"level":"FORGED"}', 404)]
    assert "FORGED" not in {line["level"] for line in lines}


def test_the_text_format_carries_the_request_id_too(logs, client, capsys):
    configure_logging("text", "INFO")
    client.get("/api/v1/health", headers={"X-Request-ID": "txt-1"})
    err = capsys.readouterr().err
    assert "INFO tracker.access [txt-1] GET /api/v1/health 200" in err


# --- readiness ----------------------------------------------------------------------------

@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[Flask]:
    """An application on a SQLite database brought to head by the migrations."""
    application = create_app({"TESTING": True, "SECRET_KEY": "x", "TRACKER_SCHEDULER": False,
                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'ready.db'}"})
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


def _head() -> str:
    """The newest revision: the number of the last script of migrations/versions."""
    return sorted((ROOT / "migrations" / "versions").glob("0*.py"))[-1].name.split("_")[0]


def test_ready_on_a_migrated_database_with_a_young_outbox(migrated):
    with migrated.app_context():
        db.session.add_all([_outbox_message("young", 600), _outbox_message("old-sent", 5000,
                                                                            "sent")])
        db.session.commit()
    response = migrated.test_client().get("/api/v1/ready")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["status"] == "ready"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok", "migrations": "ok", "scheduler": "not_checked", "outbox": "ok"}
    assert body["checks"]["migrations"]["current"] == [_head()]
    assert body["checks"]["migrations"]["head"] == [_head()]
    outbox = body["checks"]["outbox"]
    assert outbox["pending"] == 1 and outbox["threshold_seconds"] == 900
    assert 600 <= outbox["oldest_pending_seconds"] < 660


def test_a_stale_pending_message_makes_the_service_not_ready(migrated):
    with migrated.app_context():
        db.session.add_all([_outbox_message("fresh", 10), _outbox_message("stale", 901)])
        db.session.commit()
    response = migrated.test_client().get("/api/v1/ready")
    assert response.status_code == 503
    assert response.json["status"] == "not_ready"
    outbox = response.json["checks"]["outbox"]
    assert outbox["status"] == "failing" and outbox["pending"] == 2
    assert 901 <= outbox["oldest_pending_seconds"] < 960
    assert response.json["checks"]["migrations"]["status"] == "ok"


def test_the_outbox_threshold_is_a_setting(migrated):
    migrated.config["TRACKER_READY_OUTBOX_SECONDS"] = 60
    with migrated.app_context():
        db.session.add(_outbox_message("two-minutes", 120))
        db.session.commit()
    response = migrated.test_client().get("/api/v1/ready")
    assert response.status_code == 503
    assert response.json["checks"]["outbox"]["threshold_seconds"] == 60


def test_a_database_behind_the_migrations_is_not_ready(migrated):
    with migrated.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = '0014'"))
        db.session.commit()
    response = migrated.test_client().get("/api/v1/ready")
    assert response.status_code == 503
    migrations = response.json["checks"]["migrations"]
    assert (migrations["status"], migrations["current"], migrations["head"]) == (
        "failing", ["0014"], [_head()])


def test_a_database_never_migrated_is_not_ready(client):
    """The tests' own database is made by `create_all`: no alembic_version at all."""
    response = client.get("/api/v1/ready")
    assert response.status_code == 503
    assert response.json["checks"]["migrations"]["current"] == []
    assert response.json["checks"]["migrations"]["status"] == "failing"


def test_a_scheduler_running_in_the_process_is_seen_as_leader(migrated):
    runner = Runner(migrated, retry_seconds=0.1).start()
    try:
        assert wait_for(lambda: runner.is_leader, timeout=10)
        response = migrated.test_client().get("/api/v1/ready")
        metrics = migrated.test_client().get("/metrics").get_data(as_text=True)
    finally:
        runner.stop()
    assert response.status_code == 200
    assert response.json["checks"]["scheduler"]["status"] == "ok"
    assert _samples(metrics)[("tracker_scheduler_leader", ())] == 1


def test_ready_is_documented_in_openapi(client):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/ready"]["get"]
    assert {"200", "503"} <= set(operation["responses"])
    assert operation.get("security") == []


# --- metrics ------------------------------------------------------------------------------

def test_metrics_show_request_latency_outbox_and_jobs(app, client):
    key = ("tracker_request_duration_seconds_count",
           (("endpoint", "health.Health"), ("method", "GET"), ("status", "200")))
    before = _samples(client.get("/metrics").get_data(as_text=True)).get(key, 0)
    client.get("/api/v1/health")
    client.get("/api/v1/health")
    db.session.add_all([_outbox_message("a", 120), _outbox_message("b", 30),
                        _outbox_message("c", 999, "sent")])
    db.session.commit()
    JOB_RUNS.labels("pdf").inc()
    JOB_FAILURES.labels("pdf").inc()
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    samples = _samples(response.get_data(as_text=True))
    assert samples[key] == before + 2
    assert samples[("tracker_outbox_pending", ())] == 2
    assert 120 <= samples[("tracker_outbox_oldest_pending_seconds", ())] < 180
    assert samples[("tracker_job_runs_total", (("kind", "pdf"),))] >= 1
    assert samples[("tracker_job_failures_total", (("kind", "pdf"),))] >= 1
    # no scheduler runs: PostgreSQL's lock says so; SQLite cannot tell
    leader = 0 if db.engine.dialect.name == "postgresql" else None
    assert samples.get(("tracker_scheduler_leader", ())) == leader


def test_a_caller_cannot_add_label_sets_to_the_latency_metric(client):
    key = ("tracker_request_duration_seconds_count",
           (("endpoint", "unmatched"), ("method", "other"), ("status", "404")))
    before = _samples(client.get("/metrics").get_data(as_text=True)).get(key, 0)
    for method in ("BREW", "WHEN", "BREW"):
        client.open("/api/v1/nowhere", method=method)
    samples = _samples(client.get("/metrics").get_data(as_text=True))
    methods = {dict(labels)["method"] for name, labels in samples
               if name == "tracker_request_duration_seconds_count"}
    assert not methods & {"BREW", "WHEN"}
    assert samples[key] == before + 3


def test_a_metrics_token_keeps_metrics_to_who_knows_it(app, client):
    app.config["TRACKER_METRICS_TOKEN"] = "s3cret-scrape"
    try:
        refused = client.get("/metrics")
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        bare = client.get("/metrics", headers={"Authorization": "s3cret-scrape"})
        granted = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape"})
    finally:
        del app.config["TRACKER_METRICS_TOKEN"]
    assert [r.status_code for r in (refused, wrong, bare, granted)] == [401, 401, 401, 200]
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert "tracker_outbox_pending" in granted.get_data(as_text=True)


def test_metrics_of_several_worker_processes_add_up(tmp_path):
    """As under gunicorn with PROMETHEUS_MULTIPROC_DIR: each process writes its own file,
    any process's scrape shows the sum (2 + 3 runs)."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for runs in (2, 3):
        subprocess.run([sys.executable, "-c", "from tracker.adapters.metrics import JOB_RUNS; "
                        f"JOB_RUNS.labels('import').inc({runs})"],
                       env=env, cwd=ROOT, check=True, timeout=60)
    scrape = subprocess.run([sys.executable, "-c", "import sys; from tracker.adapters.metrics "
                             "import exposition; sys.stdout.write(exposition().decode())"],
                            env=env, cwd=ROOT, check=True, timeout=60, capture_output=True,
                            text=True).stdout
    assert _samples(scrape)[("tracker_job_runs_total", (("kind", "import"),))] == 5


# --- proxies ------------------------------------------------------------------------------

def _whoami_app(tmp_path: Path, setting: str | None) -> Flask:
    application = create_app({"TESTING": True, "SECRET_KEY": "x", "TRACKER_SCHEDULER": False,
                              "TRACKER_PROXY_FIX": setting,
                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})

    @application.get("/_whoami")
    def _whoami() -> dict[str, str]:
        return {"addr": request.remote_addr or "", "scheme": request.scheme, "host": request.host}

    return application


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "tracker.example.org"}


DIRECT = {"addr": "127.0.0.1", "scheme": "http", "host": "localhost"}


@pytest.mark.parametrize(("setting", "expected"), [
    (None, DIRECT), ("", DIRECT), ("0", DIRECT), ("off", DIRECT),
    ("1", {"addr": "203.0.113.7", "scheme": "https", "host": "localhost"}),
    ("for=1,proto=1,host=1", {"addr": "203.0.113.7", "scheme": "https",
                              "host": "tracker.example.org"}),
])
def test_proxy_fix_trusts_the_forwarded_headers_it_is_told_to(tmp_path, setting, expected):
    application = _whoami_app(tmp_path, setting)
    response = application.test_client().get("/_whoami", headers=FORWARDED,
                                             environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert response.json == expected


def test_a_malformed_proxy_setting_stops_the_start(tmp_path):
    with pytest.raises(ValueError, match="TRACKER_PROXY_FIX"):
        _whoami_app(tmp_path, "for=one")


def test_logging_a_record_outside_a_request_has_no_request_id(caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("tracker.test").info("outside at %s", time.time())
    record = caplog.records[-1]
    assert getattr(record, "request_id", None) is None


@pytest.fixture
def migrated_postgres(request: pytest.FixtureRequest) -> Iterator[tuple[Flask, str]]:
    """An application on a fresh PostgreSQL database at head (TRACKER_TEST_DATABASE_URL),
    with that database's URL."""
    if not os.environ.get("TRACKER_TEST_DATABASE_URL"):
        pytest.skip("TRACKER_TEST_DATABASE_URL is not set (PostgreSQL only)")
    database = request.getfixturevalue("empty_database_url")
    application = create_app({"TESTING": True, "SECRET_KEY": "x", "TRACKER_SCHEDULER": False,
                              "SQLALCHEMY_DATABASE_URI": database})
    with application.app_context():
        upgrade()
    yield application, database
    with application.app_context():
        db.engine.dispose()


def test_a_scheduler_in_another_process_is_seen_through_its_lock(migrated_postgres):
    """On PostgreSQL, `tracker scheduler` on another host holds the advisory lock that
    `pg_locks` shows: ready without it (503), ready with it (200), 503 again once it stops."""
    application, database = migrated_postgres
    client = application.test_client()
    without = client.get("/api/v1/ready")
    scheduler = subprocess.Popen(
        [str(Path(sys.executable).with_name("tracker")), "scheduler", "--retry", "0.2"],
        env={**os.environ, "TRACKER_DATABASE_URL": database, "TRACKER_SECRET_KEY": "x"},
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: client.get("/api/v1/ready").status_code == 200, timeout=30)
        leader = _samples(client.get("/metrics").get_data(as_text=True))
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)
    after = client.get("/api/v1/ready")
    assert without.status_code == 503
    assert without.json["checks"]["scheduler"]["status"] == "failing"
    assert leader[("tracker_scheduler_leader", ())] == 1
    assert after.status_code == 503 and after.json["checks"]["scheduler"]["status"] == "failing"
