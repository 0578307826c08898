"""Editing initiatives and reading their history in a real browser (issue 15, Decide): the
lead picks two uplift dimensions by typing part of their names, archives the initiative
behind its confirmation and finds it in the decision log, reads why a suggested template
applies in plain words, and sees the audit trail with its author and human labels.

Every page reached passes axe-core (no serious or critical violation) with no console error;
with TRACKER_SCREENSHOTS=1 each step leaves docs/screenshots/decide-edit-<nn>-<step>.png.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.e2e.accessibility import Watched
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign
from tests.playbook_scenario import WHY, playbook_scenario
from tracker.extensions import db
from tracker.models import User

LEAD = "lead@example.org"
LEAD_NAME = "Lee Lead"
PASSWORD = "correct horse battery"  # the one `make_api` gives its users
TITLE = "Clarify roles across both axes"


def hidden(page: Any, selector: str) -> bool:
    """Whether the element is hidden by the picker's filter (its `hidden` property)."""
    return bool(page.eval_on_selector(selector, "node => node.hidden"))


def pick_two_uplifts(campaign: Campaign) -> int:
    """The new initiative form: type part of a dimension's name, choose it, add a row, the
    same for a second one; save. Answers the initiative's id."""
    page = campaign.page
    campaign.visit(campaign.org_path("/initiatives/new"), "new initiative")
    campaign.done("new initiative form")
    page.fill("#f-title", TITLE)
    assert not page.is_visible("#f-uplift-dimension-2")  # one blank row shown at a time
    page.fill("#f-uplift-dimension-1-filter", "one")
    assert not hidden(page, '#f-uplift-dimension-1 option[value="a.one"]')
    assert hidden(page, '#f-uplift-dimension-1 option[value="b.two"]')
    page.select_option("#f-uplift-dimension-1", label="A one (a.one)")
    page.fill("#f-uplift-expected-1", "0.5")
    page.click("#add-uplift")  # shows the next row, sends nothing
    assert page.url.endswith("/initiatives/new")
    page.fill("#f-uplift-dimension-2-filter", "b tw")
    assert hidden(page, '#f-uplift-dimension-2 option[value="a.two"]')
    page.select_option("#f-uplift-dimension-2", label="B two (b.two)")
    page.fill("#f-uplift-expected-2", "1")
    campaign.done("two uplifts picked by name")
    page.click("form.initiative-form button[type=submit]:not([name])")
    page.wait_for_url(re.compile(r"/initiatives/\d+$"))
    initiative_id = int(page.url.rsplit("/", 1)[1])
    uplifts = page.inner_text("section[aria-labelledby=trace-title]")
    assert "A one a.one: +0.5" in uplifts and "B two b.two: +1" in uplifts
    campaign.done("initiative with its uplifts")
    return initiative_id


def archive(campaign: Campaign, initiative_id: int) -> None:
    """Archive behind the confirmation, then find the archiving in the decision log."""
    page = campaign.page
    assert not page.is_visible("#archive")  # the real button waits in the confirmation
    page.click("#archive-confirm summary")
    assert "it is listed in the decision log, and it can be restored" in page.inner_text(
        "#archive-what")
    campaign.done("archive confirmation")
    page.click("#archive")
    page.wait_for_selector("#archived")
    campaign.done("archived")
    campaign.visit(campaign.org_path("/decisions"), "decision log")
    row = page.locator('#decisions-table tr[data-kind="archive"]')
    assert row.count() == 1
    assert f"“{TITLE}” archived" in row.inner_text() and LEAD_NAME in row.inner_text()
    assert row.locator(f'a[href$="/initiatives/{initiative_id}"]').count() == 1
    campaign.done("decision log lists the archiving")


def why_it_applies(campaign: Campaign) -> None:
    """The suggested template's reason in plain words, its numbers computed by hand."""
    campaign.visit(campaign.assessment_path("/suggestions"), "suggestions")
    assert campaign.page.inner_text("td.why").strip() == WHY
    campaign.done("why it applies")


def audit_trail(campaign: Campaign, initiative_id: int) -> None:
    """The initiative's trail and the organization's log: author, labels, formatted values."""
    page = campaign.page
    campaign.visit(campaign.org_path(f"/initiatives/{initiative_id}"), "initiative")
    trail = page.inner_text("table.audit")
    assert LEAD_NAME in trail and "· created" in trail and "· archived" in trail
    assert "Expected uplifts: – → A one +0.5; B two +1" in trail
    assert "Title: – → " + TITLE in trail and "Status: – → proposed" in trail
    for raw in ("archived_at", "duration_weeks", "{'", "None"):
        assert raw not in trail
    campaign.done("audit trail")
    campaign.visit(campaign.org_path("/audit?entity=initiative"), "audit log")
    log = page.inner_text("main table")
    assert f"initiative #{initiative_id} · archived" in log and LEAD_NAME in log
    assert "Archived: – → " in log
    campaign.done("audit log")


@pytest.mark.e2e
def test_pick_uplifts_archive_and_read_the_history(app: Flask, live_server: str, chromium: Any,
                                                   lead: Any, admin: Any) -> None:
    scenario = playbook_scenario(lead, admin)
    db.session.scalars(db.select(User).filter_by(email=LEAD)).one().name = LEAD_NAME
    db.session.commit()
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    campaign = Campaign(app, live_server, Watched(page), prefix="decide-edit",
                        skip_missing=False, ids={"org": scenario.org["id"],
                                                 "assessment": scenario.assessment["id"]})
    sign_in(page, live_server, LEAD, PASSWORD)
    initiative_id = pick_two_uplifts(campaign)
    archive(campaign, initiative_id)
    why_it_applies(campaign)
    audit_trail(campaign, initiative_id)
    campaign.assert_clean()
