"""The one table of periodic jobs: the system jobs and one job per active schedule; the
scheduler's jobs follow the table; every app has the scheduler's recurrence engine."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from tests.builders import Scenario
from tracker.models.base import utcnow
from tracker.scheduler import jobs, triggers
from tracker.scheduler.periodic import PERSISTENT, VOLATILE, job_id, periodic_job_definitions
from tracker.scheduler.runner import sync_jobs
from tracker.services.follow import recurrence


def _no_sync() -> None:
    """A stand-in for the runner's sync job."""


def test_the_table_lists_the_system_jobs_then_one_job_per_active_schedule(app, lead, admin):
    scenario = Scenario(lead, admin)
    active = lead.post(scenario.url("/schedules"), json={
        "kind": "barometer", "cron": "0 8 1 1,4,7,10 *"}).json["id"]
    lead.post(scenario.url("/schedules"), json={"kind": "pulse", "interval_days": 90,
                                                "paused": True})
    table = periodic_job_definitions(app, _no_sync)
    assert [(row.id, row.jobstore) for row in table] == [
        ("sync", VOLATILE), ("outbox", VOLATILE), (job_id(active), PERSISTENT)]
    assert (table[0].func, table[1].func) == (_no_sync, jobs.flush_outbox)
    assert (table[2].func, table[2].args) == (jobs.fire_schedule, (scenario.org["id"], active))
    assert all(row.coalesce and row.max_instances == 1 for row in table)


def test_the_scheduler_follows_the_table_and_unchanged_jobs_keep_their_next_run(app, lead,
                                                                                admin):
    scenario = Scenario(lead, admin)
    first, second = (lead.post(scenario.url("/schedules"), json={
        "kind": "close", "cron": cron}).json["id"] for cron in ("0 8 * * *", "0 9 * * 1"))
    scheduler = BackgroundScheduler(jobstores={PERSISTENT: MemoryJobStore(),
                                               VOLATILE: MemoryJobStore()}, timezone="UTC")
    scheduler.start(paused=True)
    try:
        sync_jobs(scheduler, periodic_job_definitions(app, _no_sync))
        missed = utcnow() - timedelta(hours=1)
        scheduler.get_job(job_id(first)).modify(next_run_time=missed)
        lead.patch(scenario.url(f"/schedules/{second}"), json={"paused": True})
        sync_jobs(scheduler, periodic_job_definitions(app, _no_sync))
        assert sorted(job.id for job in scheduler.get_jobs()) == sorted(
            ["sync", "outbox", job_id(first)])
        assert scheduler.get_job(job_id(first)).next_run_time == missed
    finally:
        scheduler.shutdown(wait=False)


def test_every_app_has_the_scheduler_recurrence_engine_even_with_the_scheduler_off(app):
    assert app.config["TRACKER_SCHEDULER"] is False
    assert recurrence.current() is triggers
