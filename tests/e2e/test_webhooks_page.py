"""The webhooks page in Chromium: from the settings, an empty list naming the next step, a
bad address refused beside its field, a Slack webhook added (its secret shown once), a test
message received by a real HTTP server on 127.0.0.1 and shown in the delivery log. Every
page has no serious or critical axe-core violation and logs no console error. With
TRACKER_SCREENSHOTS=1, each step leaves docs/screenshots/webhooks-<nn>-<step>.png."""

from __future__ import annotations

import pytest

from tests.e2e import browser
from tests.e2e.accessibility import Watched, assert_accessible
from tests.e2e.campaign_steps import Campaign
from tests.integration.test_webhooks import Receiver
from tracker.seeding import demo
from tracker.services.tenancy import accounts, organizations

LEAD = "lea@hooks.example"


@pytest.mark.e2e
def test_a_lead_adds_a_slack_webhook_and_sends_a_test(app, live_server, chromium):
    lead = accounts.create_user(LEAD, demo.DEMO_PASSWORD, name="Léa Lead")
    org_id = organizations.create_organization(lead, {"name": "Hooks Co"}).id
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    watched = Watched(page)
    shots = Campaign(app, live_server, watched, prefix="webhooks")
    with Receiver() as receiver:
        browser.sign_in(page, live_server, LEAD)
        page.goto(f"{live_server}/orgs/{org_id}/settings")
        page.click("#settings-links a")
        page.wait_for_selector("#webhooks-empty")
        assert_accessible(watched, "empty webhooks page")
        shots.screenshot(page, "empty list", number=1)

        page.fill("#f-url", "ftp://files.example.org")
        page.click("#webhook-add")
        page.wait_for_selector("#url-error")
        assert_accessible(watched, "refused webhook")
        shots.screenshot(page, "bad address refused", number=2)

        page.fill("#f-url", receiver.url)
        page.select_option("#f-format", "slack")
        page.click("#webhook-add")
        secret = page.inner_text("#secret-value")
        assert len(secret) == 64
        assert_accessible(watched, "webhook added")
        shots.screenshot(page, "secret shown once", number=3)

        page.click("#webhooks button[id^=test-]")
        page.wait_for_selector("#deliveries tr.status-sent")
        assert len(receiver.requests) == 1
        assert "test message" in receiver.requests[0]["body"].decode()
        assert_accessible(watched, "delivery log")
        shots.screenshot(page, "delivery log", number=4)
