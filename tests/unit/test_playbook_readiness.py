"""Readiness checks of playbook rules (issue 17): which conditions pass or fail, with the
organization's values, and what stands in the way; and the role variants the sources
disagree on (merged product manager / product owner roles or distinct ones), chosen by
the profile's size band."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.unit.test_playbook_rules import PROFILES, RULES, SCORES, TEMPLATES
from tracker.domain.frame.playbook import SIZE_BANDS, Profile, applies, check_readiness

PRODUCT_OPS = next(t.rules for t in TEMPLATES if t.code == "product-ops-role")
#: The demo's profile: mid-size, three management levels, strong growth.
DEMO = Profile(size_band="mid_size", management_levels=3, product_tech_people=100,
               growth_outlook="strong", regulatory_constraints=("GDPR",))


def _unmet(rule, profile, scores):
    check = check_readiness(rule, profile, scores)
    return [[(c.name, c.actual) for c in group] for group in check.unmet]


def test_product_ops_is_not_yet_ready_naming_leadership_and_roles_with_their_scores():
    scores = {"organisation.leadership": 2.67, "organisation.roles": 2.08}
    check = check_readiness(PRODUCT_OPS, DEMO, scores)

    assert not check.ready
    # the profile branch holds (3 management levels ≥ 2), both score conditions fail
    assert [(c.name, c.holds) for c in check.conditions] == [
        ("management_levels", True), ("growth_outlook", True),
        ("organisation.leadership", False), ("organisation.roles", False)]
    assert _unmet(PRODUCT_OPS, DEMO, scores) == [[("organisation.leadership", 2.67)],
                                                 [("organisation.roles", 2.08)]]


def test_once_leadership_and_roles_reach_3_product_ops_is_ready():
    check = check_readiness(PRODUCT_OPS, DEMO, {"organisation.leadership": 3.0,
                                                "organisation.roles": 3.5})
    assert check.ready and check.unmet == ()


def test_a_failed_any_is_one_group_of_its_alternatives_and_unknown_values_fail():
    profile = Profile(size_band="startup", management_levels=1, growth_outlook=None)
    unmet = _unmet(PRODUCT_OPS, profile, {"organisation.leadership": 3.2})

    assert unmet == [[("management_levels", 1), ("growth_outlook", None)],
                     [("organisation.roles", None)]]


def test_a_negated_condition_fails_when_its_inner_condition_holds():
    rule = {"not": {"all": [{"profile": "size_band", "op": "==", "value": "startup"},
                            {"score": "x.a", "op": ">=", "value": 3}]}}
    check = check_readiness(rule, Profile(size_band="startup"), {"x.a": 4.0})

    # not (a and b) = (not a) or (not b): one group, both conditions negated, both failing
    assert not check.ready
    assert [(c.name, c.negated, c.holds) for c in check.unmet[0]] == [
        ("size_band", True, False), ("x.a", True, False)]


def test_no_rule_is_always_ready():
    assert check_readiness(None, Profile(), {}).ready


@given(RULES, PROFILES, SCORES)
def test_the_check_says_ready_exactly_when_the_rule_holds(rule, profile, scores):
    check = check_readiness(rule, profile, scores)

    assert check.ready == applies(rule, profile, scores)
    assert (check.unmet == ()) == check.ready
    assert all(not c.holds for group in check.unmet for c in group)
    leaves = set(map(id, check.conditions))
    assert all(id(c) in leaves for group in check.unmet for c in group)


@given(RULES, PROFILES, SCORES)
def test_meeting_every_unmet_group_is_what_the_rule_needs(rule, profile, scores):
    check = check_readiness(rule, profile, scores)
    # a single-condition group names a condition the rule cannot do without: checking it
    # alone as the rule fails too
    for group in check.unmet:
        if len(group) == 1:
            condition = group[0]
            leaf = {condition.kind: condition.name, "op": condition.op,
                    "value": condition.expected}
            assert applies(leaf, profile, scores) == condition.negated


# --- the role variants -----------------------------------------------------------------------

MERGED = next(t.rules for t in TEMPLATES if t.code == "merged-product-roles")
DISTINCT = next(t.rules for t in TEMPLATES if t.code == "distinct-product-roles")


def test_a_mid_size_organization_gets_merged_roles_and_a_large_group_distinct_ones():
    group = Profile(size_band="large_group", management_levels=5)
    assert applies(MERGED, DEMO, {}) and not applies(DISTINCT, DEMO, {})
    assert applies(DISTINCT, group, {}) and not applies(MERGED, group, {})
    # the held-back variant says why: a large group is above mid_size
    assert _unmet(MERGED, group, {}) == [[("size_band", "large_group")]]


@given(st.sampled_from(SIZE_BANDS))
def test_exactly_one_role_variant_applies_per_size_band(band):
    profile = Profile(size_band=band)
    assert applies(MERGED, profile, {}) != applies(DISTINCT, profile, {})


def test_without_a_size_band_neither_variant_is_suggested():
    assert not applies(MERGED, Profile(), {}) and not applies(DISTINCT, Profile(), {})
