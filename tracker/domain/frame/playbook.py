"""The playbook: applicability rules of initiative templates, their validation, the
prerequisite graph of a template library, and the ranking of templates for a finding by the
maturity gap they close (DESIGN section 3, the `gap` method).

A rule is plain data (as written in YAML):

- `{profile: FIELD, op: OP, value: V}`: a condition on the organization profile;
- `{score: DIMENSION_CODE, op: OP, value: V}`: a condition on a dimension's score in the
  assessment;
- `{all: [RULE, ...]}`, `{any: [RULE, ...]}`, `{not: RULE}`: combinations.

`OP` is one of `>=`, `>`, `<=`, `<`, `==`, `!=` (and `contains` for the list field
`regulatory_constraints`). Ordered choices compare by rank: `startup < scale_up < mid_size <
large_group` and `low < steady < strong`. An unknown value (a profile field not filled in, a
dimension without a score) makes its condition false: a template is only suggested when we
know it applies. No rule at all means the template always applies.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from tracker.domain.errors import InvalidInput
from tracker.domain.graph import topological_order
from tracker.domain.prioritization import gap_value

SIZE_BANDS: tuple[str, ...] = ("startup", "scale_up", "mid_size", "large_group")
GROWTH_OUTLOOKS: tuple[str, ...] = ("low", "steady", "strong")
#: Ordered choice fields by their choices; the other profile fields are numbers or a list.
ORDERED_FIELDS: Mapping[str, tuple[str, ...]] = {"size_band": SIZE_BANDS,
                                                 "growth_outlook": GROWTH_OUTLOOKS}
NUMBER_FIELDS: tuple[str, ...] = ("management_levels", "product_tech_people")
LIST_FIELDS: tuple[str, ...] = ("regulatory_constraints",)
PROFILE_FIELDS: tuple[str, ...] = (*ORDERED_FIELDS, *NUMBER_FIELDS, *LIST_FIELDS)
COMPARISONS: Mapping[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
    "==": operator.eq, "!=": operator.ne}
SYMBOLS: Mapping[str, str] = {">=": "≥", "<=": "≤", "==": "=", "!=": "≠", ">": ">", "<": "<"}


@dataclass(frozen=True)
class Profile:
    """The organization profile the rules read; `None` means not filled in."""

    size_band: str | None = None
    management_levels: int | None = None
    product_tech_people: int | None = None
    growth_outlook: str | None = None
    regulatory_constraints: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateSpec:
    """What ranking needs of a template: its code, uplifts per dimension and rule."""

    code: str
    title: str
    uplifts: Mapping[str, float]
    rules: Mapping[str, Any] | None = None
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """An applicable template for a finding, its gap value and why it is suggested."""

    code: str
    title: str
    value: float
    reason: str
    dimensions: list[str] = field(default_factory=list)


def applies(rule: Mapping[str, Any] | None, profile: Profile,
            scores: Mapping[str, float | None]) -> bool:
    """Whether `rule` holds for this profile and these dimension scores.

    >>> rule = {"all": [{"any": [{"profile": "management_levels", "op": ">=", "value": 2},
    ...                          {"profile": "growth_outlook", "op": "==", "value": "strong"}]},
    ...                 {"score": "organisation.leadership", "op": ">=", "value": 3}]}
    >>> applies(rule, Profile(management_levels=3), {"organisation.leadership": 3.2})
    True
    >>> applies(rule, Profile(management_levels=3), {"organisation.leadership": 2.1})
    False
    >>> applies(None, Profile(), {})
    True
    """
    if not rule:
        return True
    if "all" in rule:
        return all(applies(part, profile, scores) for part in rule["all"])
    if "any" in rule:
        return any(applies(part, profile, scores) for part in rule["any"])
    if "not" in rule:
        return not applies(rule["not"], profile, scores)
    if "profile" in rule:
        return _profile_holds(rule, profile)
    return _compare(scores.get(rule["score"]), rule["op"], rule["value"])


def _profile_holds(rule: Mapping[str, Any], profile: Profile) -> bool:
    name, op, expected = rule["profile"], rule["op"], rule["value"]
    actual = getattr(profile, name)
    if name in LIST_FIELDS:
        present = expected in (actual or ())
        return present if op == "contains" else not present
    if actual is None:
        return False
    if name in ORDERED_FIELDS:
        ranks = ORDERED_FIELDS[name]
        return _compare(ranks.index(actual), op, ranks.index(expected))
    return _compare(actual, op, expected)


def _compare(actual: Any, op: str, expected: Any) -> bool:
    return actual is not None and COMPARISONS[op](actual, expected)


def describe(rule: Mapping[str, Any] | None) -> str:
    """A rule in words, for the reasons given with suggestions.

    >>> describe({"all": [{"profile": "management_levels", "op": ">=", "value": 2},
    ...                   {"score": "organisation.roles", "op": ">=", "value": 3}]})
    '(management_levels ≥ 2 and organisation.roles score ≥ 3)'
    """
    if not rule:
        return "always"
    for key, word in (("all", " and "), ("any", " or ")):
        if key in rule:
            return "(" + word.join(describe(part) for part in rule[key]) + ")"
    if "not" in rule:
        return f"not {describe(rule['not'])}"
    if "profile" in rule:
        if rule["op"] in ("contains", "not_contains"):
            verb = "include" if rule["op"] == "contains" else "exclude"
            return f"{rule['profile']} {verb} {rule['value']}"
        return f"{rule['profile']} {SYMBOLS[rule['op']]} {rule['value']}"
    return f"{rule['score']} score {SYMBOLS[rule['op']]} {rule['value']}"


def rule_errors(rule: Any, dimensions: Collection[str], path: str = "rules") -> list[str]:
    """Every problem of a rule, each prefixed by where it is (`rules.all[1].profile`).

    An unknown profile field or dimension code is named, with the known profile fields.

    >>> rule_errors({"all": [{"profile": "headcount", "op": ">=", "value": 50}]}, {"a.x"})
    ["rules.all[0].profile: unknown profile field 'headcount' (known: size_band, \
growth_outlook, management_levels, product_tech_people, regulatory_constraints)"]
    >>> rule_errors({"score": "a.y", "op": ">=", "value": 3}, {"a.x"})
    ["rules.score: unknown dimension 'a.y'"]
    """
    if rule is None:
        return []
    if not isinstance(rule, Mapping) or len(rule) == 0:
        return [f"{path}: a rule is a mapping with all, any, not, profile or score"]
    for key in ("all", "any"):
        if key in rule:
            parts = rule[key]
            if not isinstance(parts, list) or not parts:
                return [f"{path}.{key}: a non-empty list of rules"]
            return [e for i, part in enumerate(parts)
                    for e in rule_errors(part, dimensions, f"{path}.{key}[{i}]")]
    if "not" in rule:
        return rule_errors(rule["not"], dimensions, f"{path}.not")
    if "profile" in rule:
        return _profile_rule_errors(rule, path)
    if "score" in rule:
        return _score_rule_errors(rule, dimensions, path)
    return [f"{path}: a rule needs one of all, any, not, profile or score "
            f"(got {', '.join(map(str, rule))})"]


def _profile_rule_errors(rule: Mapping[str, Any], path: str) -> list[str]:
    name, op, value = rule["profile"], rule.get("op"), rule.get("value")
    if not isinstance(name, str) or name not in PROFILE_FIELDS:
        return [f"{path}.profile: unknown profile field {name!r} "
                f"(known: {', '.join(PROFILE_FIELDS)})"]
    if name in LIST_FIELDS:
        if op not in ("contains", "not_contains"):
            return [f"{path}.op: {name} takes contains or not_contains"]
        return [] if isinstance(value, str) else [f"{path}.value: a text is expected"]
    if not isinstance(op, str) or op not in COMPARISONS:
        return [f"{path}.op: unknown operator {op!r} (known: {', '.join(COMPARISONS)})"]
    if name in ORDERED_FIELDS and (not isinstance(value, str)
                                   or value not in ORDERED_FIELDS[name]):
        return [f"{path}.value: {value!r} is not one of {', '.join(ORDERED_FIELDS[name])}"]
    if name in NUMBER_FIELDS and not _is_number(value):
        return [f"{path}.value: a number is expected"]
    return []


def _score_rule_errors(rule: Mapping[str, Any], dimensions: Collection[str],
                       path: str) -> list[str]:
    errors = []
    if not isinstance(rule["score"], str) or rule["score"] not in dimensions:
        errors.append(f"{path}.score: unknown dimension {rule['score']!r}")
    if not isinstance(rule.get("op"), str) or rule.get("op") not in COMPARISONS:
        errors.append(f"{path}.op: unknown operator {rule.get('op')!r} "
                      f"(known: {', '.join(COMPARISONS)})")
    if not _is_number(rule.get("value")):
        errors.append(f"{path}.value: a number is expected")
    return errors


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def check_prerequisites(prerequisites: Mapping[str, Sequence[str]]) -> list[str]:
    """A topological order of template codes (prerequisites first), given each template's
    prerequisite codes. `InvalidInput` (keyed `prerequisites`) for an unknown code or a
    self-reference, `DependencyCycle` with the codes in order for a cycle.

    >>> check_prerequisites({"a": [], "b": ["a"], "c": ["b"]})
    ['a', 'b', 'c']
    >>> check_prerequisites({"a": ["b"], "b": ["a"]})
    Traceback (most recent call last):
    ...
    tracker.domain.errors.DependencyCycle: This link would close a cycle: a → b → a
    """
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(sorted(prerequisites))
    problems: list[str] = []
    for code, needs in sorted(prerequisites.items()):
        for need in needs:
            if need == code:
                problems.append(f"{code}: a template cannot be its own prerequisite")
            elif need not in prerequisites:
                problems.append(f"{code}: unknown prerequisite {need!r}")
            else:
                graph.add_edge(need, code)
    if problems:
        raise InvalidInput("Some prerequisites are invalid.", errors={"prerequisites": problems})
    return topological_order(graph)


def rank_templates(templates: Sequence[TemplateSpec], finding_dimensions: Collection[str],
                   profile: Profile, scores: Mapping[str, float | None],
                   shares: Mapping[str, float],
                   target_gaps: Mapping[str, float | None]) -> list[Suggestion]:
    """The templates that touch the finding's dimensions and whose rule holds, ranked by
    their gap value `Σ_d share_d·min(uplift_d, target_gap_d)` (highest first, then code).

    >>> roles = TemplateSpec("clarify-roles", "Clarify roles", {"o.roles": 1.0})
    >>> ops = TemplateSpec("product-ops", "Product ops", {"o.roles": 0.5, "d.ops": 2.0},
    ...                    {"score": "o.roles", "op": ">=", "value": 3})
    >>> [s.code for s in rank_templates([roles, ops], {"o.roles"}, Profile(),
    ...                                 {"o.roles": 2.0}, {"o.roles": 0.5, "d.ops": 0.5},
    ...                                 {"o.roles": 2.0, "d.ops": 2.0})]
    ['clarify-roles']
    """
    touched = set(finding_dimensions)
    suggestions = []
    for template in templates:
        dims = sorted(touched & set(template.uplifts))
        if not dims or not applies(template.rules, profile, scores):
            continue
        gaps = {d: g for d, g in target_gaps.items() if g is not None}
        value = gap_value(template.uplifts, shares, gaps)
        suggestions.append(Suggestion(template.code, template.title, value,
                                      _reason(template, dims, shares, gaps, value), dims))
    return sorted(suggestions, key=lambda s: (-s.value, s.code))


def _reason(template: TemplateSpec, dims: Sequence[str], shares: Mapping[str, float],
            gaps: Mapping[str, float], value: float) -> str:
    parts = []
    for dim in sorted(template.uplifts):
        if dim in gaps and dim in shares:
            parts.append(f"{dim}: min(uplift {template.uplifts[dim]:g}, gap {gaps[dim]:g}) "
                         f"× share {shares[dim]:.4g}")
    closes = "; ".join(parts) if parts else "no target gap on the dimensions it lifts"
    condition = ("it has no applicability rule" if not template.rules
                 else f"{describe(template.rules)} holds")
    return (f"Lifts {', '.join(dims)} named by the finding; closes a gap of {value:.4g} "
            f"({closes}); applies because {condition}.")


# --- readiness ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Condition:
    """One condition of a rule with the value it was checked against: `kind` is `profile`
    or `score`, `name` the profile field or dimension code, `actual` the organization's
    value (`None` when unknown), `negated` when it sits under an odd number of `not`."""

    kind: str
    name: str
    op: str
    expected: Any
    actual: Any
    holds: bool
    negated: bool = False


@dataclass(frozen=True)
class Readiness:
    """A readiness check of a template's rule: `ready` exactly when the rule holds;
    `conditions` every condition with its outcome, in the rule's order; `unmet` what stands
    in the way, as groups: meeting any one condition of each group would make the rule
    hold (a group of one for a plain condition, a failed `any` gives one group with the
    failed conditions of its branches)."""

    ready: bool
    conditions: tuple[Condition, ...]
    unmet: tuple[tuple[Condition, ...], ...]


def check_readiness(rule: Mapping[str, Any] | None, profile: Profile,
                    scores: Mapping[str, float | None]) -> Readiness:
    """The rule as a check with its reasons: which conditions pass or fail, with the
    organization's values. `ready` is `applies(rule, profile, scores)`.

    >>> rule = {"all": [{"score": "o.leadership", "op": ">=", "value": 3},
    ...                 {"score": "o.roles", "op": ">=", "value": 3}]}
    >>> check = check_readiness(rule, Profile(), {"o.leadership": 2.67, "o.roles": 3.5})
    >>> check.ready, [(c.name, c.actual) for group in check.unmet for c in group]
    (False, [('o.leadership', 2.67)])
    >>> check_readiness(None, Profile(), {}).ready
    True
    """
    if not rule:
        return Readiness(True, (), ())
    holds, conditions, unmet = _check(rule, profile, scores, False)
    return Readiness(holds, tuple(conditions), tuple(unmet))


def _check(rule: Mapping[str, Any], profile: Profile, scores: Mapping[str, float | None],
           negated: bool) -> tuple[bool, list[Condition], list[tuple[Condition, ...]]]:
    """(holds, conditions, unmet groups) of `rule`, read under `negated` (De Morgan: a
    negated `all` is an `any` of negated parts and the other way round)."""
    if "not" in rule:
        return _check(rule["not"], profile, scores, not negated)
    for key in ("all", "any"):
        if key in rule:
            parts = [_check(part, profile, scores, negated) for part in rule[key]]
            conditions = [c for _, found, _ in parts for c in found]
            if (key == "all") != negated:
                holds = all(p[0] for p in parts)
                return holds, conditions, [g for _, _, groups in parts for g in groups]
            holds = any(p[0] for p in parts)
            merged = tuple(c for _, _, groups in parts for g in groups for c in g)
            return holds, conditions, [] if holds else [merged]
    kind = "profile" if "profile" in rule else "score"
    name = rule[kind]
    actual: Any = getattr(profile, name) if kind == "profile" else scores.get(name)
    if kind == "profile" and name in LIST_FIELDS:
        actual = list(actual or ())
    holds = applies(rule, profile, scores) != negated
    condition = Condition(kind, name, rule["op"], rule["value"], actual, holds, negated)
    return holds, [condition], [] if holds else [(condition,)]
