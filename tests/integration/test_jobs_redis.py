"""Background jobs on real Redis (127.0.0.1:6379, database 12, emptied before and after;
skipped when it does not answer): a job submitted by one web app waits in Redis while that
app is thrown away (a web worker restart), then `tracker worker --burst`, another process,
runs it to `done`; a failing job ends `failed` with its message. Without Redis the command
says that jobs run in the web process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.api.test_jobs import ASYNC, rows_csv
from tests.builders import Scenario
from tests.conftest import ApiClient
from tracker import create_app
from tracker.adapters import pdf
from tracker.extensions import db

REDIS_URL = "redis://127.0.0.1:6379/12"
TRACKER = Path(sys.executable).with_name("tracker")


@pytest.fixture
def redis_db() -> Iterator[Any]:
    """Database 12 of the local Redis, empty, emptied again afterwards."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


def web_app(app: Flask, **config: Any) -> Flask:
    """Another web process on the test database, its jobs going to Redis."""
    return create_app({"TESTING": True, "TRACKER_SCHEDULER": False, "SECRET_KEY": "test-secret",
                       "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "TRACKER_REDIS_URL": REDIS_URL, **config})


def run_worker(app: Flask, redis_url: str | None = REDIS_URL) -> subprocess.CompletedProcess[str]:
    """`tracker worker --burst` in a process of its own, on the test database."""
    env = {**os.environ, "TRACKER_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "TRACKER_SCHEDULER": "off", "TRACKER_LOG_FORMAT": "text"}
    env.pop("TRACKER_REDIS_URL", None)
    if redis_url:
        env["TRACKER_REDIS_URL"] = redis_url
    return subprocess.run([str(TRACKER), "worker", "--burst"], env=env, capture_output=True,
                          text=True, timeout=180, check=False)


@pytest.mark.skipif(not pdf.available(), reason="/usr/bin/chromium is absent")
def test_a_job_survives_the_web_process_and_a_worker_process_runs_it(app, redis_db, lead,
                                                                     admin):
    scenario = Scenario(lead, admin)
    web = web_app(app, TRACKER_JOB_IMPORT_ROWS=2)
    web_api = ApiClient(web.test_client(), lead.headers["Authorization"].split()[1])
    submitted = web_api.get(scenario.assessment_url("/report?format=pdf"), headers=ASYNC)
    bad = rows_csv(3).replace(b"P2,engineer,claims,team,survey,,3", b"P2,engineer,claims,"
                                                                    b"team,survey,,0")
    failing = web_api.post(scenario.assessment_url("/ratings/import"), data=bad,
                           headers={"Content-Type": "text/csv"})
    assert (submitted.status_code, failing.status_code) == (202, 202)
    with web.app_context():
        db.engine.dispose()
    del web, web_api  # the web worker that took the jobs is gone

    location = submitted.headers["Location"]
    assert lead.get(location).json["status"] == "queued"
    assert redis_db.llen("rq:queue:tracker") == 2

    finished = run_worker(app)

    assert finished.returncode == 0, finished.stderr
    job = lead.get(location).json
    assert (job["status"], job["progress"], job["total"]) == ("done", 2, 2), job
    download = lead.get(job["result_url"])
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    failed = lead.get(failing.headers["Location"]).json
    assert failed["status"] == "failed"
    assert failed["error"] == "1 cell(s) of the CSV are not valid; nothing was saved."
    assert failed["result"] == {"errors": {"row 4.a.one": ["0 is outside the scale 1–5"]}}
    assert redis_db.llen("rq:queue:tracker") == 0


def test_without_redis_the_worker_says_jobs_run_in_the_web_process(app):
    finished = run_worker(app, redis_url=None)

    assert finished.returncode == 0, finished.stderr
    assert "TRACKER_REDIS_URL is not set: background jobs run in the web process" in (
        finished.stdout)
