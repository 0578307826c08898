"""Issue 17's acceptance in one browser session: a lead creates an objective measured by two
KPIs, a pilot judged on one of them, records the measurements, sees the objective on track,
the pilot's verdict and suggested decision, records the decision, then logs the committee's
decision with its dossier and opens the committee's meeting pack. The steps are those of the
objectives, pilot criteria and committees tests, chained on one organization; every page
reached has no serious or critical axe-core violation and logs no console error."""

from __future__ import annotations

import pytest

from tests.e2e import test_committees as committees
from tests.e2e import test_objectives as objectives
from tests.e2e import test_pilot_criteria as pilots
from tests.e2e.accessibility import Watched
from tests.e2e.campaign_steps import Campaign


def objective_with_two_kpis(campaign: Campaign) -> None:
    """Lead time of stories (flow, value stream Delivery, ≤ 5 days) and Adoption
    (adoption, the whole organization, ≥ 80 %), both measuring one objective."""
    objectives.create_kpi(campaign, "Lead time of stories", "lower_is_better", "5", "flow",
                          ("value_stream", "Delivery"))
    objectives.create_kpi(campaign, "Adoption", "higher_is_better", "80", "adoption",
                          ("organization", ""))
    campaign.ids["Lead time"] = campaign.ids["kpi"] = campaign.ids["Lead time of stories"]
    objectives.create_objective(campaign)


def measurements_put_the_objective_on_track(campaign: Campaign) -> None:
    """4 ≤ 5 (lower is better) and 85 ≥ 80: both on target, on track, 2 of 2."""
    pilots.record_measurement(campaign)
    objectives.record(campaign, "Adoption", "85", "2026-11-20")
    campaign.visit(campaign.org_path(f"/objectives/{campaign.ids['objective']}"), "on track")
    assert campaign.page.inner_text("#objective-status").strip() == "on track"
    assert campaign.page.inner_text("#objective-on-target").strip() == "2 of 2"


def committee_decides_and_reads_its_pack(campaign: Campaign) -> None:
    """A portfolio committee, its decision with a dossier, its pack for 2026-12-07 (the
    decided pilot no longer awaits a decision)."""
    campaign.visit(campaign.org_path("/committees"), "the committees")
    campaign.page.wait_for_selector("#no-committee")
    committees.create_committee(campaign)
    committees.log_a_decision(campaign)
    committees.open_the_pack(campaign)


@pytest.mark.e2e
def test_from_an_objective_to_a_committee_pack(live_server, chromium, app):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    campaign = Campaign(app, live_server, Watched(page), prefix="ambition", skip_missing=False)
    pilots.sign_in_with_an_initiative(campaign)
    objective_with_two_kpis(campaign)
    pilots.create_pilot(campaign)
    measurements_put_the_objective_on_track(campaign)
    pilots.see_verdict_and_decide(campaign)
    committee_decides_and_reads_its_pack(campaign)
    campaign.assert_clean()
