"""Suggested findings are written in the organization's language when they are generated
(DESIGN section 9): the same assessment in an English and a French organization gives
titles that all differ (dimension names from the grid's French texts, numbers formatted
for French), and a finding stored before keeps its words."""

from __future__ import annotations

import pytest

from tests.builders import framework_doc

GRID = framework_doc(language="en", axes=[
    {"code": "a", "name": "Axis A", "translations": {"fr": {"name": "Axe A"}}, "dimensions": [
        {"code": "a.one", "name": "Shared vision",
         "translations": {"fr": {"name": "Vision partagée"}}},
        {"code": "a.two", "name": "Continuous discovery", "weight": 3,
         "translations": {"fr": {"name": "Découverte continue"}}}]},
    {"code": "b", "name": "Axis B", "translations": {"fr": {"name": "Axe B"}}, "dimensions": [
        {"code": "b.one", "name": "Delivery rituals",
         "translations": {"fr": {"name": "Rituels de livraison"}}},
        {"code": "b.two", "name": "Product metrics",
         "translations": {"fr": {"name": "Indicateurs produit"}}}]}])

# Three leaders (source interview) then three team members (source survey).
RATINGS = {
    # leaders 5,5,5 / team 2,2,2: score 3.5, stdev 1.5; leaders 3 higher: a blind spot
    "a.one": [5, 5, 5, 2, 2, 2],
    # 1,5,3 twice: mean 3, variance (4+4+0)·2/6 = 8/3, stdev √(8/3) ≈ 1.633 -> "1,63";
    # target 4.5: gap 4.5 - 3 = 1.5 -> "1,5"
    "a.two": [1, 5, 3, 1, 5, 3],
    # interview 3, survey 2: the sources disagree by 1 (stdev 0.5, no dispersion)
    "b.one": [3, 3, 3, 2, 2, 2],
    # score 4.5: a strength
    "b.two": [4, 5, 4, 5, 4, 5],
}


def _assessment(api, framework_id: int, name: str, locale: str) -> str:
    """An organization in `locale` with the assessment of RATINGS; its assessment's URL."""
    response = api.post("/api/v1/orgs", json={"name": name, "locale": locale})
    assert response.status_code == 201, response.json
    org = f"/api/v1/orgs/{response.json['id']}"
    response = api.post(f"{org}/assessments", json={
        "framework_id": framework_id, "title": "Diagnostic", "kind": "diagnostic"})
    assert response.status_code == 201, response.json
    url = f"{org}/assessments/{response.json['id']}"
    people = []
    for i in range(6):
        level, source = ("leader", "interview") if i < 3 else ("team", "survey")
        response = api.post(f"{url}/respondents", json={
            "name": f"P{i}", "role": "engineer", "team": "claims", "level": level,
            "source": source})
        assert response.status_code == 201, response.json
        people.append(response.json["id"])
    response = api.put(f"{url}/ratings", json=[
        {"respondent_id": who, "dimension": code, "value": value}
        for code, values in RATINGS.items() for who, value in zip(people, values, strict=True)])
    assert response.status_code == 200, response.json
    response = api.put(f"{org}/targets", json={"framework_id": framework_id,
                                               "targets": [{"dimension": "a.two",
                                                            "level": 4.5}]})
    assert response.status_code == 200, response.json
    return url


def _titles(api, url: str) -> dict[str, dict]:
    response = api.post(f"{url}/findings/suggest")
    assert response.status_code == 200, response.json
    return {f["suggestion_key"]: f for f in response.json["created"]}


@pytest.fixture
def both(lead, admin) -> tuple[dict[str, dict], dict[str, dict]]:
    """The suggestions of one assessment in an English and in a French organization."""
    response = admin.post("/api/v1/frameworks", json=GRID)
    assert response.status_code == 201, response.json
    framework_id = response.json["id"]
    english = _titles(lead, _assessment(lead, framework_id, "Acme", "en"))
    french = _titles(lead, _assessment(lead, framework_id, "Acmé", "fr"))
    return english, french


def test_every_suggested_title_differs_between_english_and_french(both):
    english, french = both

    assert sorted(english) == sorted(french)
    assert {"strength:b.two", "gap:a.two", "tension:a.two", "tension:b.one",
            "blind_spot:a.one"} <= set(french)
    for key, finding in french.items():
        assert finding["title"] != english[key]["title"], key
        assert finding["description"] and finding["description"] != english[key]["description"]


def test_english_titles_keep_their_words_and_numbers(both):
    english, _ = both

    assert english["gap:a.two"]["title"] == (
        "Gap: Continuous discovery is 1.5 below its target (3 for a target of 4.5)")
    assert english["tension:a.two"]["title"] == (
        "Tension on Continuous discovery: ratings are dispersed (stdev 1.63, n=6)")
    # leaders 5 against others 2: 3 higher
    assert english["blind_spot:a.one"]["title"] == (
        "Blind spot on Shared vision: leaders rate it 3 higher than the others "
        "(5 against 2)")
    assert english["strength:b.two"]["title"] == "Strength: Product metrics scores 4.5"
    # interview 3 against survey 2, and the same respondents as leaders 3 against team 2
    assert english["tension:b.one"]["title"] == (
        "Tension on Delivery rituals: sources disagree (spread 1); levels disagree "
        "(leader 3, team 2)")
    assert english["gap:a.two"]["description"] == (
        "Suggested from 6 ratings on Continuous discovery: accept, edit or dismiss it.")


def test_french_titles_name_the_french_dimensions_with_french_numbers(both):
    _, french = both
    gap = french["gap:a.two"]["title"]
    tension = french["tension:a.two"]["title"]
    strength = french["strength:b.two"]["title"]

    assert "Découverte continue" in gap and "Continuous discovery" not in gap
    assert "1,5" in gap and "4,5" in gap and "1.5" not in gap
    assert "Découverte continue" in tension and "1,63" in tension and "1.63" not in tension
    assert "Indicateurs produit" in strength and "4,5" in strength
    assert "Vision partagée" in french["blind_spot:a.one"]["title"]
    assert "Rituels de livraison" in french["tension:b.one"]["title"]
    assert "Découverte continue" in french["gap:a.two"]["description"]


def test_a_stored_suggestion_keeps_its_words_when_the_language_changes(lead, admin):
    response = admin.post("/api/v1/frameworks", json=GRID)
    assert response.status_code == 201, response.json
    url = _assessment(lead, response.json["id"], "Acme", "en")
    first = _titles(lead, url)
    org = url.split("/assessments/")[0]
    assert lead.patch(org, json={"locale": "fr"}).status_code == 200

    again = lead.post(f"{url}/findings/suggest").json
    stored = lead.get(f"{org}/findings/{first['gap:a.two']['id']}").json

    assert again["created"] == [] and again["skipped"] == len(first)
    assert stored["title"] == first["gap:a.two"]["title"]
    assert "Continuous discovery" in stored["title"]
