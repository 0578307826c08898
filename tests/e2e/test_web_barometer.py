"""The barometer and the schedules pages of the demo organization in a real browser: the
trend chart is drawn, French works, no console error."""

from __future__ import annotations

import pytest

from tests.e2e.browser import ARTIFACTS, sign_in
from tests.e2e.test_web_diagnostic import open_page, seed_demo


@pytest.mark.e2e
def test_barometer_and_schedules_render_without_console_errors(live_server, chromium):
    org_id, _assessment_id = seed_demo()
    page, errors, dialogs = open_page(chromium)
    sign_in(page, live_server)

    page.goto(f"{live_server}/orgs/{org_id}/barometer")
    page.wait_for_selector("#trend .main-svg")
    assert page.locator("#trend .scatterlayer .trace").count() >= 2
    assert page.is_visible("text=an association, not a proof")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "barometer.png"), full_page=True)

    page.click("nav.sections a:has-text('Schedules')")
    page.wait_for_selector("h1:has-text('Schedules and emails')")
    assert page.locator("button:has-text('Run now')").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "schedules.png"), full_page=True)

    page.click("button[lang=fr]")
    page.wait_for_selector("h1:has-text('Planifications et e-mails')")
    page.click("nav.sections a:has-text('Baromètre')")
    page.wait_for_selector("h2:has-text('Scores dans le temps')")
    page.wait_for_selector("#trend .main-svg")
    assert errors == [] and dialogs == []
