"""The pilot effect as a difference-in-differences (DESIGN sections 3 and 9): the baseline,
both differences, the four groups' sizes, and the reason a term is null."""

from __future__ import annotations

from tests.e2e.test_follow_schedules import pilot_organization


def _measure(lead, org_id: int) -> dict:
    (pilot,) = lead.get(f"/api/v1/orgs/{org_id}/barometer/pilot-effects").json["pilots"]
    (measure,) = pilot["measures"]
    return measure


def test_the_effect_is_the_difference_now_minus_the_difference_before(lead, admin):
    org_id, _pilot_id, pulse_id = pilot_organization(lead, admin)

    measure = _measure(lead, org_id)

    # lifted a.one (W 1) and a.two (W 3); before: pilot (2·1 + 2·3) / 4 = 2, others 3;
    # now: pilot (4·1 + 3·3) / 4 = 3.25, others 3; effect = 0.25 − (−1) = 1.25
    assert measure["assessment_id"] == pulse_id
    assert measure["baseline_assessment_id"] is not None
    assert (measure["difference_now"], measure["difference_before"], measure["effect"]) == (
        0.25, -1.0, 1.25)
    assert measure["sizes"] == {"pilot_now": 2, "rest_now": 2, "pilot_before": 2,
                                "rest_before": 2}
    assert measure["reason"] is None


def test_a_small_group_before_the_start_nulls_the_effect_and_is_named(lead, admin):
    org_id, _pilot_id, _pulse_id = pilot_organization(lead, admin)
    assert lead.patch(f"/api/v1/orgs/{org_id}", json={"min_group_size": 3}).status_code == 200

    measure = _measure(lead, org_id)

    assert measure["effect"] is None and measure["difference_before"] is None
    assert measure["difference_now"] is None
    assert measure["reason"].startswith("Pilot teams, now: 2 respondent(s), under the minimum")
