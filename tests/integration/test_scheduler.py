"""The scheduler: one leader however many are started (PostgreSQL advisory lock), a job
fires once, a standby takes over when the leader stops, missed runs coalesce."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.builders import Scenario
from tests.waiting import wait_for
from tracker.extensions import db
from tracker.models.base import utcnow
from tracker.models.outbox import OutboxMessage
from tracker.scheduler import jobs
from tracker.scheduler.periodic import job_id
from tracker.scheduler.runner import Runner


@pytest.fixture
def postgres_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the leader lock is a PostgreSQL advisory lock; SQLite runs one process")


def test_two_schedulers_elect_one_leader_and_a_job_runs_once(app, lead, admin, postgres_only,
                                                            tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_MAIL_DIR", str(tmp_path))
    scenario = Scenario(lead, admin)
    schedule = lead.post(scenario.url("/schedules"), json={
        "kind": "barometer", "cron": "0 8 1 1,4,7,10 *",
        "recipients": ["sponsor@example.org"]}).json["id"]
    first, second = Runner(app, retry_seconds=0.2).start(), Runner(app, retry_seconds=0.2).start()
    try:
        assert wait_for(lambda: first.is_leader or second.is_leader)
        time.sleep(1.0)  # let the standby try (and fail) a few times
        assert [first.is_leader, second.is_leader].count(True) == 1
        leader, standby = (first, second) if first.is_leader else (second, first)
        job = leader.scheduler.get_job(job_id(schedule))
        assert job is not None
        before = jobs.executions[schedule]
        job.modify(next_run_time=utcnow())  # due now, as if the quarter had started
        assert wait_for(lambda: jobs.executions[schedule] > before)
        time.sleep(1.0)
        assert jobs.executions[schedule] == before + 1
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
        assert len(list(tmp_path.glob("*.eml"))) == 1  # delivered after the run

        leader.stop()
        assert wait_for(lambda: standby.is_leader)
        assert standby.scheduler.get_job(job_id(schedule)) is not None
    finally:
        for runner in (first, second):
            if runner.scheduler is not None:
                runner.scheduler.remove_all_jobs()
            runner.stop()


def test_a_run_missed_during_downtime_fires_once_when_the_scheduler_returns(
        app, lead, admin, postgres_only, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_MAIL_DIR", str(tmp_path))
    scenario = Scenario(lead, admin)
    schedule = lead.post(scenario.url("/schedules"), json={
        "kind": "barometer", "cron": "*/20 * * * *",
        "recipients": ["sponsor@example.org"]}).json["id"]
    runner = Runner(app, retry_seconds=0.2).start()
    try:
        assert wait_for(lambda: runner.is_leader)
        runner.scheduler.pause()
        # the runs of the last hour (three) were missed: they coalesce into one
        runner.scheduler.get_job(job_id(schedule)).modify(
            next_run_time=utcnow() - timedelta(hours=1))
        before = jobs.executions[schedule]
        runner.scheduler.resume()
        assert wait_for(lambda: jobs.executions[schedule] > before)
        time.sleep(1.0)
        assert jobs.executions[schedule] == before + 1
    finally:
        if runner.scheduler is not None:
            runner.scheduler.remove_all_jobs()
        runner.stop()
