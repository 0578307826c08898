"""Why a suggested template applies, in plain words, from the structured reasons of
`services.decide.suggestions.Applicability`: the part of the maturity gap it closes on each
dimension with that dimension's target and today's score, then the conditions of its
playbook rule that hold ("closes 0.04 of the maturity gap on A one, where the target is 4
and today's score 2; applies because the organization is a large group").

Every sentence is translatable with named placeholders; numbers go through the pages'
`number` filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.domain.frame.playbook import ORDERED_FIELDS
from tracker.services.decide.suggestions import Applicability, DimensionGain
from tracker.web.i18n import number

#: The playbook profile's choices as a sentence names them.
CHOICE_WORDS = {
    "size_band": {"startup": _l("a startup"), "scale_up": _l("a scale-up"),
                  "mid_size": _l("a mid-sized organization"),
                  "large_group": _l("a large group")},
    "growth_outlook": {"low": _l("low"), "steady": _l("steady"), "strong": _l("strong")}}
#: How an ordered profile field reads with each comparison.
ORDERED_SENTENCES = {
    "size_band": {"==": _l("the organization is %(value)s"),
                  "!=": _l("the organization is not %(value)s"),
                  ">=": _l("the organization is %(value)s or larger"),
                  ">": _l("the organization is larger than %(value)s"),
                  "<=": _l("the organization is %(value)s or smaller"),
                  "<": _l("the organization is smaller than %(value)s")},
    "growth_outlook": {"==": _l("the growth outlook is %(value)s"),
                       "!=": _l("the growth outlook is not %(value)s"),
                       ">=": _l("the growth outlook is %(value)s or better"),
                       ">": _l("the growth outlook is better than %(value)s"),
                       "<=": _l("the growth outlook is %(value)s or weaker"),
                       "<": _l("the growth outlook is weaker than %(value)s")}}
#: A comparison with a number, in words.
COMPARISON_WORDS = {">=": _l("at least"), ">": _l("more than"), "<=": _l("at most"),
                    "<": _l("less than"), "==": _l("exactly"), "!=": _l("other than")}
#: How a numeric profile field reads, the comparison and the number as placeholders.
NUMBER_SENTENCES = {
    "management_levels": _l("the organization has %(comparison)s %(value)s management levels"),
    "product_tech_people": _l("the organization has %(comparison)s %(value)s product and "
                              "tech people")}


def why_it_applies(why: Applicability, dimension_names: Mapping[str, str]) -> str:
    """The whole reason as one sentence: what it closes, then why it applies."""
    closes = "; ".join(gain_words(gain, dimension_names) for gain in why.gains) or _(
        "closes no measured gap: the dimensions it lifts have no target yet")
    if why.rule is None:
        return _("%(closes)s; applies to every organization (its template has no rule).",
                 closes=closes)
    return _("%(closes)s; applies because %(conditions)s.", closes=closes,
             conditions=rule_words(why.rule, dimension_names))


def gain_words(gain: DimensionGain, names: Mapping[str, str]) -> str:
    """What the template closes on one dimension, with its target and today's score; the
    dimension named as `names` names it (the reader's language), else as the gain does."""
    return _("closes %(closed)s of the maturity gap on %(dimension)s, where the target is "
             "%(target)s and today's score %(score)s", closed=number(gain.closes, 2),
             dimension=names.get(gain.code, gain.name), target=number(gain.target, 2),
             score=number(gain.score, 2))


def rule_words(rule: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A rule that holds (`suggestions.holding`), in words: its parts joined by "and" or
    "or", each condition as a sentence."""
    if "all" in rule:
        return _(" and ").join(rule_words(part, names) for part in rule["all"])
    if "any" in rule:
        return _(" or ").join(rule_words(part, names) for part in rule["any"])
    if "not" in rule:
        return _("it is not the case that %(condition)s",
                 condition=rule_words(rule["not"], names))
    if "profile" in rule:
        return _profile_words(rule["profile"], rule["op"], rule["value"])
    return _("the score on %(dimension)s is %(comparison)s %(value)s",
             dimension=names.get(rule["score"], rule["score"]),
             comparison=COMPARISON_WORDS[rule["op"]], value=number(rule["value"], 2))


def _profile_words(name: str, op: str, value: Any) -> str:
    """One condition on the organization profile as a sentence."""
    if name in ORDERED_SENTENCES:
        ranks = ORDERED_FIELDS[name]
        if (op == ">=" and value == ranks[-1]) or (op == "<=" and value == ranks[0]):
            op = "=="  # "a large group or larger" is "a large group"
        return str(ORDERED_SENTENCES[name][op]) % {
            "value": CHOICE_WORDS[name].get(value, value)}
    if name in NUMBER_SENTENCES:
        return str(NUMBER_SENTENCES[name]) % {"comparison": COMPARISON_WORDS[op],
                                              "value": number(value, 2)}
    if op == "contains":
        return _("the organization is subject to %(constraint)s", constraint=value)
    return _("the organization is not subject to %(constraint)s", constraint=value)
