"""A suggested template whose "why it applies" is known by hand: the test grid of
`tests.builders` (axis a weight 1 with a.one weight 1 and a.two weight 3; axis b weight 2
with b.one and b.two weight 1 each), Ann's ratings, a target of 4 on a.one, a large group
with 4 management levels, one template lifting a.one by 0.5 under a rule, and a gap finding
on a.one. Shared by the page test and the browser test of issue 15's Decide part."""

from __future__ import annotations

from typing import Any

from tests.builders import Scenario

TEMPLATE = {"code": "t-roles", "title": "Clarify roles", "duration_weeks": 4,
            "uplifts": {"a.one": 0.5},
            "rules": {"all": [{"profile": "size_band", "op": ">=", "value": "large_group"},
                              {"any": [{"profile": "management_levels", "op": ">=",
                                        "value": 3},
                                       {"score": "b.two", "op": "<", "value": 2}]}]}}
RATINGS = {"a.one": 2, "a.two": 1, "b.one": 1, "b.two": 4}
#: share of a.one = W_a·W_d / (Σ_axes W_a · Σ_{dims of a} W_d) = 1·1 / ((1 + 2)·(1 + 3)) = 1/12;
#: its target gap = 4 − 2 = 2; the template closes 1/12 · min(0.5, 2) = 0.041666… → "0.04".
#: The rule holds: size_band ≥ large_group (the largest band, so "is a large group"), and of
#: the `any` only management_levels 4 ≥ 3 holds (b.two scores 4, not < 2): only it is said.
WHY = ("closes 0.04 of the maturity gap on A one, where the target is 4 and today's score 2; "
       "applies because the organization is a large group and the organization has at least "
       "3 management levels.")


def playbook_scenario(lead: Any, admin: Any) -> Scenario:
    """Build the scenario above through the API (`lead` leads the organization)."""
    built = Scenario(lead, admin)
    ann = built.add_respondent()
    assert built.rate([{"respondent_id": ann, "dimension": d, "value": v}
                       for d, v in RATINGS.items()]).status_code == 200
    assert lead.put(built.url("/targets"), json={
        "framework_id": built.framework["id"],
        "targets": [{"dimension": "a.one", "level": 4}]}).status_code == 200
    assert lead.put(built.url("/profile"), json={
        "size_band": "large_group", "management_levels": 4}).status_code == 200
    assert lead.post(built.url("/playbook"), json=TEMPLATE).status_code == 201
    assert lead.post(built.url("/findings"), json={
        "kind": "gap", "title": "Roles are unclear", "dimensions": ["a.one"],
        "assessment_id": built.assessment["id"]}).status_code == 201
    return built
