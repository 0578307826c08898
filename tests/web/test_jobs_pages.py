"""The job page without JavaScript: the state as the server renders it (the progress bar,
the message, the download link once done, a "Refresh" link until then), 404 for a reader
outside the job's organization; a big barometer campaign from the schedules page goes
through a job."""

from __future__ import annotations

import io
import re

from tests.api.test_jobs import ASYNC, poll, rows_csv
from tests.builders import Scenario
from tracker.extensions import db
from tracker.jobs import backends, triggers
from tracker.models import BackgroundJob, OutboxMessage


def sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": "correct horse battery"})
    assert response.status_code == 302, response.text


def wait_for_jobs(app) -> None:
    backends.thread_worker(app).join()


def test_a_done_job_shows_its_message_and_no_refresh(client, lead, admin):
    scenario = Scenario(lead, admin)
    created = lead.post(scenario.url("/schedules"), json={
        "kind": "barometer", "cron": "0 8 1 1,4,7,10 *", "recipients": ["ann@example.org"]})
    response = lead.post(scenario.url(f"/schedules/{created.json['id']}/resend"),
                         json={"to": "all"}, headers=ASYNC)
    job, _seen = poll(lead, response.headers["Location"])
    sign_in(client, "lead@example.org")

    page = client.get(f"/jobs/{job['id']}")

    assert page.status_code == 200
    html = page.text
    assert '<h1>Barometer email</h1>' in html
    assert '<progress id="job-progress" max="1" value="1">' in html
    assert job["message"] in html and "queued for 1 recipient." in html
    assert 'id="job-refresh" hidden' in html
    assert f'href="/orgs/{scenario.org["id"]}/schedules"' in html  # back to where it began
    assert 'src="/static/js/jobs.' in html


def test_a_queued_job_shows_a_refresh_link_and_an_outsider_gets_404(client, lead, admin,
                                                                    make_api):
    scenario = Scenario(lead, admin)
    make_api("out@example.org")
    db.session.add(BackgroundJob(key="queued-key", kind="report_pdf", org_id=scenario.org["id"],
                                 params={"assessment_id": scenario.assessment["id"]},
                                 message="Waiting for a worker…"))
    db.session.commit()  # a job no worker took yet
    sign_in(client, "lead@example.org")

    html = client.get("/jobs/queued-key").text

    assert '<a href="/jobs/queued-key">Refresh</a>' in html
    assert 'id="job-refresh" hidden' not in html and 'id="job-result" hidden' in html
    assert "Waiting for a worker…" in html
    client.post("/logout")
    sign_in(client, "out@example.org")
    assert client.get("/jobs/queued-key").status_code == 404


def test_a_big_campaign_from_the_schedules_page_goes_through_a_job(app, client, lead, admin,
                                                                  monkeypatch):
    monkeypatch.setattr(triggers, "BIG_CAMPAIGN", 2)
    scenario = Scenario(lead, admin)
    created = lead.post(scenario.url("/schedules"), json={
        "kind": "barometer", "cron": "0 8 1 1,4,7,10 *",
        "recipients": ["ann@example.org", "bob@example.org"]})
    sign_in(client, "lead@example.org")

    response = client.post(f"/orgs/{scenario.org['id']}/schedules/{created.json['id']}/resend",
                           data={"to": "all"})

    assert response.status_code == 303 and response.location.startswith("/jobs/")
    wait_for_jobs(app)
    page = client.get(response.location).text
    assert "queued for 2 recipients." in page
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 2


def test_the_diagnostic_page_offers_the_pdf_through_a_job(client, lead, admin):
    scenario = Scenario(lead, admin)
    sign_in(client, "lead@example.org")

    html = client.get(f"/orgs/{scenario.org['id']}/assessments/{scenario.assessment['id']}").text

    action = f'/orgs/{scenario.org["id"]}/assessments/{scenario.assessment["id"]}/report/pdf'
    assert f'id="report-pdf-form" action="{action}"' in html
    assert 'form="report-pdf-form" class="link" id="report-pdf">Download PDF</button>' in html


def test_a_big_upload_is_confirmed_into_a_job_whose_page_tells_the_count(app, client, lead,
                                                                        admin, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_JOB_IMPORT_ROWS", 2)
    scenario = Scenario(lead, admin)
    url = f"/orgs/{scenario.org['id']}/assessments/{scenario.assessment['id']}/ratings/upload"
    sign_in(client, "lead@example.org")
    preview = client.post(url, data={"file": (io.BytesIO(rows_csv(3)), "big.csv")},
                          content_type="multipart/form-data")
    token = re.search(r'name="token" value="([\w-]+)"', preview.text).group(1)

    confirmed = client.post(url + "/confirm", data={"token": token})

    assert confirmed.status_code == 303 and confirmed.location.startswith("/jobs/")
    wait_for_jobs(app)
    page = client.get(confirmed.location).text
    assert "Imported 6 ratings." in page
    assert '<h1>Ratings import</h1>' in page
    a_one = scenario.scores()["axes"][0]["dimensions"][0]
    assert (a_one["n"], a_one["score"]) == (3, 3.0)
