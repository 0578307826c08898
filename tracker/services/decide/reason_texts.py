"""The API's `reason` of a suggested template, written in the organization's language
(DESIGN section 9): which dimensions of the finding it lifts, the gap value it closes with
its arithmetic (`min(uplift, target gap) × share` per dimension, DESIGN's `gap` method)
and its applicability rule. The pages say the same in plain words
(`tracker.web.decide.reasons`); this one keeps the terms of the rule, for integrations.

Every sentence is translatable with named placeholders; numbers are formatted by Babel for
the language, to as many significant digits as the arithmetic needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from tracker.domain.frame.playbook import SYMBOLS, Condition, Readiness, Suggestion

if TYPE_CHECKING:
    from tracker.services.decide.suggestions import Applicability


def _digits(value: float, significant: int) -> str:
    """`value` to at most `significant` significant digits in the current language."""
    return str(format_decimal(value, format="@" + "#" * (significant - 1)))


def _value(value: Any) -> str:
    """A rule's value: a number in the current language, anything else as written."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return _digits(value, 6)


def rule_terms(rule: Mapping[str, Any] | None) -> str:
    """A playbook rule in its terms (`(management_levels ≥ 2 and a.one score ≥ 3)`), the
    joining words in the current language."""
    if not rule:
        return _("always")
    if "all" in rule:
        return "(" + _(" and ").join(rule_terms(part) for part in rule["all"]) + ")"
    if "any" in rule:
        return "(" + _(" or ").join(rule_terms(part) for part in rule["any"]) + ")"
    if "not" in rule:
        return _("not %(rule)s", rule=rule_terms(rule["not"]))
    if "profile" in rule:
        if rule["op"] == "contains":
            return _("%(field)s include %(value)s", field=rule["profile"], value=rule["value"])
        if rule["op"] == "not_contains":
            return _("%(field)s exclude %(value)s", field=rule["profile"], value=rule["value"])
        return f"{rule['profile']} {SYMBOLS[rule['op']]} {_value(rule['value'])}"
    return _("%(dimension)s score %(op)s %(value)s", dimension=rule["score"],
             op=SYMBOLS[rule["op"]], value=_value(rule["value"]))


def reason(suggestion: Suggestion, why: Applicability, rule: Mapping[str, Any] | None) -> str:
    """Why a template is suggested for a finding, in the current language: the dimensions
    it lifts, the gap value with its arithmetic, and the rule that holds (`rule` is the
    template's whole rule)."""
    parts = [_("%(dimension)s: min(uplift %(uplift)s, gap %(gap)s) × share %(share)s",
               dimension=gain.code, uplift=_digits(gain.uplift, 6),
               gap=_digits(gain.target_gap, 6), share=_digits(gain.share, 4))
             for gain in why.gains]
    closes = _("; ").join(parts) if parts else _("no target gap on the dimensions it lifts")
    condition = (_("%(rule)s holds", rule=rule_terms(rule)) if rule
                 else _("it has no applicability rule"))
    return _("Lifts %(dimensions)s named by the finding; closes a gap of %(value)s "
             "(%(closes)s); applies because %(condition)s.",
             dimensions=", ".join(suggestion.dimensions), value=_digits(suggestion.value, 4),
             closes=closes, condition=condition)


#: The comparison a failed condition shows between its value and the rule's
#: (`2.67 < 3` for a failed `≥ 3`).
FAILED_SYMBOLS: Mapping[str, str] = {">=": "<", ">": "≤", "<=": ">", "<": "≥", "==": "≠",
                                     "!=": "="}


def figure(value: Any) -> str:
    """A condition's value: a number to two decimals in the current language, a list
    joined, anything else as written."""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or _("none")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return str(format_decimal(value, format="#,##0.##"))


def condition_terms(condition: Condition, names: Mapping[str, str] | None = None,
                    choices: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """A condition with the organization's value: as it holds (`management_levels 3 ≥ 2`)
    or as it fails (`failed_terms`)."""
    if not condition.holds:
        return failed_terms(condition, names, choices)
    name = (names or {}).get(condition.name, condition.name)
    shown = (choices or {}).get(condition.name, {})
    if condition.op in ("contains", "not_contains"):
        return failed_terms(replace(condition, op=_OPPOSITE_LIST[condition.op]), names,
                            choices)
    op = FAILED_SYMBOLS[condition.op] if condition.negated else SYMBOLS[condition.op]
    return f"{name} {figure(shown.get(condition.actual, condition.actual))} {op} " \
           f"{figure(shown.get(condition.expected, condition.expected))}"


_OPPOSITE_LIST = {"contains": "not_contains", "not_contains": "contains"}


def failed_terms(condition: Condition, names: Mapping[str, str] | None = None,
                 choices: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """A condition that fails, with the organization's value (`organisation.roles 2.08 <
    3`); dimensions and profile fields named by `names` where given (the reader's
    language), else by code, the profile's choices by `choices` (field → value → label)."""
    name = (names or {}).get(condition.name, condition.name)
    shown = (choices or {}).get(condition.name, {})
    expected = figure(shown.get(condition.expected, condition.expected))
    if condition.actual is None:
        return _("%(name)s unknown (the rule needs %(op)s %(value)s)", name=name,
                 op=SYMBOLS.get(condition.op, condition.op), value=expected)
    if condition.op in ("contains", "not_contains"):
        includes = (condition.op == "contains") == condition.negated
        verb = (_("%(name)s include %(value)s") if includes
                else _("%(name)s do not include %(value)s"))
        return verb % {"name": name, "value": condition.expected}
    actual = figure(shown.get(condition.actual, condition.actual))
    op = SYMBOLS[condition.op] if condition.negated else FAILED_SYMBOLS[condition.op]
    return f"{name} {actual} {op} {expected}"


def not_yet(check: Readiness, findings: Sequence[str], templates: Sequence[str],
            names: Mapping[str, str] | None = None,
            choices: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """Why a template is held back, in the current language: its failed conditions with
    the organization's values, then what to do first (the findings on those dimensions to
    answer, the prerequisite templates to adopt), e.g. `Not yet: organisation.leadership
    2.67 < 3, organisation.roles 2.08 < 3; answer “Unclear roles” first.`"""
    unmet = [failed_terms(group[0], names, choices) if len(group) == 1 else _(
        "one of %(conditions)s",
        conditions=_(" or ").join(failed_terms(c, names, choices) for c in group))
        for group in check.unmet]
    text = _("Not yet: %(conditions)s", conditions=", ".join(unmet))
    steps = []
    if findings:
        steps.append(_("answer %(findings)s first",
                       findings=", ".join(f"“{title}”" for title in findings)))
    if templates:
        steps.append(_("adopt %(templates)s first",
                       templates=", ".join(f"“{title}”" for title in templates)))
    return (text + "; " + _("; ").join(steps) if steps else text) + "."
