"""problem+json titles follow Accept-Language (English or French), as do details and field
messages (tests/api/test_imports_i18n_messages.py); keys and shape never change."""

from __future__ import annotations

import pytest

from tests.builders import Scenario

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}


def test_a_validation_problem_has_a_french_title_and_the_same_shape(lead, admin):
    scenario = Scenario(lead, admin)

    french = lead.patch(scenario.url(), json={"locale": "de"}, headers=FRENCH)
    english = lead.patch(scenario.url(), json={"locale": "de"})

    assert french.status_code == english.status_code == 422
    assert french.mimetype == "application/problem+json"
    assert english.json["title"] == "Unprocessable Entity"
    assert french.json["title"] == "Requête non traitable"
    assert set(french.json) == set(english.json)
    assert set(french.json["errors"]) == set(english.json["errors"]) == {"locale"}


def test_our_own_errors_titles_are_translated_too(lead, admin):
    scenario = Scenario(lead, admin)

    missing = lead.get(scenario.url("/assessments/999999"), headers=FRENCH)

    assert missing.status_code == 404
    assert missing.json["title"] == "Introuvable"
    assert missing.json["detail"] == lead.get(scenario.url("/assessments/999999")).json["detail"]


@pytest.mark.parametrize("header", ["en-GB,en;q=0.9,fr;q=0.5", "de-DE", ""])
def test_english_or_unknown_preferences_keep_the_english_title(client, header):
    response = client.get("/api/v1/orgs", headers={"Accept-Language": header} if header else {})

    assert response.status_code == 401
    assert response.json["title"] == "Unauthorized"


def test_an_unauthenticated_french_client_reads_a_french_title(client):
    response = client.get("/api/v1/orgs", headers=FRENCH)

    assert response.status_code == 401 and response.json["title"] == "Non authentifié"
