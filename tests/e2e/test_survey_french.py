"""A French organization's respondent answers the built-in `pom-grid` on a phone in a real
browser: the grid's texts are the French ones of the seed file's `translations`."""

from __future__ import annotations

import os

import pytest

from tests.e2e.accessibility import Watched, assert_accessible
from tests.e2e.campaign_steps import SCREENSHOTS
from tests.e2e.test_survey import PHONE, readable_on_a_phone
from tests.web.test_survey_french import french_survey_path, pom_grid_seed


@pytest.mark.e2e
def test_a_french_respondent_reads_pom_grid_in_french_on_a_phone(live_server, chromium, lead):
    url = live_server + french_survey_path(lead, "fr")
    products = pom_grid_seed()["axes"][0]
    first = products["dimensions"][0]
    watched = Watched(chromium.new_page(viewport=PHONE))
    page = watched.page

    page.goto(url + "?step=1")

    assert page.get_attribute("html", "lang") == "fr"
    assert page.inner_text("h2") == products["translations"]["fr"]["name"]
    legend = page.locator("fieldset.dimension legend").first.inner_text()
    assert legend == first["translations"]["fr"]["name"]
    body = page.inner_text("main")
    assert first["translations"]["fr"]["levels"][3] in body
    assert first["levels"][3] not in body
    readable_on_a_phone(page)
    assert_accessible(watched, "French survey step 1")
    if os.environ.get("TRACKER_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "french-content-01-survey.png"), full_page=True)
    page.close()
