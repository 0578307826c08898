"""Playbook rules on contrasting profiles, rule validation, prerequisite cycles and the
ranking of templates by gap value (DESIGN section 3, `gap` method), on the built-in library."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.errors import DependencyCycle, InvalidInput
from tracker.domain.frame.playbook import (
    GROWTH_OUTLOOKS,
    SIZE_BANDS,
    Profile,
    TemplateSpec,
    applies,
    check_prerequisites,
    rank_templates,
    rule_errors,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LIBRARY = yaml.safe_load((SEEDS / "playbook" / "templates.yaml").read_text())["templates"]
GRID = yaml.safe_load((SEEDS / "frameworks" / "pom-grid.yaml").read_text())
DIMENSIONS = [d["code"] for axis in GRID["axes"] for d in axis["dimensions"]]
SHARES = {code: 1 / 32 for code in DIMENSIONS}  # 4 axes × 8 dimensions, all weights 1
TEMPLATES = [TemplateSpec(t["code"], t["title"], t["uplifts"], t.get("rules"),
                          tuple(t.get("prerequisites", []))) for t in LIBRARY]

STARTUP = Profile(size_band="startup", management_levels=1, product_tech_people=40,
                  growth_outlook="steady")
GROUP = Profile(size_band="large_group", management_levels=5, product_tech_people=3000,
                growth_outlook="steady", regulatory_constraints=("GDPR",))
WEAK_LEADERSHIP = {"organisation.leadership": 1.8, "organisation.roles": 2.2}
IMPROVED = {"organisation.leadership": 3.4, "organisation.roles": 3.1}
# The finding: no product operations, blurred roles, a leadership that is not aligned.
FINDING = ["data.product_ops", "organisation.roles", "organisation.leadership"]
GAPS = {"data.product_ops": 2.0, "organisation.roles": 0.5, "organisation.leadership": 1.0}


def _codes(profile: Profile, scores: dict[str, float]) -> list[str]:
    return [s.code for s in rank_templates(TEMPLATES, FINDING, profile, scores, SHARES, GAPS)]


def _applicable(profile: Profile, scores: dict[str, float]) -> set[str]:
    return {t.code for t in TEMPLATES if applies(t.rules, profile, scores)}


def test_the_built_in_library_has_about_thirty_valid_acyclic_templates():
    assert 25 <= len(LIBRARY) <= 40
    for template in LIBRARY:
        assert set(template["uplifts"]) <= set(DIMENSIONS), template["code"]
        assert rule_errors(template.get("rules"), DIMENSIONS) == [], template["code"]
        assert template["class"] in ("quick_win", "structural_lever")
        assert template["duration_weeks"] > 0 and template["success_criteria"]
    order = check_prerequisites({t["code"]: t.get("prerequisites", []) for t in LIBRARY})
    assert order.index("clarify-product-roles") < order.index("product-ops-role")


def test_a_40_person_startup_gets_no_product_ops_role_nor_platform_team():
    applicable = _applicable(STARTUP, {**IMPROVED, "data.governance": 3})

    # one management level and steady growth: product ops is not for it, even with good scores
    assert "product-ops-role" not in applicable
    assert "platform-team" not in applicable  # needs 50 product and tech people
    assert "portfolio-lifecycle-map" not in applicable  # a single product portfolio
    assert "three-level-governance" not in applicable
    assert {"clarify-product-roles", "value-stream-teams", "simplify-rituals"} <= applicable


def test_a_3000_person_group_with_weak_leadership_clarifies_roles_and_aligns_leaders_first():
    codes = _codes(GROUP, WEAK_LEADERSHIP)

    assert "product-ops-role" not in codes
    # align-leadership: 1/32·min(1, 1) = 1/32; leadership-mirror: 1/32·min(0.5, 1) = 1/64;
    # clarify-product-roles and product-career-paths: 1/32·min(·, 0.5) = 1/64; user research
    # ops lifts product ops by 0.5: 1/64; distinct-product-roles (a large group's variant)
    # lifts roles by 1: 1/32·min(1, 0.5) = 1/64. Ties by code.
    assert codes == ["align-leadership", "clarify-product-roles", "distinct-product-roles",
                     "leadership-mirror", "product-career-paths", "user-research-ops"]
    assert {"three-level-governance", "platform-team", "data-governance"} <= _applicable(
        GROUP, WEAK_LEADERSHIP)


def test_the_same_group_after_leadership_improved_gets_the_product_ops_role_first():
    suggestions = rank_templates(TEMPLATES, FINDING, GROUP, IMPROVED, SHARES, GAPS)

    assert suggestions[0].code == "product-ops-role"
    # 1/32·min(2, 2) + practices.measure (no gap) 0 = 1/16
    assert suggestions[0].value == 1 / 16
    assert suggestions[0].dimensions == ["data.product_ops"]
    assert "management_levels ≥ 2" in suggestions[0].reason
    assert "organisation.leadership score ≥ 3" in suggestions[0].reason
    assert [s.value for s in suggestions[1:]] == [1 / 32] + [1 / 64] * 5


def test_strong_growth_also_opens_product_ops_with_one_management_level():
    profile = Profile(size_band="scale_up", management_levels=1, growth_outlook="strong")
    assert applies(next(t.rules for t in TEMPLATES if t.code == "product-ops-role"),
                   profile, IMPROVED)


def test_unknown_values_never_make_a_condition_true():
    rule = {"profile": "management_levels", "op": "<", "value": 3}
    assert not applies(rule, Profile(), {})
    assert not applies({"score": "organisation.roles", "op": "<", "value": 3}, GROUP,
                       {"organisation.roles": None})
    assert applies({"not": rule}, Profile(), {})


def test_ordered_choices_compare_by_rank_and_lists_by_membership():
    assert applies({"profile": "size_band", "op": ">=", "value": "mid_size"}, GROUP, {})
    assert not applies({"profile": "size_band", "op": ">=", "value": "mid_size"}, STARTUP, {})
    assert applies({"profile": "regulatory_constraints", "op": "contains", "value": "GDPR"},
                   GROUP, {})
    assert applies({"profile": "regulatory_constraints", "op": "not_contains",
                    "value": "GDPR"}, STARTUP, {})


def test_rule_errors_name_the_unknown_profile_field_and_dimension():
    errors = rule_errors({"all": [{"profile": "headcount", "op": ">=", "value": 50},
                                  {"score": "organisation.budget", "op": ">=", "value": 3},
                                  {"profile": "size_band", "op": ">=", "value": "huge"},
                                  {"profile": "management_levels", "op": "~", "value": 2}]},
                         DIMENSIONS)

    assert errors[0].startswith("rules.all[0].profile: unknown profile field 'headcount'")
    assert errors[1] == "rules.all[1].score: unknown dimension 'organisation.budget'"
    assert errors[2].startswith("rules.all[2].value: 'huge' is not one of startup")
    assert errors[3].startswith("rules.all[3].op: unknown operator '~'")
    assert rule_errors({"every": []}, DIMENSIONS)[0].startswith("rules: a rule needs one of")
    assert rule_errors({"score": ["a"], "op": [">="], "value": "3"}, DIMENSIONS) == [
        "rules.score: unknown dimension ['a']", "rules.op: unknown operator ['>=']"
        " (known: >=, >, <=, <, ==, !=)", "rules.value: a number is expected"]
    assert rule_errors({"profile": {"x": 1}, "op": ">=", "value": 1}, DIMENSIONS)[0].startswith(
        "rules.profile: unknown profile field {'x': 1}")


def test_prerequisite_cycles_and_unknown_codes_are_refused():
    with pytest.raises(DependencyCycle) as cycle:
        check_prerequisites({"a": ["c"], "b": ["a"], "c": ["b"]})
    assert cycle.value.cycle[0] == cycle.value.cycle[-1]
    assert set(cycle.value.cycle) == {"a", "b", "c"}
    with pytest.raises(InvalidInput) as invalid:
        check_prerequisites({"a": ["zz"], "b": ["b"]})
    assert invalid.value.errors["prerequisites"] == [
        "a: unknown prerequisite 'zz'", "b: a template cannot be its own prerequisite"]


# --- properties ---------------------------------------------------------------------------

NUMBER = st.integers(min_value=0, max_value=10)
OPS = st.sampled_from([">=", ">", "<=", "<", "==", "!="])
PROFILES = st.builds(Profile, size_band=st.sampled_from(SIZE_BANDS),
                     management_levels=NUMBER, product_tech_people=st.integers(0, 5000),
                     growth_outlook=st.sampled_from(GROWTH_OUTLOOKS))
SCORES = st.fixed_dictionaries({"x.a": st.floats(1, 5), "x.b": st.floats(1, 5)})
LEAVES = st.one_of(
    st.builds(lambda op, v: {"profile": "management_levels", "op": op, "value": v}, OPS, NUMBER),
    st.builds(lambda op, v: {"profile": "size_band", "op": op, "value": v}, OPS,
              st.sampled_from(SIZE_BANDS)),
    st.builds(lambda d, op, v: {"score": d, "op": op, "value": v},
              st.sampled_from(["x.a", "x.b"]), OPS, st.floats(1, 5)))
RULES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.builds(lambda parts: {"all": parts}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda parts: {"any": parts}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda part: {"not": part}, inner)), max_leaves=8)


@given(RULES, st.lists(RULES, min_size=1, max_size=3), PROFILES, SCORES)
def test_all_and_any_combine_like_and_and_or(rule, parts, profile, scores):
    results = [applies(p, profile, scores) for p in parts]
    assert applies({"all": parts}, profile, scores) == all(results)
    assert applies({"any": parts}, profile, scores) == any(results)
    assert applies({"not": rule}, profile, scores) != applies(rule, profile, scores)
    assert rule_errors(rule, ["x.a", "x.b"]) == []


@given(PROFILES, NUMBER, st.sampled_from(SIZE_BANDS))
def test_comparisons_follow_numbers_and_ranks(profile, value, band):
    assert applies({"profile": "management_levels", "op": ">=", "value": value}, profile,
                   {}) == (profile.management_levels >= value)
    assert applies({"profile": "size_band", "op": "<", "value": band}, profile, {}) == (
        SIZE_BANDS.index(profile.size_band) < SIZE_BANDS.index(band))


@given(PROFILES, SCORES, st.dictionaries(st.sampled_from(DIMENSIONS[:6]),
                                         st.floats(0, 3), min_size=1))
def test_ranking_is_sorted_by_value_and_keeps_only_applicable_touching_templates(
        profile, scores, gaps):
    suggestions = rank_templates(TEMPLATES, list(gaps), profile, scores, SHARES, gaps)
    values = [s.value for s in suggestions]
    assert values == sorted(values, reverse=True)
    by_code = {t.code: t for t in TEMPLATES}
    for suggestion in suggestions:
        template = by_code[suggestion.code]
        assert set(template.uplifts) & set(gaps)
        assert applies(template.rules, profile, scores)


@given(st.integers(2, 12).flatmap(lambda n: st.tuples(
    st.just(n), st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))))))
def test_prerequisites_come_first_and_any_back_edge_is_a_cycle(case):
    size, pairs = case
    edges = {(min(a, b), max(a, b)) for a, b in pairs if a != b}  # i < j: acyclic
    library = {f"t{i}": [f"t{a}" for a, b in sorted(edges) if b == i] for i in range(size)}

    order = check_prerequisites(library)

    assert sorted(order) == sorted(library)
    for code, needs in library.items():
        assert all(order.index(need) < order.index(code) for need in needs)
    if edges:
        first, last = min(edges)
        library[f"t{first}"] = [*library[f"t{first}"], f"t{last}"]
        with pytest.raises(DependencyCycle) as cycle:
            check_prerequisites(library)
        assert cycle.value.cycle[0] == cycle.value.cycle[-1]
