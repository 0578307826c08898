"""Deciding by scoring, in a real browser on the demo organization (issue 15): the lead
defines three scorecard criteria, scores three initiatives on them and sees the scorecard
backlog ranked; then adds two raters to an initiative and sees the spread per field.

Every page reached passes axe-core (no serious or critical violation) with no console error;
with TRACKER_SCREENSHOTS=1 each step leaves docs/screenshots/decide-scoring-<nn>-<step>.png.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.e2e.accessibility import Watched
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign
from tests.web_helpers import seed_demo
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.decide import backlog
from tracker.services.decide.graph import load_active_graph

#: The three criteria: name, kind, weight, scale hint.
CRITERIA = [("Customer gain", "benefit", "3", "1 = nobody notices, 5 = customers ask for it"),
            ("Reach", "benefit", "1", "1 = one team, 5 = the whole group"),
            ("Cost", "cost", "2", "1 = a few days, 5 = a year of a team")]
#: The scores given to three initiatives (gain, reach, cost) and, by hand from DESIGN's
#: scorecard formula (value Σ_benefit w·s / Σ_benefit w, effort Σ_cost w·s / Σ_cost w,
#: score value / effort), the score each gets:
#:   first:  value (3·4 + 1·2) / (3 + 1) = 14 / 4 = 3.5,  effort 2·2 / 2 = 2, score 1.75
#:   second: value (3·2 + 1·5) / 4 = 11 / 4 = 2.75,      effort 2·1 / 2 = 1, score 2.75
#:   third:  value (3·5 + 1·5) / 4 = 20 / 4 = 5,         effort 2·4 / 2 = 4, score 1.25
#: so the ranked backlog starts with the second (2.75), then the first (1.75), the third (1.25).
SCORES = [("4", "2", "2"), ("2", "5", "1"), ("5", "5", "4")]
EXPECTED = [(1, "2.75"), (0, "1.75"), (2, "1.25")]  # (index in SCORES, score) by rank
#: Two raters' values; the spread per field is max − min: business value 13 − 8 = 5,
#: job size 5 − 3 = 2, confidence 0.8 − 0.5 = 0.3 (the median (8 + 13) / 2 = 10.5).
RATERS = [("Ann Analyst", {"business_value": "8", "job_size": "3", "confidence": "0.5"}),
          ("Bob Builder", {"business_value": "13", "job_size": "5", "confidence": "0.8"})]
SPREADS = {"business_value": "5", "job_size": "2", "confidence": "0.3"}


def unblocked_initiatives(org_id: int, count: int) -> list[int]:
    """`count` initiatives still to do that wait for no other, by id: scored alone, they
    rank by their own score (no prerequisite inherits their priority)."""
    org = db.session.get(Organization, org_id)
    graph, _ = load_active_graph(org)
    todo = {item.id for item in backlog.ranked_backlog(org, "wsjf").items}
    ids = sorted(n for n in graph if n in todo and not list(graph.predecessors(n)))
    assert len(ids) >= count
    return ids[:count]


def define_criteria(campaign: Campaign) -> None:
    """From the scorecard backlog's empty state to the editor; three criteria added."""
    page = campaign.page
    campaign.visit(campaign.org_path("/backlog?method=scorecard"), "scorecard backlog")
    assert page.locator("#no-criteria").is_visible()
    campaign.done("no criteria yet")
    page.click("#no-criteria a.button")
    page.wait_for_selector("#criterion-form")
    campaign.done("scorecard editor")
    for name, kind, weight, hint in CRITERIA:
        page.fill("#c-name", name)
        page.select_option("#c-kind", kind)
        page.fill("#c-weight", weight)
        page.fill("#c-hint", hint)
        page.click("#criterion-save")
        page.wait_for_selector(f"#criteria-table >> text={name}")
    assert page.locator("#criteria-table tbody tr").count() == 3
    campaign.done("three criteria")


def score(campaign: Campaign, initiative_id: int, values: tuple[str, ...]) -> None:
    """Score one initiative on the three criteria from its page."""
    page = campaign.page
    campaign.visit(campaign.org_path(f"/initiatives/{initiative_id}"), "initiative")
    inputs = page.locator("#scores-form input[name^='score-']")
    assert inputs.count() == 3
    for index, value in enumerate(values):
        inputs.nth(index).fill(value)
    page.click("#scores-save")
    page.wait_for_selector("#scorecard-priority >> text=score")


def see_ranked(campaign: Campaign, ids: list[int]) -> None:
    """The scorecard backlog lists the three scored initiatives first, in score order."""
    page = campaign.page
    campaign.visit(campaign.org_path("/backlog?method=scorecard"), "ranked")
    rows = page.eval_on_selector_all("#backlog-table tbody tr",
                                     "rows => rows.map(r => r.dataset.id)")[:3]
    assert rows == [str(ids[index]) for index, _ in EXPECTED]
    shown = page.eval_on_selector_all(
        "#backlog-table tbody tr td:nth-child(6)", "cells => cells.map(c => c.textContent)")[:3]
    assert shown == [value for _, value in EXPECTED]
    campaign.done("scorecard backlog ranked")


def add_raters(campaign: Campaign, initiative_id: int) -> None:
    """Two raters with their values; the spread per field shown."""
    page = campaign.page
    campaign.visit(campaign.org_path(f"/initiatives/{initiative_id}"), "raters")
    assert page.locator("#no-raters").is_visible()
    for rater, values in RATERS:
        page.click("#rater-form summary")
        page.fill("#rater-name", rater)
        for field, value in values.items():
            page.fill(f"#rater-{field}", value)
        campaign.done(f"rater {rater} typed")
        page.click("#rater-save")
        page.wait_for_selector(f"#raters-table th[data-rater='{rater}']")
    spreads = {field: page.text_content(f"#raters-table td[data-spread='{field}']")
               for field in SPREADS}
    assert spreads == SPREADS
    assert page.text_content("#raters-table td[data-median='business_value']") == "10.5"
    page.locator("#raters").scroll_into_view_if_needed()
    campaign.done("two raters and their spread")


@pytest.mark.e2e
def test_three_criteria_rank_the_backlog_and_two_raters_show_their_spread(
        app: Flask, live_server: str, chromium: Any) -> None:
    org_id = seed_demo()
    ids = unblocked_initiatives(org_id, 3)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    campaign = Campaign(app, live_server, Watched(page), prefix="decide-scoring",
                        skip_missing=False, ids={"org": org_id})
    sign_in(page, live_server)
    define_criteria(campaign)
    for initiative_id, values in zip(ids, SCORES, strict=True):
        score(campaign, initiative_id, values)
    campaign.done("initiative scored")
    see_ranked(campaign, ids)
    add_raters(campaign, ids[0])
    campaign.assert_clean()
