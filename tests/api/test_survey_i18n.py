"""The respondent's survey in English and French: `?lang=`, the organization's language,
the browser's, and the reasons of a refused answer in the respondent's language."""

from __future__ import annotations

from html import unescape

import pytest

from tests.builders import Scenario


@pytest.fixture
def browser(app):
    """The respondent's own client: no account, its own cookies."""
    return app.test_client()


def _survey_path(lead, admin, org_locale: str | None = None, status: str = "open") -> str:
    scenario = Scenario(lead, admin)
    if org_locale:
        assert lead.patch(scenario.url(), json={"locale": org_locale}).json["locale"] == \
            org_locale
    scenario.add_respondent("Ann")
    if status != "draft":
        lead.patch(scenario.assessment_url(), json={"status": "open"})
    if status == "closed":
        lead.patch(scenario.assessment_url(), json={"status": "closed"})
    url = lead.get(scenario.assessment_url("/respondents")).json["items"][0]["survey_url"]
    return url.removeprefix("http://tracker.test")


def test_a_french_organizations_survey_is_in_french_with_french_reasons(browser, lead, admin):
    path = _survey_path(lead, admin, "fr")

    page = browser.get(path)
    refused = browser.post(path, data={"value:a.one": "3", "value:b.two": "7"})

    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Bonjour Ann." in page.text and "Enregistrer mes réponses" in page.text
    assert "Je ne sais pas" in page.text and "Commentaire (facultatif)" in page.text
    assert "Cannot say" not in page.text and "Save my answers" not in page.text
    assert refused.status_code == 422
    assert "rien n'a été enregistré" in refused.text
    assert "7 est en dehors de l'échelle 1–5." in unescape(refused.text)
    assert "outside the scale" not in refused.text


def test_lang_switches_back_to_english_and_is_remembered(browser, lead, admin):
    path = _survey_path(lead, admin, "fr")

    english = browser.get(path + "?lang=en")
    again = browser.get(path)
    french = browser.get(path + "?lang=fr")

    assert '<html lang="en">' in english.text and "Save my answers" in english.text
    assert "Save my answers" in again.text  # kept in the session, over the org's French
    assert "Enregistrer mes réponses" in french.text
    # the switch: one link per language, the current one marked
    assert 'href="?lang=en"' in french.text and 'href="?lang=fr"' in french.text
    assert 'hreflang="fr"\n       aria-current="true"' in french.text


def test_the_organizations_language_comes_before_the_browsers(browser, lead, admin):
    path = _survey_path(lead, admin)  # the default: English

    page = browser.get(path, headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})

    assert "Save my answers" in page.text and "Enregistrer" not in page.text


@pytest.mark.parametrize(("status", "code", "title"), [
    ("draft", 403, "Ce questionnaire n'est pas encore ouvert"),
    ("closed", 410, "Ce questionnaire est clôturé"),
])
def test_draft_and_closed_pages_speak_the_organizations_language(browser, lead, admin, status,
                                                                 code, title):
    path = _survey_path(lead, admin, "fr", status)

    page = browser.get(path)

    assert page.status_code == code and title in unescape(page.text)


def test_an_unknown_link_has_no_organization_so_the_browser_decides(browser):
    french = browser.get("/survey/nope", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    english = browser.get("/survey/nope", headers={"Accept-Language": "en-GB"})

    assert french.status_code == 404
    assert "Ce lien de questionnaire n'est pas valide" in unescape(french.text)
    assert "This survey link is not valid" in english.text


def test_the_organization_language_is_validated(lead, admin):
    scenario = Scenario(lead, admin)

    response = lead.patch(scenario.url(), json={"locale": "de"})

    assert response.status_code == 422 and "locale" in response.json["errors"]
    assert lead.get(scenario.url()).json["locale"] == "en"
