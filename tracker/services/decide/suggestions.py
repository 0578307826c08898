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

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.domain.errors import InvalidInput
from tracker.domain.frame.playbook import Profile, Suggestion, TemplateSpec, applies, rank_templates
from tracker.domain.prioritization import gap_value
from tracker.extensions import db
from tracker.models import Dependency, Finding, Initiative, Organization, Uplift, User
from tracker.models import PlaybookTemplate as Template
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


def suggest(org: Organization, assessment_id: int) -> tuple[list[FindingSuggestions],
                                                            dict[str, Template]]:
    """Every answerable finding of the assessment with its ranked templates, and the
    visible templates by code. A constant number of queries."""
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
    result = []
    for finding in _findings(org, assessment_id):
        ranked = rank_templates(template_specs, [d.code for d in finding.dimensions], profile,
                                score_by_code, shares, gaps)
        result.append(FindingSuggestions(finding, ranked, {
            s.code: _applicability(specs_by_code[s.code], by_code, profile, score_by_code)
            for s in ranked}))
    return result, templates


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
    language (DESIGN section 9)."""
    result, templates = suggest(org, assessment_id)
    adopted = adoptions(org, templates)
    with force_locale(org.locale or "en"):
        reasons = {(item.finding.id, s.code): reason_texts.reason(
            s, item.why[s.code], templates[s.code].rules)
            for item in result for s in item.suggestions}
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
        for item in result]}


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
    initiative = Initiative(org_id=org.id, title=template.title, template_code=template.code,
                            description=template.description,
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
