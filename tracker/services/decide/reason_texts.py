"""The API's `reason` of a suggested template, written in the organization's language
(DESIGN section 9): which dimensions of the finding it lifts, the gap value it closes with
its arithmetic (`min(uplift, target gap) × share` per dimension, DESIGN's `gap` method)
and its applicability rule. The pages say the same in plain words
(`tracker.web.decide.reasons`); this one keeps the terms of the rule, for integrations.

Every sentence is translatable with named placeholders; numbers are formatted by Babel for
the language, to as many significant digits as the arithmetic needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from tracker.domain.frame.playbook import SYMBOLS, Suggestion

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
