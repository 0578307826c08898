"""A template held back by its rule, with its reasons known by hand (issue 17): the test
grid of `tests.builders` (a.one, a.two on axis a; b.one, b.two on axis b), a mid-size
organization with 3 management levels, a product-ops-like template `t-ops` lifting a.two
under a rule on the profile and on a.one and b.one, its prerequisite `t-roles` lifting
a.one (no rule), and two gap findings. Shared by the API, page and browser tests."""

from __future__ import annotations

from typing import Any

from tests.builders import Scenario

ROLES = {"code": "t-roles", "title": "Clarify roles", "duration_weeks": 4,
         "uplifts": {"a.one": 1.0}}
OPS = {"code": "t-ops", "title": "Create a product ops role", "duration_weeks": 13,
       "uplifts": {"a.two": 2.0}, "prerequisites": ["t-roles"],
       "rules": {"all": [{"profile": "management_levels", "op": ">=", "value": 2},
                         {"score": "a.one", "op": ">=", "value": 3},
                         {"score": "b.one", "op": ">=", "value": 3}]}}
#: Ann and Bob, equal source weights: a.one (2 + 3)/2 = 2.5, b.one (1 + 2)/2 = 1.5,
#: a.two (1 + 1)/2 = 1, b.two (4 + 4)/2 = 4.
RATINGS = {"Ann": {"a.one": 2, "a.two": 1, "b.one": 1, "b.two": 4},
           "Bob": {"a.one": 3, "a.two": 1, "b.one": 2, "b.two": 4}}
#: management_levels 3 ≥ 2 holds; a.one 2.5 < 3 and b.one 1.5 < 3 fail; the finding on
#: a.one ("Unclear roles") would lift the first; t-roles is its prerequisite, not adopted.
REASON = ("Not yet: a.one 2.5 < 3, b.one 1.5 < 3; answer “Unclear roles” first; adopt "
          "“Clarify roles” first.")
FRENCH_FIGURES = ("2,5 < 3", "1,5 < 3")


def readiness_scenario(lead: Any, admin: Any) -> Scenario:
    """Build the scenario above through the API (`lead` leads the organization)."""
    built = Scenario(lead, admin)
    rows = []
    for name, values in RATINGS.items():
        who = built.add_respondent(name)
        rows += [{"respondent_id": who, "dimension": d, "value": v} for d, v in values.items()]
    assert built.rate(rows).status_code == 200
    assert lead.put(built.url("/targets"), json={
        "framework_id": built.framework["id"],
        "targets": [{"dimension": "a.one", "level": 4},
                    {"dimension": "a.two", "level": 4}]}).status_code == 200
    assert lead.put(built.url("/profile"), json={
        "size_band": "mid_size", "management_levels": 3}).status_code == 200
    for template in (ROLES, OPS):
        assert lead.post(built.url("/playbook"), json=template).status_code == 201
    for title, dimension in (("No product operations", "a.two"), ("Unclear roles", "a.one")):
        assert lead.post(built.url("/findings"), json={
            "kind": "gap", "title": title, "dimensions": [dimension],
            "assessment_id": built.assessment["id"]}).status_code == 201
    return built
