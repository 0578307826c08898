"""The survey in the respondent's language: a French organization's respondent on the
built-in `pom-grid` reads the grid's French texts (axis and dimension names, level
descriptors, scale labels), taken from the seed file's `translations`, and none of the
English ones it translates."""

from __future__ import annotations

from html import unescape

import pytest
import yaml

from tests.builders import respondent
from tracker.config import resource_dir
from tracker.seeding.frameworks import seed_frameworks


def pom_grid_seed() -> dict:
    """The built-in grid's file, as written."""
    path = resource_dir("seeds") / "frameworks" / "pom-grid.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def french_survey_path(lead, org_locale: str) -> str:
    """An open pom-grid assessment of an organization speaking `org_locale`, one respondent;
    the path of that respondent's survey."""
    seed_frameworks()
    pom = lead.get("/api/v1/frameworks?code=pom-grid").json["items"][0]
    org = lead.post("/api/v1/orgs", json={"name": "Acme"}).json
    assert lead.patch(f"/api/v1/orgs/{org['id']}", json={"locale": org_locale}).status_code == 200
    base = f"/api/v1/orgs/{org['id']}/assessments"
    assessment = lead.post(base, json={"framework_id": pom["id"], "title": "Diagnostic",
                                       "kind": "diagnostic"}).json
    url = f"{base}/{assessment['id']}"
    assert lead.post(f"{url}/respondents", json=respondent("Ann")).status_code == 201
    assert lead.patch(url, json={"status": "open"}).status_code == 200
    link = lead.get(f"{url}/respondents").json["items"][0]["survey_url"]
    return link.removeprefix("http://tracker.test")


@pytest.fixture
def browser(app):
    """The respondent's own client: no account, its own cookies."""
    return app.test_client()


def test_a_french_respondent_reads_the_grid_in_french(browser, lead):
    path = french_survey_path(lead, "fr")
    grid = pom_grid_seed()
    products = grid["axes"][0]

    page = browser.get(path + "?step=1")

    assert page.status_code == 200
    text = unescape(page.text)
    for axis in grid["axes"]:  # the steps' navigation names every axis
        assert axis["translations"]["fr"]["name"] in text
    for dimension in products["dimensions"]:
        french = dimension["translations"]["fr"]
        assert french["name"] in text
        assert dimension["name"] not in text
        for level, descriptor in french["levels"].items():
            assert descriptor in text, (dimension["code"], level)
        assert dimension["levels"][1] not in text
    for level in grid["scale"]:
        assert f"{level['value']} · {level['translations']['fr']['label']}" in text


def test_an_english_respondent_reads_the_grid_in_english(browser, lead):
    path = french_survey_path(lead, "fr")
    products = pom_grid_seed()["axes"][0]

    page = browser.get(path + "?step=1&lang=en")

    first = products["dimensions"][0]
    assert first["name"] in unescape(page.text)
    assert first["levels"][3] in unescape(page.text)
    assert first["translations"]["fr"]["name"] not in unescape(page.text)
