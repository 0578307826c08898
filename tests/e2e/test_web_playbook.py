"""Suggested initiatives in a real browser on the demo organization: open them from the
diagnostic, adopt two templates of a prerequisite chain, follow a created initiative; the
decision log renders and filters; no console error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.services import demo, seeds
from tracker.services.playbook import seed_playbook

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def demo_org(app) -> int:
    seeds.seed_frameworks()
    seed_playbook()
    return demo.load_demo().org_id


def signed_in_page(chromium, live_server: str, errors: list[str]):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill('input[name="email"]', "lead@novatechna.example")
    page.fill('input[name="password"]', demo.DEMO_PASSWORD)
    page.click('button[type="submit"]:not(.link)')
    page.wait_for_load_state()
    return page


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
