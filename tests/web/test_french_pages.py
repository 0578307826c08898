"""Issue 16: the pages follow the user's language for the built-in content too. A French
user of a French organization on pom-grid reads the grid's axis and dimension names, and
the playbook's template titles, in French on the diagnostic, grid, targets, library and
suggestions pages, and none of the English names; the English organization's English user
reads them in English (its findings, written when generated, in English too)."""

from __future__ import annotations

import json
from html import unescape

import pytest
import yaml

from tests.french_orgs import PASSWORD, build_org, english_left, grid_names, pom_grid_seed
from tracker.config import resource_dir
from tracker.extensions import db
from tracker.models import Framework, User
from tracker.seeding.playbook import seed_playbook


@pytest.fixture
def french(lead):
    """The French organization, the playbook seeded."""
    built = build_org(lead, "Acme FR", "fr")
    seed_playbook()
    return built


def _browser(app, locale: str):
    """A web client signed in as the organization's lead, who reads `locale`."""
    db.session.scalar(db.select(User).where(User.email == "lead@example.org")).locale = locale
    db.session.commit()
    browser = app.test_client()
    response = browser.post("/login", data={"email": "lead@example.org", "password": PASSWORD})
    assert response.status_code == 302, response.text
    return browser


def _page(browser, path: str) -> str:
    response = browser.get(path)
    assert response.status_code == 200, response.text
    return unescape(response.text)


def _missing_french(text: str) -> list[str]:
    return [french for _, french in grid_names() if french not in text]


def _pom_id() -> int:
    return db.session.scalar(db.select(Framework.id).where(Framework.code == "pom-grid"))


def test_the_french_diagnostic_names_the_grid_in_french(app, french):
    page = _page(_browser(app, "fr"),
                 f"/orgs/{french.org_id}/assessments/{french.second_id}")

    assert english_left(page) == []
    assert _missing_french(page) == []
    assert pom_grid_seed()["translations"]["fr"]["name"] in page


def test_the_english_diagnostic_of_the_same_assessments_stays_english(app, lead):
    english = build_org(lead, "Acme", "en")

    page = _page(_browser(app, "en"),
                 f"/orgs/{english.org_id}/assessments/{english.second_id}")

    assert [english for english, _ in grid_names() if english not in page] == []
    assert [name for name in _missing_french("") if name in page] == []


def test_the_grid_page_shows_the_french_texts(app, french):
    grid = pom_grid_seed()
    browser = _browser(app, "fr")

    page = _page(browser, f"/orgs/{french.org_id}/frameworks/{_pom_id()}")

    assert english_left(page) == []
    assert _missing_french(page) == []
    first = grid["axes"][0]["dimensions"][0]
    assert first["translations"]["fr"]["levels"][1] in page
    assert first["levels"][1] not in page
    label = grid["scale"][1]
    assert label["translations"]["fr"]["label"] in page and label["label"] not in page
    library = _page(browser, f"/orgs/{french.org_id}/frameworks")
    assert grid["translations"]["fr"]["name"] in library and grid["name"] not in library


def test_the_targets_page_names_the_grid_in_french(app, french):
    page = _page(_browser(app, "fr"),
                 f"/orgs/{french.org_id}/targets?framework_id={_pom_id()}")

    assert english_left(page) == []
    assert _missing_french(page) == []


def test_the_suggestions_page_shows_the_templates_and_reasons_in_french(app, french):
    templates = yaml.safe_load((resource_dir("seeds") / "playbook" / "templates.yaml")
                               .read_text(encoding="utf-8"))["templates"]

    page = _page(_browser(app, "fr"),
                 f"/orgs/{french.org_id}/assessments/{french.second_id}/suggestions")

    titles = [(t["title"], t["translations"]["fr"]["title"]) for t in templates]
    shown = [fr for _, fr in titles if fr in page]
    assert len(shown) >= 3  # the suggestions list templates, in French
    assert [en for en, _ in titles if en in page] == []
    assert english_left(page) == []  # the reasons name the dimensions in French


def test_the_barometer_names_the_axes_in_french(app, french):
    page = _page(_browser(app, "fr"), f"/orgs/{french.org_id}/barometer")
    seed = pom_grid_seed()
    axes = [(axis["name"], axis["translations"]["fr"]["name"]) for axis in seed["axes"]
            if axis["name"] != axis["translations"]["fr"]["name"] and "&" not in axis["name"]]

    # the trend's lines, in French (the figure's JSON escapes accents)
    assert axes and all(json.dumps(fr)[1:-1] in page for _, fr in axes)
    assert not [en for en, _ in axes if json.dumps(en) in page]  # no English line name
