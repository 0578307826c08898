"""Suggested initiatives for an assessment: for each gap, tension or blind-spot finding, the
playbook templates that apply (rules on the profile and the assessment's scores) and lift its
dimensions, ranked by the maturity gap they close; and their adoption as initiatives with
dependencies, in one transaction.

Each suggestion comes with why it applies as data (`Applicability`): the part of the
maturity gap it closes on each dimension it lifts, with that dimension's target and score,
and the parts of its rule that hold; the pages put it in words, the API keeps its `reason`.

A template is adopted once: while an initiative of the organization adopted from it is not
archived (whatever its status, dropped included), adopting it again is refused naming that
initiative, and the suggestions say which initiative adopted it. Archiving that initiative
frees the template.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale, get_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.domain.errors import InvalidInput
from tracker.domain.frame.playbook import (
    Condition,
    Profile,
    Readiness,
    Suggestion,
    TemplateSpec,
    applies,
    check_readiness,
    rank_templates,
)
from tracker.domain.prioritization import gap_value
from tracker.extensions import db
from tracker.models import Dependency, Finding, Initiative, Organization, Uplift, User
from tracker.models import PlaybookTemplate as Template
from tracker.models.backlog import initiative_finding
from tracker.services.decide import reason_texts
from tracker.services.decide.initiatives import audit
from tracker.services.diagnose.scores import assessment_scores
from tracker.services.frame import frameworks, playbook
from tracker.services.locks import lock_organization_graphs
from tracker.services.observe import assessments
from tracker.services.unit_of_work import transaction

ANSWERED_KINDS = ("gap", "tension", "blind_spot")


@dataclass(frozen=True)
class DimensionGain:
    """What a template closes on one dimension it lifts: `closes` is its part of the gap
    value, `share · min(uplift, target gap)` (DESIGN's `gap` method), beside the
    dimension's target and score in the assessment."""

    code: str
    name: str
    closes: float
    uplift: float
    target_gap: float
    share: float
    target: float | None
    score: float | None


@dataclass(frozen=True)
class Applicability:
    """Why a template is suggested: the gap it closes per dimension with a target gap (by
    code), and the parts of its rule that hold (`None` when it has no rule: it always
    applies; an `any` keeps only its branches that hold)."""

    gains: list[DimensionGain]
    rule: Mapping[str, Any] | None


@dataclass(frozen=True)
class FindingSuggestions:
    """One finding with the applicable templates, best first, and why each applies (by
    template code)."""

    finding: Finding
    suggestions: list[Suggestion]
    why: Mapping[str, Applicability] = field(default_factory=dict)


def _findings(org: Organization, assessment_id: int) -> list[Finding]:
    return list(db.session.scalars(
        select(Finding).where(Finding.org_id == org.id, Finding.assessment_id == assessment_id,
                              Finding.kind.in_(ANSWERED_KINDS), Finding.status != "dismissed")
        .options(selectinload(Finding.dimensions)).order_by(Finding.id)))


@dataclass(frozen=True)
class HeldBack:
    """A template that would answer findings of the assessment (it lifts their dimensions)
    but whose rule does not hold: its readiness check, the findings it would answer, and
    what would lift the unmet conditions: the assessment's findings on their dimensions and
    the template's prerequisites in the playbook graph (by code)."""

    code: str
    readiness: Readiness
    answers: list[Finding]
    lifted_by: list[Finding]
    prerequisites: list[str]


def suggest(org: Organization, assessment_id: int) -> tuple[list[FindingSuggestions],
                                                            dict[str, Template]]:
    """Every answerable finding of the assessment with its ranked templates, and the
    visible templates by code. A constant number of queries."""
    result, templates, _held = suggest_with_readiness(org, assessment_id)
    return result, templates


def suggest_with_readiness(org: Organization, assessment_id: int) -> tuple[
        list[FindingSuggestions], dict[str, Template], list[HeldBack]]:
    """`suggest` and the templates held back by their rule (by code), computed once."""
    scores = assessment_scores(org, assessment_id)
    dims = [d for axis in scores["axes"] for d in axis["dimensions"]]
    score_by_code = {d["code"]: d["score"] for d in dims}
    shares = {d["code"]: d["share"] for d in dims}
    gaps = {d["code"]: d["target_gap"] for d in dims}
    profile = playbook.domain_profile(playbook.get_profile(org))
    templates = {t.code: t for t in playbook.visible_templates(org)}
    template_specs = playbook.specs(templates.values())
    by_code = {d["code"]: d for d in dims}
    specs_by_code = {spec.code: spec for spec in template_specs}
    findings = _findings(org, assessment_id)
    result = []
    for finding in findings:
        ranked = rank_templates(template_specs, [d.code for d in finding.dimensions], profile,
                                score_by_code, shares, gaps)
        result.append(FindingSuggestions(finding, ranked, {
            s.code: _applicability(specs_by_code[s.code], by_code, profile, score_by_code)
            for s in ranked}))
    return result, templates, held_back(template_specs, findings, profile, score_by_code)


def held_back(template_specs: Sequence[TemplateSpec], findings: Sequence[Finding],
              profile: Profile, scores: Mapping[str, float | None]) -> list[HeldBack]:
    """The templates lifting a dimension of one of `findings` whose rule does not hold,
    by code, each with its readiness check and what would lift it."""
    held = []
    for spec in template_specs:
        answers = [f for f in findings if set(spec.uplifts) & {d.code for d in f.dimensions}]
        check = check_readiness(spec.rules, profile, scores)
        if not answers or check.ready:
            continue
        unmet = {c.name for group in check.unmet for c in group if c.kind == "score"}
        lifted_by = [f for f in findings if unmet & {d.code for d in f.dimensions}]
        held.append(HeldBack(spec.code, check, answers, lifted_by, list(spec.prerequisites)))
    return held


def _applicability(spec: TemplateSpec, dims: Mapping[str, Mapping[str, Any]], profile: Profile,
                   scores: Mapping[str, float | None]) -> Applicability:
    """Why `spec` applies: its gain on each lifted dimension that has a target gap, and
    the parts of its rule that hold."""
    gains = [DimensionGain(code, dims[code]["name"],
                           gap_value({code: uplift}, {code: dims[code]["share"]},
                                     {code: dims[code]["target_gap"]}),
                           uplift, dims[code]["target_gap"], dims[code]["share"],
                           dims[code].get("target"), dims[code]["score"])
             for code, uplift in sorted(spec.uplifts.items())
             if code in dims and dims[code].get("target_gap") is not None]
    return Applicability(gains, holding(spec.rules, profile, scores))


def holding(rule: Mapping[str, Any] | None, profile: Profile,
            scores: Mapping[str, float | None]) -> Mapping[str, Any] | None:
    """The parts of a rule that hold (the rule of a suggested template holds): an `all`
    keeps every part, an `any` only the branches that hold; a condition stays as it is.

    >>> holding({"any": [{"profile": "size_band", "op": "==", "value": "startup"},
    ...                  {"profile": "size_band", "op": "==", "value": "large_group"}]},
    ...         Profile(size_band="large_group"), {})
    {'any': [{'profile': 'size_band', 'op': '==', 'value': 'large_group'}]}
    """
    if not rule:
        return None
    if "all" in rule:
        return {"all": [holding(part, profile, scores) for part in rule["all"]]}
    if "any" in rule:
        return {"any": [holding(part, profile, scores) for part in rule["any"]
                        if applies(part, profile, scores)]}
    return rule


def suggestions_view(org: Organization, assessment_id: int) -> dict[str, Any]:
    """The suggestions as the API shows them, each template with the initiative that
    adopted it (`adopted_by`, null when none has) and why it applies in the organization's
    language (DESIGN section 9); and `readiness`, the templates held back by their rule with
    the conditions that fail and what would lift them."""
    result, templates, held = suggest_with_readiness(org, assessment_id)
    adopted = readiness_adoptions(org, templates, held)
    locale = org.locale or "en"
    with force_locale(locale):
        reasons = {(item.finding.id, s.code): reason_texts.reason(
            s, item.why[s.code], templates[s.code].rules)
            for item in result for s in item.suggestions}
        readiness = readiness_view(held, templates, adopted, locale,
                                   answering=answering_initiatives(org, held))
    return {"assessment_id": assessment_id, "findings": [
        {"finding_id": item.finding.id, "kind": item.finding.kind, "title": item.finding.title,
         "dimensions": [d.code for d in item.finding.dimensions],
         "templates": [{"code": s.code, "title": s.title, "value": s.value,
                        "reason": reasons[item.finding.id, s.code],
                        "dimensions": s.dimensions,
                        "template_class": templates[s.code].template_class,
                        "duration_weeks": templates[s.code].duration_weeks,
                        "adopted_by": adopted.get(s.code)}
                       for s in item.suggestions]}
        for item in result], "readiness": readiness}


def readiness_view(held: Sequence[HeldBack], templates: Mapping[str, Template],
                   adopted: Mapping[str, Mapping[str, Any]], locale: str,
                   names: Mapping[str, str] | None = None,
                   choices: Mapping[str, Mapping[str, Any]] | None = None,
                   answering: Mapping[int, list[dict[str, Any]]] | None = None
                   ) -> list[dict[str, Any]]:
    """The held-back templates as plain data, titles and `reason` in `locale` (under
    `force_locale`), dimensions and profile fields named by `names` and the profile's
    choices by `choices` in the texts where given: each with its conditions (`holds`, the
    organization's `actual` value, `text` in words), the unmet groups, the
    findings it would answer with the initiatives already traced to them (`answering`, by
    finding id), and what would lift it (findings on the unmet dimensions, prerequisite
    templates with the initiative adopted from each)."""
    def title(code: str) -> str:
        return str(playbook.template_read(templates[code], locale)["title"]) \
            if code in templates else code
    items = []
    for item in held:
        needs: list[dict[str, Any]] = [
            {"code": code, "title": title(code), "adopted_by": adopted.get(code)}
            for code in item.prerequisites]
        reason = reason_texts.not_yet(
            item.readiness, [f.title for f in item.lifted_by],
            [need["title"] for need in needs if need["adopted_by"] is None], names, choices)
        items.append({
            "code": item.code, "title": title(item.code), "ready": item.readiness.ready,
            "reason": reason,
            "conditions": [_condition(c, names, choices) for c in item.readiness.conditions],
            "unmet": [[_condition(c, names, choices) for c in group]
                      for group in item.readiness.unmet],
            "finding_ids": [f.id for f in item.answers],
            "answered_by": list({i["id"]: i for f in item.answers
                                 for i in (answering or {}).get(f.id, [])}.values()),
            "lifted_by_findings": [{"id": f.id, "title": f.title} for f in item.lifted_by],
            "lifted_by_templates": needs,
            "adopted_by": adopted.get(item.code)})
    return items


def _condition(condition: Condition, names: Mapping[str, str] | None,
               choices: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any]:
    return {"kind": condition.kind, "name": condition.name, "op": condition.op,
            "value": condition.expected, "actual": condition.actual, "holds": condition.holds,
            "negated": condition.negated,
            "text": reason_texts.condition_terms(condition, names, choices)}


def readiness_for(org: Organization, assessment_id: int,
                  names: Mapping[str, str] | None = None,
                  choices: Mapping[str, Mapping[str, Any]] | None = None
                  ) -> list[dict[str, Any]]:
    """The held-back templates of the assessment in the current language (for the pages
    and the report), named by `names` and `choices` in the texts (`readiness_view`)."""
    _result, templates, held = suggest_with_readiness(org, assessment_id)
    return readiness_view(held, templates, readiness_adoptions(org, templates, held),
                          str(get_locale() or "en"), names, choices,
                          answering_initiatives(org, held))


def answering_initiatives(org: Organization,
                          held: Sequence[HeldBack]) -> dict[int, list[dict[str, Any]]]:
    """`{id, title, status}` of the initiatives (not archived) traced to each finding the
    held-back templates would answer, by finding id, in one query: work already under
    way on what a template is held back from."""
    ids = {f.id for item in held for f in item.answers}
    if not ids:
        return {}
    rows = db.session.execute(
        select(initiative_finding.c.finding_id, Initiative.id, Initiative.title,
               Initiative.status)
        .join(Initiative, Initiative.id == initiative_finding.c.initiative_id)
        .where(Initiative.org_id == org.id, Initiative.archived_at.is_(None),
               initiative_finding.c.finding_id.in_(ids)).order_by(Initiative.id))
    found: dict[int, list[dict[str, Any]]] = {}
    for finding_id, initiative_id, title, status in rows:
        found.setdefault(finding_id, []).append(
            {"id": initiative_id, "title": title, "status": status})
    return found


def readiness_adoptions(org: Organization, templates: Iterable[str],
                        held: Sequence[HeldBack]) -> dict[str, dict[str, Any]]:
    """`adoptions` of these templates and of the held-back ones' prerequisites."""
    return adoptions(org, [*templates, *(need for h in held for need in h.prerequisites)])


def adopt(org: Organization, actor: User | None, assessment_id: int,
          codes: Sequence[str]) -> dict[str, Any]:
    """Create one initiative per template (title, description, duration, uplifts on the
    assessment's dimensions, linked to the findings it was suggested for) and a dependency
    for each prerequisite among the adopted templates or adopted earlier (the latest
    initiative of the organization from that template, neither dropped nor archived); all in one
    transaction, under the organization's graph lock like every write of the graph (the new
    edges all end at new initiatives, and the playbook's prerequisites are acyclic, so no
    cycle can form).

    422 for a code not in the playbook, not suggested for any finding of the assessment, or
    already adopted (naming the initiative that adopted it).
    """
    assessment = assessments.get_assessment(org, assessment_id)
    result, templates = suggest(org, assessment_id)
    answers: dict[str, list[Finding]] = {}
    for item in result:
        for suggestion in item.suggestions:
            answers.setdefault(suggestion.code, []).append(item.finding)
    wanted = list(dict.fromkeys(codes))
    errors = [f"{c!r} is not in the playbook" if c not in templates else
              f"{c!r} does not apply to any open gap, tension or blind spot of this assessment"
              for c in wanted if c not in answers]
    dimensions = frameworks.dimensions_by_code(frameworks.load_framework(assessment.framework_id))
    with transaction() as session:
        # under the lock, so two adoptions of one template at the same instant cannot both pass
        lock_organization_graphs(org)
        errors += [f"{code!r} is already adopted as initiative {found['id']} "
                   f"({found['title']})" for code, found in adoptions(org, wanted).items()]
        if errors:
            raise InvalidInput("Some templates cannot be adopted; nothing was created.",
                               errors={"template_codes": errors})
        earlier = _earlier_adoptions(org, {need for code in wanted
                                           for need in templates[code].prerequisites or ()
                                           if need not in wanted})
        created = {code: _initiative(org, templates[code], answers[code], dimensions)
                   for code in wanted}
        session.add_all(created.values())
        session.flush()
        edges = [Dependency(org_id=org.id, prerequisite_id=created[need].id,
                            dependent_id=created[code].id)
                 for code in wanted for need in templates[code].prerequisites or ()
                 if need in created]
        edges += [Dependency(org_id=org.id, prerequisite_id=earlier[need],
                             dependent_id=created[code].id)
                  for code in wanted for need in templates[code].prerequisites or ()
                  if need not in created and need in earlier]
        session.add_all(edges)
        session.flush()
        for code, initiative in created.items():
            audit(org, actor, "initiative", initiative.id, initiative.id, "create",
                  {"title": [None, initiative.title], "template": [None, code],
                   "finding_ids": [None, [f.id for f in initiative.findings]]})
    return {"initiatives": [_adopted(code, i) for code, i in created.items()],
            "dependencies": edges}


def adoptions(org: Organization, codes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """`{id, title}` of the initiative (not archived) adopted from each of these templates
    that has one, by template code (the latest when there are several), in one query."""
    wanted = set(codes)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Initiative.template_code, Initiative.id, Initiative.title)
        .where(Initiative.org_id == org.id, Initiative.template_code.in_(wanted),
               Initiative.archived_at.is_(None)).order_by(Initiative.id))
    return {code: {"id": initiative_id, "title": title}
            for code, initiative_id, title in rows if code is not None}


def _earlier_adoptions(org: Organization, codes: set[str]) -> dict[str, int]:
    """The latest initiative (neither dropped nor archived) adopted from each of these
    templates, by template code, in one query: the prerequisites a new adoption depends on."""
    if not codes:
        return {}
    rows = db.session.execute(
        select(Initiative.template_code, Initiative.id)
        .where(Initiative.org_id == org.id, Initiative.template_code.in_(codes),
               Initiative.status != "dropped", Initiative.archived_at.is_(None))
        .order_by(Initiative.id))
    return {code: initiative_id for code, initiative_id in rows
            if code is not None}  # never None: selected among the codes


def _initiative(org: Organization, template: Template, findings: list[Finding],
                dimensions: dict[str, Any]) -> Initiative:
    """An initiative from a template, its title and description in the organization's
    language where the template is translated into it (DESIGN section 9)."""
    texts = playbook.template_read(template, org.locale or "en")
    initiative = Initiative(org_id=org.id, title=texts["title"], template_code=template.code,
                            description=texts["description"],
                            duration_weeks=template.duration_weeks, findings=findings)
    initiative.uplifts = [Uplift(dimension=dimensions[code], expected=expected)
                          for code, expected in sorted((template.uplifts or {}).items())
                          if code in dimensions]
    return initiative


def _adopted(code: str, initiative: Initiative) -> dict[str, Any]:
    return {"id": initiative.id, "template_code": code, "title": initiative.title,
            "description": initiative.description,
            "duration_weeks": initiative.duration_weeks,
            "finding_ids": sorted(f.id for f in initiative.findings),
            "uplifts": [{"dimension": u.dimension.code, "expected": u.expected}
                        for u in initiative.uplifts]}
