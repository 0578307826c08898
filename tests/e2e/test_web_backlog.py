"""The backlog pages in a real browser on the demo organization: the method switch
reorders the table, a matrix point opens its initiative, a cycle is refused and shown,
French labels after switching language, no console error."""

from __future__ import annotations

import pytest

from tests.e2e.browser import ARTIFACTS, signed_in_page
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds


@pytest.fixture
def demo_org(app) -> int:
    seeds.seed_frameworks()
    return demo.load_demo().org_id


def first_rows(page, count: int = 4) -> list[str]:
    return page.eval_on_selector_all("#backlog-table tbody tr",
                                     "rows => rows.map(r => r.dataset.id)")[:count]


@pytest.mark.e2e
def test_the_method_switch_reorders_and_a_matrix_point_opens_its_initiative(
        live_server, chromium, demo_org):
    errors: list[str] = []
    page = signed_in_page(chromium, live_server, errors)
    page.goto(f"{live_server}/orgs/{demo_org}/backlog?method=wsjf")
    page.wait_for_selector("#value-effort .main-svg")
    wsjf = first_rows(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "backlog.png"), full_page=True)

    page.select_option('select[name="method"]', "rice")
    page.click("form.toolbar button[type=submit]")
    page.wait_for_url("**method=rice**")
    rice = first_rows(page)
    assert wsjf != rice and sorted(first_rows(page, 99)) == sorted(
        page.eval_on_selector_all("#backlog-table tbody tr", "r => r.map(x => x.dataset.id)"))

    page.click('th[data-sort="title"] a')  # sorted in place by backlog.js, no reload
    titles = page.eval_on_selector_all("#backlog-table tbody td:nth-child(2) a",
                                       "links => links.map(a => a.textContent)")
    assert titles == sorted(titles, key=str.lower) and "method=rice" in page.url

    target = page.evaluate("document.getElementById('value-effort').data[0].customdata[0]")
    assert target.startswith(f"/orgs/{demo_org}/initiatives/")
    page.evaluate("""() => {
        const chart = document.getElementById('value-effort');
        chart.emit('plotly_click', {points: [chart.data[0] && {customdata:
            chart.data[0].customdata[0]}]});
    }""")
    page.wait_for_url(f"**{target}")
    assert page.is_visible("text=Traceability") and page.is_visible("text=Audit trail")
    page.screenshot(path=str(ARTIFACTS / "initiative.png"), full_page=True)
    assert errors == []


@pytest.mark.e2e
def test_a_dependency_closing_a_cycle_is_shown_and_french_labels_follow(
        live_server, chromium, demo_org):
    errors: list[str] = []
    page = signed_in_page(chromium, live_server, errors)
    page.goto(f"{live_server}/orgs/{demo_org}/dependencies")
    page.wait_for_selector("#dependency-graph .main-svg")
    page.fill("#dep-prerequisite", "#17")  # the pickers take a number, a suggestion or a title
    page.fill("#dep-dependent", "4")
    page.click("#dependency-form button[type=submit]")
    page.wait_for_selector("#cycle")
    cycle = page.eval_on_selector_all(".cycle-path li", "items => items.map(i => i.textContent)")
    assert cycle == ["Release autonomy for stream-aligned teams",
                     "Redraw team boundaries around value streams",
                     "Release autonomy for stream-aligned teams"]
    page.screenshot(path=str(ARTIFACTS / "dependencies-cycle.png"), full_page=True)

    page.goto(f"{live_server}/orgs/{demo_org}/backlog")
    page.click('button[name="locale"][value="fr"]')
    page.wait_for_selector("text=Matrice valeur / effort")
    assert page.is_visible("text=Priorité effective") or page.is_visible("th >> text=Rang")
    page.wait_for_selector("#value-effort .main-svg")
    page.screenshot(path=str(ARTIFACTS / "backlog-fr.png"), full_page=True)
    page.click('button[name="locale"][value="en"]')
    page.wait_for_selector("text=Value / effort matrix")
    # the refused form answers 409 Conflict on purpose; Chromium logs that status, nothing else
    assert errors == ["Failed to load resource: the server responded with a status of "
                      "409 (CONFLICT)"]
