"""The findings pages in a real browser on the demo organization: 60 findings with long
titles fit 1280 px with no horizontal scroll, the picker filters the verbatims as one types
and shows the chosen ones as chips (the select still submits them), two suggestions are
accepted in one action, with no console error and no serious axe-core violation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.accessibility import blocking_violations
from tests.e2e.browser import ARTIFACTS, signed_in_page
from tracker.extensions import db
from tracker.models import Evidence, Finding, Organization
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.diagnose import findings

STRENGTH = "A strong delivery engine, carried by the platform team"


def seed_sixty() -> tuple[int, int]:
    """The demo organization and its diagnostic, with 60 more findings of long text."""
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    org = db.session.get(Organization, org_id)
    assessment_id = db.session.scalars(select(Finding.assessment_id)
                                       .where(Finding.title == STRENGTH)).one()
    for n in range(60):  # long unbreakable titles, within a title's 300 characters
        findings.create_finding(org, {"assessment_id": assessment_id, "kind": "tension",
                                      "title": f"Finding {n} " + "unbreakable" * 25,
                                      "description": "A long description. " * 40})
    return org_id, assessment_id


@pytest.mark.e2e
def test_sixty_findings_fit_1280_px_and_the_picker_filters_verbatims(live_server, chromium):
    org_id, assessment_id = seed_sixty()
    errors: list[str] = []
    page = signed_in_page(chromium, live_server, errors)

    page.goto(f"{live_server}/orgs/{org_id}/findings?assessment_id={assessment_id}")
    assert page.locator("#findings-table tr.finding").count() >= 60
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    assert blocking_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "findings.png"), full_page=False)

    page.goto(f"{live_server}/orgs/{org_id}/findings/new?assessment_id={assessment_id}")
    verbatim = db.session.scalars(select(Evidence).where(
        Evidence.assessment_id == assessment_id).order_by(Evidence.id)).first()
    word = verbatim.text.split()[3]
    page.fill("#f-evidence_ids-filter", word)
    shown = page.evaluate("Array.from(document.querySelectorAll('#f-evidence_ids option'))"
                          ".filter(o => !o.hidden).length")
    total = page.locator("#f-evidence_ids option").count()
    assert 1 <= shown < total
    page.select_option("#f-evidence_ids", [str(verbatim.id)])
    assert page.locator(".picker-chips .chip").count() == 1
    assert blocking_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "finding-form.png"), full_page=True)
    page.fill("#f-title", "Cited through the picker")
    page.click("#save-finding")
    page.wait_for_selector("text=Cited through the picker")

    created = db.session.scalars(select(Finding).where(
        Finding.title == "Cited through the picker")).one()
    assert [e.id for e in created.evidence] == [verbatim.id]

    page.goto(f"{live_server}/orgs/{org_id}/findings/{created.id}/merge")
    assert blocking_violations(page) == []
    page.goto(f"{live_server}/orgs/{org_id}/findings?assessment_id={assessment_id}")
    page.click("#suggest-findings")
    boxes = page.locator("#review-form input[name=finding_ids]")
    assert boxes.count() >= 2
    assert blocking_violations(page) == []
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("#accept-selected")
    page.wait_for_selector("text=2 suggestions accepted.")
    assert errors == []


@pytest.mark.e2e
def test_the_picker_filters_a_checkbox_list_and_unchecks_from_a_chip(live_server, chromium):
    page = chromium.new_page()
    page.set_content(f"""<fieldset id="list" data-picker data-remove-label="Remove {{name}}">
      <legend>Dimensions</legend>
      <label for="a"><input type="checkbox" id="a" name="d" value="a" checked> Discovery</label><br>
      <label for="b"><input type="checkbox" id="b" name="d" value="b"> Délivrance</label><br>
      <label for="c"><input type="checkbox" id="c" name="d" value="c"> Quality</label><br>
    </fieldset><script src="{live_server}/static/js/picker.js"></script>""")

    page.fill("#list-filter", "deli")  # accents folded: matches "Délivrance"
    assert [t.strip() for t in page.locator("label:visible").all_inner_texts()] == ["Délivrance"]
    assert page.locator(".chip").all_inner_texts() == ["Discovery ×"]
    page.click("button[aria-label='Remove Discovery']")
    assert not page.is_checked("#a") and page.locator(".chip").count() == 0
