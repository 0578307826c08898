"""The initiative picker in a real browser: typing part of a title fills the suggestions
from the search endpoint, picking one and submitting adds the dependency; the page stays
accessible and logs no error."""

from __future__ import annotations

import pytest

from tests.e2e.accessibility import Watched, assert_accessible
from tests.e2e.browser import ARTIFACTS, sign_in
from tracker.extensions import db
from tracker.models import Initiative
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds


@pytest.fixture
def demo_org(app) -> int:
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    db.session.add_all([Initiative(org_id=org_id, title="Zeta prerequisite for the picker"),
                        Initiative(org_id=org_id, title="Zeta dependent for the picker")])
    db.session.commit()
    return org_id


def suggestions(page, field: str) -> list[str]:
    return page.eval_on_selector_all(f"#{field}-options option",
                                     "options => options.map(o => o.value)")


def pick(page, field: str, typed: str) -> str:
    """Type into a picker, wait for the search to fill its datalist, then pick the first
    suggestion (a native datalist's dropdown is not in the DOM: picking one sets the
    field's value to the option's, which is what this does)."""
    page.fill(f"#{field}", "")
    page.type(f"#{field}", typed, delay=30)
    page.wait_for_selector(f"#{field}-options option", state="attached")
    chosen = suggestions(page, field)[0]
    page.fill(f"#{field}", chosen)
    return chosen


@pytest.mark.e2e
def test_typing_in_the_picker_suggests_initiatives_and_adds_a_dependency(
        live_server, chromium, demo_org):
    watched = Watched(chromium.new_page(viewport={"width": 1280, "height": 900}))
    page = watched.page
    sign_in(page, live_server)
    page.goto(f"{live_server}/orgs/{demo_org}/dependencies")
    assert page.locator("select[name=prerequisite_id]").count() == 0  # no 30k-option select

    before = pick(page, "dep-prerequisite", "zeta prer")
    after = pick(page, "dep-dependent", "zeta dep")
    assert before.endswith(" Zeta prerequisite for the picker") and before.startswith("#")
    assert after.endswith(" Zeta dependent for the picker")
    assert len(suggestions(page, "dep-dependent")) == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dependency-picker.png"), full_page=True)
    page.click("#dependency-form button[type=submit]")
    page.wait_for_url(f"**/orgs/{demo_org}/dependencies")

    page.fill("#dep-q", "zeta")
    page.click("#dependency-filter button[type=submit]")
    page.wait_for_url("**q=zeta**")
    cells = page.eval_on_selector_all("#dependency-table tbody td a",
                                      "links => links.map(a => a.textContent)")
    assert cells == ["Zeta prerequisite for the picker", "Zeta dependent for the picker"]
    assert_accessible(watched, "dependencies")
