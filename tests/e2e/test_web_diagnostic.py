"""The diagnostic pages in a real browser on the demo organization: sign in, the radar and
the heatmap drawn by Plotly, the French switch, a hostile finding title shown as text, and
no console error (CSP included)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser import ARTIFACTS, sign_in
from tracker.extensions import db
from tracker.models import Assessment, Finding, Organization
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds

HOSTILE = "<img src=x onerror=alert(1)>"


def seed_demo() -> tuple[int, int]:
    """The demo organization and its latest closed assessment (the pom-grid pulse: the
    Target Operating Model self-assessment closed before it), with a hostile finding on it."""
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    org = db.session.get(Organization, org_id)
    latest = max(db.session.scalars(db.select(Assessment).where(
        Assessment.org_id == org_id, Assessment.closed_at.is_not(None))),
        key=lambda a: (a.closed_at, a.id))
    db.session.add(Finding(org_id=org.id, assessment_id=latest.id, kind="gap", title=HOSTILE,
                           description=HOSTILE, status="suggested", metrics={}))
    db.session.commit()
    return org_id, latest.id


def open_page(chromium: Any, width: int = 1280) -> tuple[Any, list[str], list[str]]:
    """A page that records console errors, page errors and dialogs."""
    page = chromium.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return page, errors, dialogs


@pytest.mark.e2e
def test_the_demo_diagnostic_renders_its_charts_in_english_and_french(live_server, chromium):
    org_id, assessment_id = seed_demo()
    page, errors, dialogs = open_page(chromium)
    sign_in(page, live_server)
    page.click("main a:has-text('NovaTechna')")
    page.wait_for_selector("h1:has-text('Assessments of NovaTechna')")
    page.goto(f"{live_server}/orgs/{org_id}/assessments/{assessment_id}")

    page.wait_for_selector("#radar .main-svg")
    page.wait_for_selector("#heatmap .main-svg")
    assert page.locator("#radar .scatterlayer .trace").count() >= 2  # current and target
    assert page.locator("#heatmap .hm, #heatmap image").count() >= 1
    assert page.locator(".finding-title", has_text=HOSTILE).is_visible()
    assert page.locator("img[src=x]").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "diagnostic.png"), full_page=False)

    page.select_option("#by", "team")
    page.click("#groups button[type=submit]")
    page.wait_for_selector("#heatmap .main-svg")

    page.click("button[lang=fr]")
    page.wait_for_selector("h2:has-text('Scores des axes')")
    assert page.locator("text=Constats").first.is_visible()
    page.wait_for_selector("#radar .main-svg")
    page.screenshot(path=str(ARTIFACTS / "diagnostic-fr.png"), full_page=False)
    page.click("button[lang=en]")
    page.wait_for_selector("h2:has-text('Axis scores')")

    assert dialogs == []
    assert errors == []


@pytest.mark.e2e
def test_the_diagnostic_is_readable_on_a_phone(live_server, chromium):
    org_id, assessment_id = seed_demo()
    page, errors, _dialogs = open_page(chromium, width=390)
    sign_in(page, live_server)
    page.goto(f"{live_server}/orgs/{org_id}/assessments/{assessment_id}")
    page.wait_for_selector("#radar .main-svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "diagnostic-phone.png"), full_page=False)
    assert errors == []
