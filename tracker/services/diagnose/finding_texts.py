"""The words of suggested findings: their title and description, written from the facts
the rules found (`tracker.domain.findings.Fact`) in the organization's language when the
suggestion is stored (DESIGN section 9), so a French organization reads French findings.

Every sentence is translatable with named placeholders; numbers are formatted by Babel for
the language (`1,22` in French), at most two decimals; dimension names come from the
framework's texts in that language. A stored finding keeps its words: only new
suggestions follow a change of language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.domain.findings import Fact, SuggestedFinding
from tracker.models import Framework
from tracker.services.frame.frameworks import framework_texts

#: How the groups of each attribute disagree, the two groups and their means as placeholders.
PERCEPTION_SENTENCES = {
    "role": _l("roles disagree (%(high)s %(high_mean)s, %(low)s %(low_mean)s)"),
    "team": _l("teams disagree (%(high)s %(high_mean)s, %(low)s %(low_mean)s)"),
    "level": _l("levels disagree (%(high)s %(high_mean)s, %(low)s %(low_mean)s)"),
    "source": _l("sources disagree (%(high)s %(high_mean)s, %(low)s %(low_mean)s)"),
    "perspective": _l("perspectives disagree (%(high)s %(high_mean)s, %(low)s "
                      "%(low_mean)s)")}
#: The evidence sources as a sentence names them (their groups in a perception gap).
SOURCE_WORDS = {"interview": _l("interview"), "document": _l("document review"),
                "observation": _l("observation"), "survey": _l("survey")}


@dataclass(frozen=True)
class FindingText:
    """A suggested finding's title and description, in one language."""

    title: str
    description: str


def suggestion_texts(suggestions: list[SuggestedFinding], framework: Framework,
                     locale: str) -> dict[str, FindingText]:
    """The title and description of each suggestion, by key, in `locale` (the
    organization's language), the dimension names from the framework's texts in it."""
    with force_locale(locale):
        names = {code: str(dim["name"])
                 for code, dim in framework_texts(framework, locale).dimensions.items()}
        return {s.key: FindingText(_title(s, names.get(s.dimension, s.dimension)),
                                   _description(s, names.get(s.dimension, s.dimension)))
                for s in suggestions}


def figure(value: float | None) -> str:
    """A number for a finding's words: at most two decimals, in the current language."""
    return "–" if value is None else str(format_decimal(value, format="#,##0.##"))


def _title(suggestion: SuggestedFinding, dimension: str) -> str:
    """The title of a suggestion: its kind, its dimension and the facts with their numbers."""
    if suggestion.kind == "tension":
        return _("Tension on %(dimension)s: %(reasons)s", dimension=dimension,
                 reasons=_("; ").join(_tension_reason(fact) for fact in suggestion.facts))
    fact = suggestion.facts[0]
    v = fact.values
    if suggestion.kind == "strength":
        if v.get("target") is None:
            return _("Strength: %(dimension)s scores %(score)s", dimension=dimension,
                     score=figure(v["score"]))
        return _("Strength: %(dimension)s scores %(score)s (target %(target)s)",
                 dimension=dimension, score=figure(v["score"]), target=figure(v["target"]))
    if suggestion.kind == "gap":
        return _("Gap: %(dimension)s is %(gap)s below its target (%(score)s for a target of "
                 "%(target)s)", dimension=dimension, gap=figure(v["target_gap"]),
                 score=figure(v["score"]), target=figure(v["target"]))
    return _("Blind spot on %(dimension)s: leaders rate it %(difference)s higher than the "
             "others (%(leaders)s against %(others)s)", dimension=dimension,
             difference=figure(v["difference"]), leaders=figure(v["leaders_mean"]),
             others=figure(v["others_mean"]))


def _tension_reason(fact: Fact) -> str:
    """One reason of a tension, in words."""
    v = fact.values
    if fact.trigger == "dispersion":
        return _("ratings are dispersed (stdev %(stdev)s, n=%(n)s)", stdev=figure(v["stdev"]),
                 n=figure(v["n"]))
    if fact.trigger == "source_spread":
        return _("sources disagree (spread %(spread)s)", spread=figure(v["spread"]))
    words: Mapping[str, object] = SOURCE_WORDS if v["by"] == "source" else {}
    return str(PERCEPTION_SENTENCES[v["by"]]) % {
        "high": words.get(v["high"], v["high"]), "high_mean": figure(v["high_mean"]),
        "low": words.get(v["low"], v["low"]), "low_mean": figure(v["low_mean"])}


def _description(suggestion: SuggestedFinding, dimension: str) -> str:
    """What the suggestion rests on, and what to do with it."""
    v = suggestion.metrics
    if suggestion.kind == "blind_spot":
        return _("Suggested from the ratings of %(leaders)s leaders and %(others)s other "
                 "respondents on %(dimension)s: accept, edit or dismiss it.",
                 leaders=figure(v["n_leaders"]), others=figure(v["n_others"]),
                 dimension=dimension)
    return _("Suggested from %(n)s ratings on %(dimension)s: accept, edit or dismiss it.",
             n=figure(v["n"]), dimension=dimension)
