"""End to end with a real scheduler and a real SMTP server: the pulse schedule fires, the
pulse opens, respondents receive working survey links, answers come in, the pulse closes, the
barometer email arrives with its charts and the right score; the same period sends nothing
twice."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from sqlalchemy import select

from tests.builders import Scenario
from tests.smtp_server import SmtpServer
from tests.waiting import wait_for
from tracker.extensions import db
from tracker.models import Assessment, Organization, Respondent
from tracker.models.base import utcnow
from tracker.scheduler import jobs
from tracker.scheduler.periodic import job_id
from tracker.scheduler.runner import Runner
from tracker.services.follow import schedules


def _fire(runner: Runner, schedule_id: int) -> None:
    """Make the scheduler's own job due now, as when its cron time comes."""
    runner.scheduler.get_job(job_id(schedule_id)).modify(next_run_time=utcnow())


def test_a_quarter_of_pulse_and_barometer_driven_by_the_scheduler(app, client, lead, admin,
                                                                  monkeypatch):
    scenario = Scenario(lead, admin)
    base = scenario.assessment_url()
    lead.patch(base, json={"status": "open"})
    people = [scenario.add_respondent(f"P{k}", email=f"p{k}@example.org") for k in range(3)]
    lead.put(f"{base}/ratings", json=[{"respondent_id": p, "dimension": "a.one", "value": 2}
                                      for p in people])
    lead.patch(base, json={"status": "closed"})
    pulse = lead.post(scenario.url("/schedules"), json={
        "kind": "pulse", "cron": "0 8 1 3,6,9,12 *"}).json["id"]
    close = lead.post(scenario.url("/schedules"), json={
        "kind": "close", "cron": "0 8 * * *", "close_after_days": 14}).json["id"]
    barometer = lead.post(scenario.url("/schedules"), json={
        "kind": "barometer", "cron": "0 8 1 1,4,7,10 *",
        "recipients": ["sponsor@example.org"]}).json["id"]

    with SmtpServer() as smtp:
        for key, value in smtp.config.items():
            monkeypatch.setitem(app.config, key, value)
        runner = Runner(app, retry_seconds=0.2).start()
        try:
            assert wait_for(lambda: runner.is_leader)
            assert wait_for(lambda: runner.scheduler.get_job(job_id(pulse)) is not None)

            # the pulse fires: three invitations with working personal links
            _fire(runner, pulse)
            assert wait_for(lambda: len(smtp.collector.messages) == 3)
            db.session.expire_all()
            opened = db.session.scalar(select(Assessment).where(Assessment.status == "open"))
            clones = {r.email: r for r in db.session.scalars(
                select(Respondent).where(Respondent.assessment_id == opened.id))}
            for message in smtp.collector.messages:
                body = message.get_body(("plain",)).get_content()
                path = re.search(r"http://tracker\.test(/survey/\S+)", body).group(1)
                assert path == f"/survey/{clones[message['To']].survey_token}"
                assert client.get(path).status_code == 200

            # answers come in (4 each), the pulse closes after its 14 days
            lead.put(scenario.url(f"/assessments/{opened.id}/ratings"), json=[
                {"respondent_id": r.id, "dimension": "a.one", "value": 4}
                for r in clones.values()])
            org = db.session.get(Organization, scenario.org["id"])
            later = utcnow() + timedelta(days=15)
            assert schedules.run_schedule(org, close, app.config, later).detail == (
                f"Closed pulse {opened.id}.")

            # the barometer fires: one email, two inline charts, the pulse's score
            before = jobs.executions[barometer]
            _fire(runner, barometer)
            assert wait_for(lambda: len(smtp.collector.messages) == 4)
            email = smtp.collector.messages[-1]
            assert email["To"] == "sponsor@example.org"
            assert sum(p.get_content_type() == "image/png" for p in email.walk()) == 2
            text = email.get_body(("plain",)).get_content()
            # a.one 4.0, a.two unrated: axis a = 4.00, overall = 4.00, +2.00 on the diagnostic
            assert "4.00" in text and "+2.00" in text

            # the same period again: the job runs, nothing is sent
            _fire(runner, barometer)
            assert wait_for(lambda: jobs.executions[barometer] == before + 2)
            time.sleep(0.5)
            assert len(smtp.collector.messages) == 4
        finally:
            if runner.scheduler is not None:
                runner.scheduler.remove_all_jobs()
            runner.stop()
