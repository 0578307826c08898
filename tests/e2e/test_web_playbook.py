"""Suggested initiatives in a real browser on the demo organization: open them from the
diagnostic, adopt two templates of a prerequisite chain, follow a created initiative; the
decision log renders and filters; no console error."""

from __future__ import annotations

import pytest

from tests.e2e.browser import ARTIFACTS, signed_in_page
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.seeding.playbook import seed_playbook


@pytest.fixture
def demo_org(app) -> int:
    seeds.seed_frameworks()
    seed_playbook()
    return demo.load_demo().org_id


@pytest.mark.e2e
def test_adopting_suggested_initiatives_from_the_diagnostic(live_server, chromium, demo_org):
    errors: list[str] = []
    page = signed_in_page(chromium, live_server, errors)
    page.goto(f"{live_server}/orgs/{demo_org}/assessments/1")
    page.click("#suggested-initiatives")
    page.wait_for_url("**/assessments/1/suggestions")
    assert page.is_visible("text=Suggested initiatives")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "suggestions.png"), full_page=False)

    page.check('#finding-9 ~ div input[value="clarify-product-roles"]')
    page.check('#finding-9 ~ div input[value="product-career-paths"]')
    page.click("#adopt")  # a real form POST with its CSRF token
    page.wait_for_selector("#created")
    created = page.eval_on_selector_all("#created a", "links => links.map(a => a.textContent)")
    assert len(created) == 2
    assert page.locator("#created-dependencies li").count() == 1
    page.click("#created a >> nth=0")
    page.wait_for_url(f"**/orgs/{demo_org}/initiatives/**")
    assert page.is_visible("text=Traceability")

    page.goto(f"{live_server}/orgs/{demo_org}/decisions?committee=portfolio")
    assert page.locator("#decisions-table tbody tr").count() == 1
    page.goto(f"{live_server}/orgs/{demo_org}/decisions")
    page.screenshot(path=str(ARTIFACTS / "decisions.png"), full_page=False)
    assert errors == []
