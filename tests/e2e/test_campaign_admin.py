"""Issue 14, the campaign's administration through the browser alone: members (a role
changed, the last lead kept, an invitation resent then cancelled), the user's own page
(name, language, password, an API token shown once then revoked), frameworks (an OWASP
SAMM zip, a new version of an own grid, a grid file whose every error is named), a closed
assessment reopened with a reason, respondents (edited, removed, a pasted list refused on
its bad cell), evidence (a survey comment promoted without its respondent's name, a
verbatim edited and linked to a finding, one removed) and findings (written, edited, two
merged with their history kept); and the diagnostic page with 60 findings: no horizontal
scroll at 1280 px, and one picker pair marks a symptom.

Every page reached has no serious or critical axe-core violation and logs no console
error; with TRACKER_SCREENSHOTS=1 each step leaves docs/screenshots/campaign-admin-<nn>-*.png.

The pre-conditions that are not under test are seeded through the services: the demo
organization (its lead, ops, contributor and viewer, the closed "Pulse Q3 2026" with its
survey respondents, ratings, verbatims and findings) and one survey comment on a rating of
that pulse (answering a survey in the browser is covered by test_campaign.py and
test_survey.py).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.e2e.accessibility import Watched
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign, emails_to, link_paths, preview_and_import
from tests.e2e.test_web_findings import seed_sixty
from tests.web_helpers import seed_demo
from tracker.extensions import db
from tracker.models import Assessment, Rating, Respondent
from tracker.seeding import demo

SAMM = Path(__file__).resolve().parents[1] / "data" / "samm-sample"
LEAD = "lead@novatechna.example"
CONTRIBUTOR = "contributor@novatechna.example"
GUEST = "guest@campaign-admin.example"
NEW_PASSWORD = "walk-Through-2026-secret"
PULSE = "Pulse Q3 2026"
COMMENT = "Our retrospectives end with actions nobody owns."
#: A grid document with four mistakes: no name, a scale of one level, an axis of negative
#: weight and a dimension with no name.
BAD_GRID = """code: broken-grid
version: 1
scale:
  - {value: 1, label: Only}
axes:
  - code: delivery
    name: Delivery
    weight: -1
    dimensions:
      - code: delivery.review
"""

def seed_pulse(app: Flask, base: str, page: Any) -> Campaign:
    """The demo organization, with a survey comment on one rating of its closed pulse;
    the campaign walker of `page` on that pulse (service-seeded pre-conditions, see the
    module)."""
    org_id = seed_demo()
    pulse = db.session.scalars(select(Assessment).where(Assessment.org_id == org_id,
                                                        Assessment.title == PULSE)).one()
    rating, name = db.session.execute(
        select(Rating, Respondent.name).join(Respondent, Rating.respondent_id == Respondent.id)
        .where(Rating.assessment_id == pulse.id, Respondent.source == "survey")
        .order_by(Rating.id)).first()
    rating.comment = COMMENT
    db.session.commit()
    return Campaign(app, base, Watched(page), prefix="campaign-admin", skip_missing=False,
                    ids={"org": org_id, "assessment": pulse.id},
                    names={"commenter": name})


def flashed(page: Any, text: str) -> None:
    """Wait for a flash message holding `text`."""
    page.wait_for_selector(f"main .flash:has-text({text!r})")


def members(campaign: Campaign, browser: Any) -> None:
    """A role changed, the last lead kept, an invitation resent (a new email) then
    cancelled (its links stop working)."""
    page = campaign.page
    campaign.visit(campaign.org_path("/members"), "members")
    campaign.done("members")
    contributor = page.get_attribute(f"#members tr:has-text('{CONTRIBUTOR}')", "data-user")
    page.select_option(f"#role-{contributor}", "ops")
    page.click(f"#role-save-{contributor}")
    flashed(page, "The role is changed.")
    assert page.input_value(f"#role-{contributor}") == "ops"
    campaign.done("role changed")

    lead = page.get_attribute(f"#members tr:has-text('{LEAD}')", "data-user")
    page.select_option(f"#role-{lead}", "ops")
    page.click(f"#role-save-{lead}")
    page.wait_for_selector("main .flash.error")
    assert "at least one lead" in page.inner_text("main .flash.error")
    assert page.input_value(f"#role-{lead}") == "lead"
    campaign.done("last lead kept")

    page.fill("#invite-email", GUEST)
    page.select_option("#invite-role", "viewer")
    page.click("#invite-send")
    page.wait_for_selector(f"#invitations >> text={GUEST}")
    invitation = page.get_attribute(f"#invitations tr:has-text('{GUEST}')", "data-invitation")
    assert len(link_paths(emails_to(campaign.app, GUEST), "invitations")) == 1
    page.click(f"#resend-{invitation}")
    flashed(page, "The invitation is sent again")
    links = link_paths(emails_to(campaign.app, GUEST), "invitations")
    assert len(set(links)) == 2, links  # the resent email, with a new link
    campaign.done("invitation resent")
    invitation = page.get_attribute(f"#invitations tr:has-text('{GUEST}')", "data-invitation")
    page.click(f"#cancel-{invitation}")
    flashed(page, "The invitation is cancelled.")
    assert page.locator("#pending .empty a[href='#invite-email']").count() == 1
    campaign.done("invitation cancelled")
    guest = Watched(browser.new_page(viewport={"width": 1280, "height": 900}))
    try:
        for link in links:
            response = guest.page.goto(f"{campaign.base}{link}")
            assert response is not None and response.status in (404, 410), link
            assert guest.page.locator("text=This invitation cannot be used").count() == 1
            assert guest.page.locator("#password").count() == 0
        campaign.check(guest, "cancelled invitation link")
        campaign.screenshot(guest.page, "cancelled invitation link", number=campaign.steps)
    finally:
        guest.page.close()


def account(campaign: Campaign, browser: Any) -> None:
    """Name and language changed, the password changed (the new one signs in), an API token
    created (its secret shown once) and revoked."""
    page = campaign.page
    campaign.visit("/account", "account")
    campaign.done("account")
    profile = "section[aria-labelledby=profile-title] button[type=submit]"
    page.fill("#name", "Léa Vidal-Walker")
    page.select_option("#locale", "fr")
    page.click(profile)
    page.wait_for_selector("html[lang=fr]")
    campaign.done("language changed")
    page.select_option("#locale", "en")
    page.click(profile)
    page.wait_for_selector("html[lang=en]")
    assert page.input_value("#name") == "Léa Vidal-Walker"

    page.fill("#current_password", demo.DEMO_PASSWORD)
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#confirm_password", NEW_PASSWORD)
    page.click("section[aria-labelledby=password-title] button[type=submit]")
    page.wait_for_selector("main .flash")
    assert page.locator("main .flash.error").count() == 0
    campaign.done("password changed")
    again = Watched(browser.new_page(viewport={"width": 1280, "height": 900}))
    try:
        sign_in(again.page, campaign.base, password=NEW_PASSWORD)
        campaign.check(again, "signed in with the new password")
    finally:
        again.page.close()

    page.fill("#token-name", "walk token")
    page.click("section[aria-labelledby=tokens-title] form button[type=submit]")
    page.wait_for_selector("#new-token")
    secret = page.inner_text("#new-token").strip()
    assert len(secret) >= 20
    campaign.done("token created")
    campaign.visit("/account", "account")
    assert page.locator("#new-token").count() == 0 and secret not in page.content()
    page.click("button[aria-label='Revoke the token walk token']")
    page.wait_for_selector("tr:has-text('walk token') .badge")
    campaign.done("token revoked")


def frameworks(campaign: Campaign, tmp_path: Path) -> None:
    """An OWASP SAMM model uploaded as a zip (made here from tests/data/samm-sample), a new
    version of that own grid, and a grid document whose every error is named."""
    page = campaign.page
    archive = tmp_path / "samm.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(SAMM.rglob("*")):
            if path.is_file():
                bundle.write(path, path.relative_to(SAMM).as_posix())
    campaign.visit(campaign.org_path("/frameworks/upload"), "grid upload")
    page.set_input_files("#f-model_zip", str(archive))
    first = preview_and_import(campaign, "#preview-samm", "SAMM preview")
    campaign.done("SAMM imported")

    page.click("#new-version")
    page.wait_for_selector("#f-content")
    version = re.search(r"^version: (\d+)$", page.input_value("#f-content"), re.MULTILINE)
    assert version is not None  # the grid's next version, filled in
    assert preview_and_import(campaign, "#preview-grid") != first
    campaign.done("new version")
    campaign.visit(campaign.org_path("/frameworks"), "frameworks")
    own = page.locator("section[aria-labelledby=own-grids] tbody tr")
    assert own.count() == 2
    assert own.filter(has_text=version.group(1)).count() == 1
    campaign.done("library")

    campaign.visit(campaign.org_path("/frameworks/upload"), "grid upload")
    page.fill("#f-content", BAD_GRID)
    page.click("#preview-grid")
    page.wait_for_selector("#document-errors")
    errors = page.locator("#document-errors li").all_inner_texts()
    assert len(errors) == 4, errors
    for where in ("name", "scale", "axis 1 (delivery) › weight",
                  "axis 1 (delivery) › dimension 1 (delivery.review) › name"):
        assert any(error.startswith(where) for error in errors), (where, errors)
    campaign.done("grid errors named")


def reopen(campaign: Campaign) -> None:
    """The lead reopens the closed pulse from its cockpit, saying why."""
    page = campaign.page
    campaign.visit(campaign.assessment_path("/cockpit"), "cockpit")
    page.fill("#reopen-reason", "Two interviews were entered on the wrong team.")
    campaign.done("reopen with a reason")
    page.click("#reopen")
    page.wait_for_selector("#close-form")
    campaign.done("assessment reopened")
    campaign.visit(campaign.assessment_path(), "diagnostic")
    assert page.locator("table.corrections",
                        has_text="Two interviews were entered on the wrong team.").count() == 1


def respondents(campaign: Campaign) -> None:
    """A respondent added, edited and removed; a pasted list with a bad cell names the cell
    and adds nobody."""
    page = campaign.page
    campaign.visit(campaign.assessment_path("/respondents"), "respondents")
    rows = page.locator("#respondents-table tbody tr")
    before = rows.count()
    page.fill("#respondent-add-form #r-name", "Tess Temporary")
    page.fill("#respondent-add-form #r-team", "claims")
    page.click("#respondent-add-form button[type=submit]")
    page.wait_for_selector("#respondents-table >> text=Tess Temporary")
    page.click("#respondents-table tr:has-text('Tess Temporary') a:has-text('Edit')")
    page.wait_for_selector("#respondent-edit-form")
    page.fill("#r-team", "pricing")
    campaign.done("respondent edit")
    page.click("#respondent-edit-form button[type=submit]")
    page.wait_for_selector("#respondents-table >> text=Tess Temporary")
    assert "pricing" in page.inner_text("#respondents-table tr:has-text('Tess Temporary')")
    campaign.done("respondent edited")
    page.click("#respondents-table tr:has-text('Tess Temporary') button:has-text('Remove')")
    page.wait_for_load_state()
    assert page.locator("#respondents-table >> text=Tess Temporary").count() == 0
    assert rows.count() == before
    campaign.done("respondent removed")

    page.fill("#r-list", "name,email,source\nPat Pasted,pat@campaign-admin.example,survey\n"
                         "Bea Badcell,not-an-email,survey\n")
    page.click("#respondents-import-form button[type=submit]")
    page.wait_for_selector("#preview-errors")
    assert re.search(r"row 3, email", page.inner_text("#preview-errors"))
    assert page.locator("#confirm-add").count() == 0
    campaign.done("list with a bad cell")
    campaign.visit(campaign.assessment_path("/respondents"), "respondents")
    assert rows.count() == before
    assert page.locator("#respondents-table >> text=Pat Pasted").count() == 0


def evidence(campaign: Campaign) -> None:
    """A survey comment promoted in one click, never shown with its respondent's name; a
    verbatim edited and linked to a finding; another removed."""
    page = campaign.page
    commenter = campaign.names["commenter"]
    campaign.visit(campaign.assessment_path("/evidence"), "verbatims")
    candidate = page.locator("#candidates form.candidate", has_text=COMMENT)
    assert candidate.count() == 1
    assert commenter not in page.inner_text("#candidates")
    campaign.done("survey comment candidate")
    candidate.locator("button[type=submit]").click()
    page.wait_for_selector(f"#verbatims >> text={COMMENT}")
    assert page.locator("#candidates form.candidate", has_text=COMMENT).count() == 0
    campaign.done("comment promoted")

    page.click(f"#verbatims tr:has-text({COMMENT!r}) a:has-text('Edit')")
    page.wait_for_selector("#evidence-form")
    page.fill("#f-text", COMMENT + " Every sprint.")
    finding = page.locator("#f-finding_ids label").first
    title = finding.inner_text().strip().rsplit(" (", 1)[0]  # "<title> (<kind>)"
    finding.locator("input").check()
    campaign.done("verbatim edit")
    page.click("#evidence-save")
    row = page.locator("#verbatims tr", has_text="Every sprint.")
    row.wait_for()
    assert title in row.inner_text()
    campaign.done("verbatim edited and linked")
    campaign.visit(campaign.assessment_path(), "diagnostic")
    verbatims = page.inner_text("#verbatims")
    assert "Every sprint." in verbatims and commenter not in verbatims
    campaign.visit(campaign.assessment_path("/evidence"), "verbatims")

    count = page.locator("#verbatims tbody tr").count()
    other = page.locator("#verbatims tbody tr").filter(has_not_text="Every sprint.").first
    other.locator("button:has-text('Remove')").click()
    page.wait_for_load_state()
    assert page.locator("#verbatims tbody tr").count() == count - 1
    campaign.done("verbatim removed")


def write_finding(campaign: Campaign, title: str) -> None:
    """Write a finding by hand from the findings page of the pulse."""
    page = campaign.page
    campaign.visit(campaign.org_path(f"/findings?assessment_id={campaign.ids['assessment']}"),
                   "findings")
    page.click("#new-finding")
    page.wait_for_selector("#finding-form")
    page.fill("#f-title", title)
    page.fill("#f-description", "Heard in the pulse's survey comments.")
    page.locator("#f-dimensions option").first.wait_for(state="attached")
    page.select_option("#f-dimensions", index=0)


def findings_by_hand(campaign: Campaign) -> None:
    """A finding written, edited, then merged with another (the merged one stays, marked)."""
    page = campaign.page
    write_finding(campaign, "Retros change nothing")
    campaign.done("finding form")
    page.click("#save-finding")
    page.wait_for_selector("#findings-table >> text=Retros change nothing")
    campaign.done("finding written")
    page.click("a[aria-label='Edit Retros change nothing']")
    page.wait_for_selector("#finding-form")
    page.fill("#f-title", "Retrospectives change nothing")
    page.click("#save-finding")
    page.wait_for_selector("#findings-table >> text=Retrospectives change nothing")
    campaign.done("finding edited")

    write_finding(campaign, "Actions from retros have no owner")
    page.click("#save-finding")
    page.wait_for_selector("#findings-table >> text=Actions from retros have no owner")
    page.click("a[aria-label='Merge Actions from retros have no owner']")
    page.wait_for_selector("#merge-form")
    page.select_option("#f-other_id", page.get_attribute(
        "#f-other_id option:has-text('Retrospectives change nothing')", "value"))
    page.check("#f-confirm")
    campaign.done("merge form")
    page.click("#merge-findings")
    page.wait_for_selector("#findings-table .merged-into")
    merged = page.locator("#findings-table tr.finding", has=page.locator(".merged-into"))
    assert merged.count() == 1 and ("Actions from retros have no owner" in merged.inner_text()
                                    or "Retrospectives change nothing" in merged.inner_text())
    campaign.done("findings merged")


@pytest.mark.e2e
def test_a_lead_administers_the_campaign_in_the_browser(live_server, chromium, app, tmp_path):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    campaign = seed_pulse(app, live_server, page)
    sign_in(campaign.page, live_server)
    members(campaign, chromium)
    account(campaign, chromium)
    frameworks(campaign, tmp_path)
    reopen(campaign)
    respondents(campaign)
    findings_by_hand(campaign)
    evidence(campaign)
    campaign.assert_clean()


def no_horizontal_scroll(page: Any) -> bool:
    """Neither the page nor the findings table scrolls sideways at 1280 px."""
    return page.evaluate("""() => {
        const wrap = document.querySelector('#diagnostic-findings').parentElement;
        return document.documentElement.scrollWidth <= 1280
            && wrap.scrollWidth <= wrap.clientWidth;
    }""")


@pytest.mark.e2e
def test_sixty_findings_fit_the_diagnostic_page_and_one_picker_marks_a_symptom(
        live_server, chromium, app):
    org_id, assessment_id = seed_sixty()
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    campaign = Campaign(app, live_server, Watched(page), prefix="campaign-admin-diagnostic",
                        skip_missing=False, full_page=False,
                        ids={"org": org_id, "assessment": assessment_id})
    sign_in(page, live_server)
    campaign.visit(campaign.assessment_path(), "diagnostic")
    assert page.locator("#findings tr.finding").count() >= 60
    assert no_horizontal_scroll(page)
    assert page.locator("#report-link").count() == 1
    assert page.locator("#symptom-form select").count() == 2
    page.fill("#symptom-id-filter", "Finding 7 ")
    assert page.locator("#symptom-id option:not([hidden])").count() == 1
    page.select_option("#symptom-id", label=page.locator(
        "#symptom-id option:not([hidden])").inner_text())
    page.fill("#root-cause-id-filter", "Finding 8 ")
    page.select_option("#root-cause-id", label=page.locator(
        "#root-cause-id option:not([hidden])").inner_text())
    page.locator("#symptom-form").scroll_into_view_if_needed()
    campaign.done("symptom picker")
    page.click("#mark-symptom")
    flashed(page, "is now marked as a symptom")
    symptom = page.locator("#findings tr.finding").filter(
        has=page.locator("strong.finding-title", has_text="Finding 7 "))
    assert "Finding 8 " in symptom.locator(".symptom-of").inner_text()
    assert no_horizontal_scroll(page)
    symptom.scroll_into_view_if_needed()
    campaign.done("symptom marked")
    campaign.assert_clean()
