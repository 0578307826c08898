"""Issue 14's acceptance: a whole diagnostic campaign from an empty instance, through the
browser alone (no API call; the CLI only creates the first admin, and the outbox is flushed
as the scheduler would). Every page reached has no serious or critical axe-core violation
and logs no console error.

The pages of the campaign land one by one: a step whose page answers 404 skips the rest of
the test, naming that page, so the test grows complete as they are built. With
TRACKER_SCREENSHOTS=1, each step leaves docs/screenshots/campaign-<nn>-<step>.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.e2e.accessibility import Watched
from tests.e2e.campaign_steps import (
    Campaign,
    emails_to,
    id_in,
    link_path,
    preview_and_import,
)

ADMIN = "admin@campaign.example"
COLLEAGUE = "ops@campaign.example"
PASSWORD = "campaign-Secret-2026"
GRID = """code: campaign-grid
name: Campaign grid
version: 1
scale:
  - {value: 1, label: Initial}
  - {value: 2, label: Managed}
  - {value: 3, label: Defined}
  - {value: 4, label: Measured}
  - {value: 5, label: Optimizing}
axes:
  - code: delivery
    name: Delivery
    dimensions:
      - code: delivery.review
        name: Code review
        levels:
          1: Reviews happen when someone remembers.
          5: The review practice improves from its own data.
      - code: delivery.release
        name: Release
  - code: product
    name: Product
    dimensions:
      - code: product.discovery
        name: Discovery
      - code: product.outcomes
        name: Outcomes
"""

TYPED = [("Sam Survey", "sam@campaign.example", "engineer", "claims", "team"),
         ("Sue Survey", "sue@campaign.example", "product_manager", "claims", "team"),
         ("Sid Survey", "sid@campaign.example", "engineer", "pricing", "team"),
         ("Sal Survey", "sal@campaign.example", "product_manager", "pricing", "team")]
#: Interviews: two leaders who see the practices better than the others do (a blind spot,
#: and a perception gap between the executives and the managers).
INTERVIEWED = [("Ian Interview", "executive", "leadership", "leader", "5;4,5;5;5"),
               ("Ivy Interview", "executive", "leadership", "leader", "5;5;4,5;5"),
               ("Ike Interview", "manager", "platform", "manager", "1;2;1;1"),
               ("Ida Interview", "manager", "platform", "manager", "2;1;1;1")]
DIMENSIONS = ("delivery.review", "delivery.release", "product.discovery", "product.outcomes")


def first_admin(campaign: Campaign) -> None:
    """The only CLI step: the first admin, created on the server; then sign in."""
    created = campaign.app.test_cli_runner().invoke(args=[
        "users", "create", ADMIN, "--password", PASSWORD, "--name", "Ada Admin", "--admin"])
    assert created.exit_code == 0, created.output
    campaign.visit("/login", "sign in")
    campaign.done("sign in")
    campaign.page.fill("#email", ADMIN)
    campaign.page.fill("#password", PASSWORD)
    campaign.page.click("main button[type=submit]")
    campaign.page.wait_for_selector("h1:has-text('Your organizations')")
    assert campaign.page.locator("#no-organization #organization-create").is_visible()
    campaign.done("home of a new user")


def create_organization(campaign: Campaign) -> None:
    """Create the client's organization from the home page's first step."""
    page = campaign.page
    campaign.visit("/orgs/new", "new organization")
    page.fill("#f-name", "Campaign client")
    page.fill("#f-min_group_size", "2")
    campaign.done("new organization")
    page.click("#organization-save")
    page.wait_for_url(re.compile(r"/orgs/\d+/"))
    campaign.ids["org"] = id_in(page.url, "orgs")


def invite_colleague(campaign: Campaign, browser: Any) -> None:
    """Invite a colleague as ops; the colleague follows the emailed link in a browser of
    their own and sets a password."""
    page = campaign.page
    campaign.visit(campaign.org_path("/members"), "members")
    page.fill("#invite-email", COLLEAGUE)
    page.select_option("#invite-role", "ops")
    page.click("#invite-send")
    page.wait_for_selector(f"#invitations >> text={COLLEAGUE}")
    campaign.done("colleague invited")
    link = link_path(emails_to(campaign.app, COLLEAGUE), "invitations")
    colleague = Watched(browser.new_page(viewport={"width": 1280, "height": 900}))
    try:
        colleague.page.goto(f"{campaign.base}{link}")
        colleague.page.fill("#name", "Oscar Ops")
        colleague.page.fill("#password", "colleague-Secret-2026")
        colleague.page.fill("#confirm_password", "colleague-Secret-2026")
        campaign.check(colleague, "invitation page")
        colleague.page.click("button:has-text('Create my account and join')")
        colleague.page.wait_for_url(f"**{campaign.org_path('/assessments')}")
        campaign.check(colleague, "colleague lands in the organization")
    finally:
        colleague.page.close()
    page.reload()
    assert page.locator("#members", has_text=COLLEAGUE).count() == 1
    campaign.done("colleague joined")


def upload_grid(campaign: Campaign, tmp_path: Path) -> None:
    """Upload the campaign's grid file (YAML, the DESIGN format) with a preview."""
    page = campaign.page
    campaign.visit(campaign.org_path("/frameworks/upload"), "grid upload")
    grid = tmp_path / "campaign-grid.yaml"
    grid.write_text(GRID, encoding="utf-8")
    page.set_input_files("#f-file", str(grid))
    preview_and_import(campaign, "#preview-grid", "grid preview")
    assert page.locator("main", has_text="Code review").count() == 1
    campaign.done("grid imported")


def create_assessment(campaign: Campaign) -> None:
    """A diagnostic on the imported grid, from the assessments page."""
    page = campaign.page
    campaign.visit(campaign.org_path("/assessments/new"), "new assessment")
    page.fill("#f-title", "Diagnostic 2026")
    page.select_option("#f-kind", "diagnostic")
    page.select_option("#f-framework_id", label="Campaign grid (v1)")
    campaign.done("new assessment")
    page.click("#create-assessment")
    page.wait_for_url(re.compile(r"/assessments/\d+/cockpit$"))
    campaign.ids["assessment"] = id_in(page.url, "assessments")
    campaign.done("assessment cockpit")


def add_respondents(campaign: Campaign, tmp_path: Path) -> None:
    """Four survey respondents typed one by one, four interviews from an .xlsx list."""
    page = campaign.page
    campaign.visit(campaign.assessment_path("/respondents"), "respondents")
    for name, email, role, team, level in TYPED:
        for field_name, value in (("name", name), ("email", email), ("role", role),
                                  ("team", team), ("level", level)):
            page.fill(f"#respondent-add-form #r-{field_name}", value)
        page.select_option("#respondent-add-form #r-source", "survey")
        page.click("#respondent-add-form button[type=submit]")
        page.wait_for_selector(f"#respondents-table >> text={name}")
    campaign.done("respondents typed")
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(["name", "role", "team", "level", "source"])
    for name, role, team, level, _ratings in INTERVIEWED:
        sheet.append([name, role, team, level, "interview"])
    listing = tmp_path / "interviews.xlsx"
    workbook.save(listing)
    page.set_input_files("#r-file", str(listing))
    page.click("#respondents-import-form button[type=submit]")
    page.wait_for_selector("#confirm-add")
    campaign.done("respondents list preview")
    page.click("#confirm-add")
    page.wait_for_selector(f"#respondents-table >> text={INTERVIEWED[-1][0]}")
    assert page.locator("#respondents-table tbody tr").count() == 8
    campaign.done("eight respondents")


def open_and_invite(campaign: Campaign) -> None:
    """Open the assessment from its cockpit, then send the survey invitations."""
    page = campaign.page
    campaign.visit(campaign.assessment_path("/cockpit"), "assessment cockpit")
    page.click("#open")
    page.wait_for_selector("#close")
    campaign.done("assessment open")
    campaign.visit(campaign.assessment_path("/respondents"), "respondents")
    page.click("#send-invitations")
    page.wait_for_selector("#send-invitations:disabled")
    campaign.done("invitations sent")


def answer_surveys(campaign: Campaign, browser: Any) -> None:
    """Each survey respondent follows the link of their email and answers every dimension,
    step by step."""
    for number, (name, email, *_rest) in enumerate(TYPED):
        link = link_path(emails_to(campaign.app, email), "survey")
        respondent = Watched(browser.new_page(viewport={"width": 390, "height": 844}))
        try:
            respondent.page.goto(f"{campaign.base}{link}")
            for offset, code in enumerate(DIMENSIONS):
                value = 1 + (number + offset) % 5
                radio = respondent.page.locator(f'input[name="value:{code}"][value="{value}"]')
                if radio.count() == 0:  # on the survey's next step (one axis a step)
                    respondent.page.click("button[name=go][value=next]")
                    radio.wait_for(state="attached")
                radio.check()
            respondent.page.click("text=Save my answers")
            respondent.page.wait_for_selector("text=Your answers are saved.")
            campaign.check(respondent, f"survey of {name}")
            if number == 0:
                campaign.screenshot(respondent.page, "survey answered", full_page=False,
                                    number=campaign.steps + 1)
        finally:
            respondent.page.close()
    campaign.visit(campaign.assessment_path("/cockpit"), "assessment cockpit")
    campaign.done("four surveys answered")


def upload_ratings(campaign: Campaign, tmp_path: Path) -> None:
    """The interviews' ratings from a CSV with `;` separators and decimal commas."""
    page = campaign.page
    campaign.visit(campaign.assessment_path("/ratings/upload"), "ratings upload")
    rows = ["name;role;team;level;source;" + ";".join(DIMENSIONS)]
    rows += [f"{name};{role};{team};{level};interview;{values}"
             for name, role, team, level, values in INTERVIEWED]
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("\ufeff" + "\n".join(rows) + "\n", encoding="utf-8")
    page.set_input_files("#ratings-upload-form #f-file", str(ratings))
    page.click("#ratings-preview")
    page.wait_for_selector("#preview")
    assert page.inner_text("#preview-updated").strip() == "4"
    campaign.done("ratings preview")
    page.click("#ratings-confirm")
    page.wait_for_load_state()
    campaign.done("ratings saved")


def add_verbatim(campaign: Campaign) -> None:
    """A verbatim heard in an interview, on the code review dimension."""
    page = campaign.page
    campaign.visit(campaign.assessment_path("/evidence"), "verbatims")
    page.fill("#evidence-form #f-text", "Reviews wait three days for the one senior engineer.")
    page.select_option("#evidence-form #f-source", "interview")
    page.select_option("#evidence-form #f-tone", "pain")
    page.check("#dim-delivery\\.review")
    page.click("#evidence-add")
    page.wait_for_selector("#verbatims >> text=Reviews wait three days")
    campaign.done("verbatim added")


def set_targets(campaign: Campaign) -> None:
    """Target level 4 on the delivery axis (applied to its dimensions), 3 on discovery."""
    page = campaign.page
    campaign.visit(campaign.org_path("/targets"), "targets")
    page.select_option("#framework_id", label="Campaign grid (v1)")
    page.click("#framework-picker button[type=submit]")
    page.wait_for_selector("#targets-form")
    page.fill("#axis-delivery", "4")
    page.fill("#t-product\\.discovery", "3")
    page.click("#save-targets")
    page.wait_for_selector("text=Targets saved.")
    campaign.done("targets set")


def close_and_read(campaign: Campaign) -> None:
    """Close the assessment, then read its scores, perception gaps and blind spots."""
    page = campaign.page
    campaign.visit(campaign.assessment_path("/cockpit"), "assessment cockpit")
    page.check("#close-confirm")
    page.click("#close")
    page.wait_for_selector("#reopen")
    campaign.done("assessment closed")
    campaign.visit(campaign.assessment_path(), "diagnostic")
    page.wait_for_selector("#radar .main-svg")
    assert page.locator("#scores th[scope=row]").all_inner_texts() == [
        "Code review", "Release", "Discovery", "Outcomes"]
    assert page.locator("#scores .badge.gap", has_text="perception gap").count() >= 1
    assert page.locator("#scores .badge.blind", has_text="blind spot").count() >= 1
    campaign.done("diagnostic")


def accept_suggestions(campaign: Campaign) -> None:
    """Accept two suggested findings in one action."""
    page = campaign.page
    campaign.visit(campaign.org_path(f"/findings?assessment_id={campaign.ids['assessment']}"),
                   "findings")
    if page.locator("#review-form input[name=finding_ids]").count() < 2:
        page.click("#suggest-findings")
        page.wait_for_load_state()
    boxes = page.locator("#review-form input[name=finding_ids]")
    assert boxes.count() >= 2, "the rules suggested fewer than two findings"
    boxes.nth(0).check()
    boxes.nth(1).check()
    campaign.done("suggestions selected")
    page.click("#accept-selected")
    page.wait_for_load_state()
    assert page.locator("#findings-table tr.finding").count() >= 2
    campaign.done("two findings accepted")


def open_report(campaign: Campaign) -> None:
    """The diagnostic report, from the assessment's cockpit."""
    page = campaign.page
    campaign.visit(campaign.assessment_path("/cockpit"), "assessment cockpit")
    page.click("#report-link")
    page.wait_for_url(re.compile(r"/report$"))
    assert page.locator("text=Reviews wait three days").count() >= 1  # the verbatim
    campaign.done("report")


@pytest.mark.e2e
def test_a_lead_runs_a_whole_campaign_in_the_browser(live_server, chromium, app, tmp_path):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    campaign = Campaign(app, live_server, Watched(page))
    first_admin(campaign)
    create_organization(campaign)
    invite_colleague(campaign, chromium)
    upload_grid(campaign, tmp_path)
    create_assessment(campaign)
    add_respondents(campaign, tmp_path)
    open_and_invite(campaign)
    answer_surveys(campaign, chromium)
    upload_ratings(campaign, tmp_path)
    add_verbatim(campaign)
    set_targets(campaign)
    close_and_read(campaign)
    accept_suggestions(campaign)
    open_report(campaign)
    campaign.assert_clean()
