"""Issue 15's acceptance for schedules, through the browser: create a barometer schedule and
see its next runs in the organization's time zone; resend the barometer to one recipient
(the email lands in the mail folder); see the pilot effect on the barometer page. Every
page reached has no serious or critical axe-core violation and logs no console error; with
TRACKER_SCREENSHOTS=1 each step leaves docs/screenshots/schedules-<nn>-<step>.png."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.builders import Scenario, add_member
from tests.e2e.accessibility import Watched
from tests.e2e.campaign_steps import Campaign, emails_to
from tests.web.test_schedule_forms import mondays_at_nine, shown
from tracker.services.tenancy import accounts

LEAD, SPONSOR = "lead@example.org", "sponsor@example.org"
PASSWORD = "correct horse battery"  # the `lead` fixture's
NEW_YORK = ZoneInfo("America/New_York")
#: Ratings on the lifted dimensions a.one (weight 1) and a.two (weight 3), two respondents
#: per group: (team, a.one, a.two).
BEFORE = [("pilot", 2, 2), ("pilot", 2, 2), ("other", 3, 3), ("other", 3, 3)]
NOW = [("pilot", 4, 3), ("pilot", 4, 3), ("other", 3, 3), ("other", 3, 3)]


def _rate_and_close(lead: Any, scenario: Scenario, assessment_id: int,
                    rows: list[tuple[str, int, int]], dates: dict[str, str]) -> None:
    """Rate an assessment with one respondent per row, then open and close it."""
    url = scenario.url(f"/assessments/{assessment_id}")
    ratings = []
    for k, (team, one, two) in enumerate(rows):
        respondent = lead.post(f"{url}/respondents", json={
            "name": f"{team}-{assessment_id}-{k}", "role": "engineer", "team": team,
            "level": "team", "source": "survey"})
        assert respondent.status_code == 201, respondent.json
        ratings += [{"respondent_id": respondent.json["id"], "dimension": "a.one", "value": one},
                    {"respondent_id": respondent.json["id"], "dimension": "a.two", "value": two}]
    assert lead.put(f"{url}/ratings", json=ratings).status_code == 200
    for status in ("open", "closed"):
        moved = lead.patch(url, json={"status": status, **dates})
        assert moved.status_code == 200, moved.json


def pilot_organization(lead: Any, admin: Any) -> tuple[int, int, int]:
    """An organization in New York's time zone (groups of 2 shown) with a diagnostic closed
    before a pilot started and a pulse closed since; its id, the pilot's and the pulse's."""
    scenario = Scenario(lead, admin)
    org_id = scenario.org["id"]
    assert lead.patch(scenario.url(), json={"timezone": "America/New_York",
                                            "min_group_size": 2}).status_code == 200
    accounts.create_user(SPONSOR, PASSWORD)
    add_member(org_id, SPONSOR, "viewer")
    _rate_and_close(lead, scenario, scenario.assessment["id"], BEFORE,
                    {"opened_at": "2026-02-02T09:00:00Z", "closed_at": "2026-02-20T09:00:00Z"})
    pulse = lead.post(scenario.url("/assessments"), json={
        "framework_id": scenario.framework["id"], "title": "Pulse", "kind": "pulse"})
    assert pulse.status_code == 201, pulse.json
    _rate_and_close(lead, scenario, pulse.json["id"], NOW, {})
    initiative = lead.post(scenario.url("/initiatives"), json={
        "title": "Release autonomy", "uplifts": [{"dimension": "a.one", "expected": 0.5},
                                                 {"dimension": "a.two", "expected": 0.5}]})
    assert initiative.status_code == 201, initiative.json
    pilot = lead.post(scenario.url(f"/initiatives/{initiative.json['id']}/pilots"), json={
        "teams": ["pilot"], "start": "2026-03-02", "hypothesis": "Teams release alone."})
    assert pilot.status_code == 201, pilot.json
    return org_id, pilot.json["id"], pulse.json["id"]


@pytest.mark.e2e
def test_a_lead_plans_the_barometer_resends_it_and_reads_the_pilot_effect(
        live_server, chromium, app, lead, admin):
    org_id, pilot_id, pulse_id = pilot_organization(lead, admin)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    walk = Campaign(app, live_server, Watched(page), prefix="schedules", skip_missing=False)
    walk.ids["org"] = org_id
    page.goto(f"{live_server}/login")
    page.fill("#email", LEAD)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Your organizations")

    walk.visit(walk.org_path("/schedules"), "schedules")
    assert page.is_visible("text=No schedule yet.")
    walk.done("schedules")

    # a barometer every Monday at 09:00, in the organization's zone (New York)
    page.click("#new-schedule")
    page.select_option("#s-kind", "barometer")
    page.fill("#s-cron", "0 9 * * 1")
    page.select_option("#s-members", [LEAD, SPONSOR])
    page.click("#preview-schedule")
    page.wait_for_selector("#preview-runs li")
    expected = [shown(monday, NEW_YORK) for monday in mondays_at_nine(NEW_YORK)]
    assert page.locator("#preview-runs li").all_inner_texts() == expected
    assert page.inner_text("#preview-words").startswith("Every Monday, at 9:00")
    walk.done("preview")
    # while one types, the helper follows (static/js/schedule-preview.js)
    page.fill("#s-cron", "0 9 * * 2")
    page.wait_for_selector("#preview-words:has-text('Every Tuesday')")
    page.fill("#s-cron", "0 9 * * 1")
    page.wait_for_selector("#preview-words:has-text('Every Monday')")
    assert page.locator("#preview-runs li").all_inner_texts() == expected

    page.click("#save-schedule")
    page.wait_for_selector("text=Schedule saved")
    assert page.is_visible(f"td:has-text('{expected[0]}')")  # the next run
    walk.done("saved")

    # resend this quarter's barometer to the sponsor only
    resend = page.locator("form:has(select[name=to])")
    resend.locator("select").select_option(SPONSOR)
    resend.locator("button").click()
    page.wait_for_selector(f"text=queued for 1 recipient. Queued for: {SPONSOR}.")
    walk.done("resent")
    (mail,) = emails_to(app, SPONSOR)
    assert "Acme" in mail
    assert emails_to(app, LEAD) == []

    # the pilot effect (DESIGN section 3), dimensions a.one (W 1) and a.two (W 3):
    # before: pilot m = (1·2 + 3·2) / 4 = 2, others m = (1·3 + 3·3) / 4 = 3, difference -1;
    # now: pilot m = (1·4 + 3·3) / 4 = 3.25, others m = 3, difference 0.25;
    # effect = 0.25 - (-1) = 1.25
    walk.visit(walk.org_path("/barometer"), "barometer")
    row = page.locator(f"#effect-{pilot_id}-{pulse_id}")
    cells = row.locator("td").all_inner_texts()
    assert [c.split("\n")[-1].strip() for c in cells[1:5]] == ["3.25", "3.00", "2.00", "3.00"]
    assert [c.strip() for c in cells[5:]] == ["0.25", "-1.00", "1.25"]
    assert "2 respondents" in cells[1]
    assert page.is_visible("text=Dimensions lifted: A one, A two")
    assert page.is_visible("#progress-help")
    page.locator("#pilot-effects").scroll_into_view_if_needed()
    walk.done("pilot-effect")
    walk.assert_clean()
