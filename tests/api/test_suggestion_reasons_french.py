"""The API's reason of a suggested template is written in the organization's language
(DESIGN section 9): the same arithmetic and rule, numbers formatted for that language."""

from __future__ import annotations

from tests.playbook_scenario import playbook_scenario

# share of a.one = 1/12 -> "0.08333" (4 significant digits); target gap 4 − 2 = 2; uplift
# 0.5; value 1/12 · min(0.5, 2) = 1/24 = 0.041666… -> "0.04167" (tests/playbook_scenario.py).
ENGLISH = ("Lifts a.one named by the finding; closes a gap of 0.04167 (a.one: min(uplift "
           "0.5, gap 2) × share 0.08333); applies because (size_band ≥ large_group and "
           "(management_levels ≥ 3 or b.two score < 2)) holds.")


def _reason(lead, scenario) -> str:
    response = lead.get(scenario.assessment_url("/suggested-initiatives"))
    assert response.status_code == 200, response.json
    return response.json["findings"][0]["templates"][0]["reason"]


def test_the_reason_follows_the_organization_language(lead, admin):
    scenario = playbook_scenario(lead, admin)
    english = _reason(lead, scenario)
    assert lead.patch(scenario.url(), json={"locale": "fr"}).status_code == 200

    french = _reason(lead, scenario)

    assert english == ENGLISH
    assert french != english
    for number in ("0,04167", "0,5", "0,08333"):
        assert number in french
    for number in ("0.04167", "0.5", "0.08333"):
        assert number not in french
    assert "a.one" in french and "management_levels ≥ 3" in french

