"""Long work as background jobs, on the embedded worker (a thread of the app): the report
PDF and a big ratings import answer 202 with the job, `GET /api/v1/jobs/{id}` shows its
progress until it is done (or failed, with a message), its file downloads, and nobody
outside its organization can see it."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.builders import Scenario, add_member
from tracker.adapters import pdf

HEADER = "name,role,team,level,source,email,a.one,a.two,b.one,b.two\n"
ASYNC = {"Prefer": "respond-async"}


def poll(api: Any, location: str, timeout: float = 90.0) -> tuple[dict[str, Any], list[Any]]:
    """Poll a job until it ends; its last state and every (status, progress, total) seen."""
    seen: list[Any] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = api.get(location)
        assert response.status_code == 200, response.json
        job = response.json
        if not seen or seen[-1] != (job["status"], job["progress"], job["total"]):
            seen.append((job["status"], job["progress"], job["total"]))
        if job["status"] in ("done", "failed"):
            return job, seen
        time.sleep(0.05)
    raise AssertionError(f"job still {seen[-1]} after {timeout} s")


def rows_csv(count: int, value: str = "3") -> bytes:
    """A ratings file of `count` respondents rating `a.one` (`value`) and `b.one` (4)."""
    return (HEADER + "".join(f"P{i},engineer,claims,team,survey,,{value},,4,\n"
                             for i in range(count))).encode()


@pytest.mark.skipif(not pdf.available(), reason="/usr/bin/chromium is absent")
def test_a_pdf_job_is_polled_to_completion_and_its_pdf_downloaded(lead, admin):
    scenario = Scenario(lead, admin)

    response = lead.get(scenario.assessment_url("/report?format=pdf"), headers=ASYNC)

    assert response.status_code == 202
    assert response.headers["Location"] == f"/api/v1/jobs/{response.json['id']}"
    assert response.json["status"] == "queued" and response.json["kind"] == "report_pdf"
    job, seen = poll(lead, response.headers["Location"])
    assert job["status"] == "done", job
    assert (job["progress"], job["total"], job["error"]) == (2, 2, None)
    assert job["message"] == "The PDF report is ready."
    assert seen[-1] == ("done", 2, 2)
    assert [s for s in seen if s[0] == "running"]  # the progress was seen while it ran
    download = lead.get(job["result_url"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data.startswith(b"%PDF")
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="report-{scenario.assessment["id"]}.pdf"')


def test_the_pdf_stays_synchronous_without_the_prefer_header(lead, admin):
    scenario = Scenario(lead, admin)

    response = lead.get(scenario.assessment_url("/report?format=html"), headers=ASYNC)

    assert response.status_code == 200 and response.mimetype == "text/html"


def test_a_job_of_a_wrong_assessment_is_refused_at_once(lead, admin):
    scenario = Scenario(lead, admin)

    response = lead.get(scenario.url("/assessments/999999/report?format=pdf"), headers=ASYNC)

    assert response.status_code == 404


def test_another_organizations_user_gets_404_and_a_member_reads_it(app, lead, admin, make_api,
                                                                   monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_JOB_IMPORT_ROWS", 2)
    scenario = Scenario(lead, admin)
    outsider = make_api("out@example.org")
    assert outsider.post("/api/v1/orgs", json={"name": "Other"}).status_code == 201
    viewer = make_api("viewer@example.org")
    add_member(scenario.org["id"], "viewer@example.org", "viewer")

    response = lead.post(scenario.assessment_url("/ratings/import"), data=rows_csv(3),
                         headers={"Content-Type": "text/csv"})
    assert response.status_code == 202, response.json
    location = response.headers["Location"]
    poll(lead, location)

    assert outsider.get(location).status_code == 404
    assert outsider.get(location + "/result").status_code == 404
    assert outsider.get("/api/v1/jobs/not-a-key").status_code == 404
    assert viewer.get(location).json["status"] == "done"


def test_a_big_import_runs_as_a_job_and_a_small_one_in_the_request(app, lead, admin,
                                                                   monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_JOB_IMPORT_ROWS", 3)
    scenario = Scenario(lead, admin)
    path = scenario.assessment_url("/ratings/import")
    csv = {"Content-Type": "text/csv"}

    small = lead.post(path, data=rows_csv(3), headers=csv)
    big = lead.post(path, data=rows_csv(4).replace(b"P", b"Q"), headers=csv)

    assert small.status_code == 201 and small.json["ratings"] == 6
    assert big.status_code == 202
    job, _seen = poll(lead, big.headers["Location"])
    assert job["status"] == "done", job
    assert job["message"] == "Imported 8 ratings."
    assert job["result"]["ratings"] == 8 and len(job["result"]["respondent_ids"]) == 4
    assert job["result_url"] is None  # a JSON result, no file
    a_one = scenario.scores()["axes"][0]["dimensions"][0]
    assert (a_one["n"], a_one["score"]) == (7, 3.0)


def test_a_failing_job_ends_failed_with_a_message_and_writes_nothing(app, lead, admin,
                                                                     monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_JOB_IMPORT_ROWS", 3)
    scenario = Scenario(lead, admin)
    bad = rows_csv(5).replace(b"P4,engineer,claims,team,survey,,3", b"P4,engineer,claims,team,"
                                                                    b"survey,,9")

    response = lead.post(scenario.assessment_url("/ratings/import"), data=bad,
                         headers={"Content-Type": "text/csv"})

    assert response.status_code == 202
    job, _seen = poll(lead, response.headers["Location"])
    assert job["status"] == "failed"
    assert job["error"] == "1 cell(s) of the CSV are not valid; nothing was saved."
    assert job["result"] == {"errors": {"row 6.a.one": ["9 is outside the scale 1–5"]}}
    assert "Traceback" not in job["error"]
    assert lead.get(response.headers["Location"] + "/result").status_code == 404
    respondents = lead.get(scenario.assessment_url("/respondents")).json
    assert respondents["total"] == 0


def test_a_barometer_campaign_sent_by_a_job_queues_one_email_per_recipient(lead, admin):
    scenario = Scenario(lead, admin)
    created = lead.post(scenario.url("/schedules"), json={
        "kind": "barometer", "cron": "0 8 1 1,4,7,10 *",
        "recipients": ["ann@example.org", "bob@example.org"]})
    assert created.status_code == 201, created.json
    url = scenario.url(f"/schedules/{created.json['id']}/resend")

    response = lead.post(url, json={"to": "all"}, headers=ASYNC)

    assert response.status_code == 202 and response.json["kind"] == "barometer_send"
    job, _seen = poll(lead, response.headers["Location"])
    assert job["status"] == "done", job
    assert job["result"]["recipients"] == ["ann@example.org", "bob@example.org"]
    assert job["message"] == f"Barometer {job['result']['period']} queued for 2 recipients."
    again = lead.post(url, json={"to": "all"})  # the synchronous answer is unchanged
    assert again.status_code == 200
    assert (again.json["queued"], again.json["skipped"]) == (0, ["ann@example.org",
                                                                 "bob@example.org"])


def test_runs_and_failures_are_counted_by_kind(app, lead, admin, monkeypatch):
    from prometheus_client import REGISTRY

    def count(name: str) -> float:
        return REGISTRY.get_sample_value(name, {"kind": "ratings_import"}) or 0.0

    monkeypatch.setitem(app.config, "TRACKER_JOB_IMPORT_ROWS", 1)
    scenario = Scenario(lead, admin)
    runs, failures = count("tracker_job_runs_total"), count("tracker_job_failures_total")
    path, csv = scenario.assessment_url("/ratings/import"), {"Content-Type": "text/csv"}

    poll(lead, lead.post(path, data=rows_csv(2), headers=csv).headers["Location"])
    poll(lead, lead.post(path, data=rows_csv(2, "7"), headers=csv).headers["Location"])

    assert count("tracker_job_runs_total") == runs + 2
    assert count("tracker_job_failures_total") == failures + 1
