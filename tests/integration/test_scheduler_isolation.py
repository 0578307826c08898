"""The scheduler isolates a bad schedule, with a real APScheduler (SQLite, and PostgreSQL
with its leader lock): an organization whose stored time zone is unknown, a schedule whose
job fails and one that cannot be planned never stop another organization's schedule; each
failure is recorded on its schedule. A leader whose loop fails releases its lock and a
standby takes over."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select, update

from tests.builders import Scenario
from tests.waiting import wait_for
from tracker.extensions import db
from tracker.models import Organization, Schedule
from tracker.models.base import utcnow
from tracker.models.outbox import OutboxMessage
from tracker.scheduler import jobs
from tracker.scheduler.periodic import job_id
from tracker.scheduler.runner import Runner

BAROMETER = {"kind": "barometer", "cron": "0 8 1 1,4,7,10 *",
             "recipients": ["sponsor@example.org"]}


def _stop(*runners: Runner) -> None:
    """Stop the runners, leaving no job in the shared job store."""
    for runner in runners:
        if runner.scheduler is not None:
            runner.scheduler.remove_all_jobs()
        runner.stop()


def _fire(runner: Runner, schedule_id: int) -> None:
    """Make the scheduler's job of a schedule due now and wait until it ran."""
    before = jobs.executions[schedule_id]
    runner.scheduler.get_job(job_id(schedule_id)).modify(next_run_time=utcnow())
    assert wait_for(lambda: jobs.executions[schedule_id] > before)


def _bad_organization(lead) -> tuple[int, int]:
    """An organization with a barometer schedule, then `Bad/Zone` written as its time zone
    straight to the database (as rows stored before zones were checked, or imported)."""
    org_id = lead.post("/api/v1/orgs", json={"name": "Badzone"}).json["id"]
    schedule = lead.post(f"/api/v1/orgs/{org_id}/schedules", json=BAROMETER).json["id"]
    db.session.execute(update(Organization).where(Organization.id == org_id)
                       .values(timezone="Bad/Zone"))
    db.session.commit()
    return org_id, schedule


def _stored(org_id: int, **values: object) -> int:
    """A schedule written straight to the database, unchecked."""
    schedule = Schedule(org_id=org_id, **values)
    db.session.add(schedule)
    db.session.commit()
    return schedule.id


def test_a_bad_schedule_never_stops_another_organizations_schedule(app, lead, admin,
                                                                   tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_MAIL_DIR", str(tmp_path))
    good_org = Scenario(lead, admin, org_name="Good").org["id"]
    good = lead.post(f"/api/v1/orgs/{good_org}/schedules", json=BAROMETER).json["id"]
    bad_org, bad_zone = _bad_organization(lead)
    failing = _stored(bad_org, kind="bogus", cron="0 8 * * *")
    unplannable = _stored(bad_org, kind="close", cron="61 * * * *")
    runner = Runner(app, retry_seconds=0.2).start()
    try:
        assert wait_for(lambda: runner.is_leader)
        assert runner.scheduler.get_job(job_id(unplannable)) is None
        assert str(runner.scheduler.get_job(job_id(bad_zone)).trigger.timezone) == "UTC"
        _fire(runner, failing)
        _fire(runner, bad_zone)
        _fire(runner, good)
        time.sleep(0.5)
        assert runner.is_leader
        db.session.expire_all()
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.org_id == good_org)) == 1
        rows = {s.id: s for s in db.session.scalars(select(Schedule))}
        assert rows[good].last_period is not None and rows[good].last_error is None
        # planned in UTC; its run is done, or its failure recorded (a service that reads
        # the organization's zone on its own may still fail), like any job's
        assert rows[bad_zone].last_period is not None or rows[bad_zone].last_error
        assert rows[failing].last_error == "KeyError: 'bogus'"
        assert rows[failing].last_error_at is not None and rows[failing].last_period is None
        assert rows[unplannable].last_error.startswith("ValueError: Error validating")
        read = lead.get(f"/api/v1/orgs/{bad_org}/schedules/{failing}").json
        assert read["last_error"] == "KeyError: 'bogus'" and read["last_error_at"]
        assert read["warning"].startswith("Unknown time zone Bad/Zone")
    finally:
        _stop(runner)


@pytest.fixture
def postgres_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the leader lock is a PostgreSQL advisory lock; SQLite runs one process")


def _fail_for(runner: Runner, attribute: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make one of the runner's steps raise from now on, as an unexpected error would."""
    def broken(*args: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(runner, attribute, broken)


@pytest.mark.parametrize(("failing", "attribute"), [
    ("while starting to lead", "_table"), ("while leading", "check")])
def test_a_leader_whose_loop_fails_releases_the_lock_and_a_standby_takes_over(
        app, lead, admin, postgres_only, monkeypatch, failing, attribute):
    schedule = lead.post(Scenario(lead, admin).url("/schedules"), json=BAROMETER).json["id"]
    first = Runner(app, retry_seconds=0.2)
    if attribute == "_table":
        _fail_for(first, "_table", monkeypatch)
    first.start()
    second = None
    try:
        if attribute == "check":
            assert wait_for(lambda: first.is_leader)
        else:
            time.sleep(0.5)  # the first takes the lock and fails to lead, again and again
        second = Runner(app, retry_seconds=0.2).start()
        time.sleep(0.5)
        if attribute == "check":
            assert not second.is_leader
            _fail_for(first.lock, "check", monkeypatch)
        assert wait_for(lambda: second.is_leader and not first.is_leader, timeout=10)
        assert second.scheduler.get_job(job_id(schedule)) is not None
    finally:
        _stop(*(r for r in (first, second) if r is not None))
