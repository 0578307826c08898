"""Evidence (verbatims) beyond adding one: edit, remove, link to findings, and the survey
comments a consultant promotes into verbatims.

Adding is `assessments.add_evidence` (the API's use case); this module keeps the same rules:
contributors and above write evidence, the respondent a verbatim came from is seen and set by
ops and leads only (`assessments.sees_respondents`), and a candidate verbatim (a survey
respondent's comment on a rating) never carries its respondent's name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import selectinload

from tracker.domain.errors import InvalidInput, NotFound
from tracker.extensions import db
from tracker.models import Dimension, Evidence, Finding, Organization, Rating, Respondent, User
from tracker.services.frame import frameworks
from tracker.services.observe import assessments
from tracker.services.pagination import Page
from tracker.services.unit_of_work import transaction

#: The source of the respondents whose comments become candidate verbatims.
SURVEY = "survey"


@dataclass(frozen=True)
class CandidateVerbatim:
    """A survey comment not yet promoted: what was said, on which dimension (no name)."""

    rating_id: int
    text: str
    dimension_code: str
    dimension_name: str


def get_evidence(org: Organization, assessment_id: int, evidence_id: int) -> Evidence:
    """One verbatim of the assessment, or NotFound."""
    assessment = assessments.get_assessment(org, assessment_id)
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.assessment_id != assessment.id:
        raise NotFound(f"Evidence {evidence_id} not found.")
    return evidence


def update_evidence(org: Organization, assessment_id: int, evidence_id: int,
                    data: Mapping[str, Any], *, actor: User | None) -> Evidence:
    """Change a verbatim's text, source, tone and dimensions; its respondent too when the
    actor sees respondents (for the others the respondent stays as it was)."""
    evidence = get_evidence(org, assessment_id, evidence_id)
    framework = frameworks.load_framework(
        assessments.get_assessment(org, assessment_id).framework_id)
    by_code = frameworks.dimensions_by_code(framework)
    unknown = [code for code in data.get("dimensions", []) if code not in by_code]
    if unknown:
        raise InvalidInput(f"Unknown dimension code(s): {', '.join(unknown)}.",
                           errors={"dimensions": [f"Unknown: {', '.join(unknown)}."]})
    respondent_id = evidence.respondent_id
    if assessments.sees_respondents(org, actor):
        respondent_id = _checked_respondent(assessment_id, data.get("respondent_id"))
    with transaction():
        evidence.text, evidence.source = data["text"], data["source"]
        evidence.tone, evidence.respondent_id = data["tone"], respondent_id
        evidence.dimensions = [by_code[code] for code in dict.fromkeys(data.get("dimensions", []))]
    return evidence


def _checked_respondent(assessment_id: int, respondent_id: int | None) -> int | None:
    """`respondent_id` if it is one of the assessment's respondents (None stays None)."""
    if respondent_id is None:
        return None
    respondent = db.session.get(Respondent, respondent_id)
    if respondent is None or respondent.assessment_id != assessment_id:
        raise InvalidInput("This respondent is not part of the assessment.",
                           errors={"respondent_id": ["Unknown respondent."]})
    return respondent_id


def remove_evidence(org: Organization, assessment_id: int, evidence_id: int) -> None:
    """Delete a verbatim; the findings that cited it lose the citation."""
    evidence = get_evidence(org, assessment_id, evidence_id)
    with transaction() as session:
        session.delete(evidence)


def finding_choices(org: Organization, assessment_id: int) -> list[Finding]:
    """The assessment's findings a verbatim may support (all but dismissed), by title."""
    assessment = assessments.get_assessment(org, assessment_id)
    return list(db.session.scalars(
        select(Finding).where(Finding.org_id == org.id, Finding.assessment_id == assessment.id,
                              Finding.status != "dismissed").order_by(Finding.title, Finding.id)))


def linked_findings(evidence_ids: Sequence[int]) -> dict[int, list[Finding]]:
    """The findings that cite each verbatim, in one query."""
    linked: dict[int, list[Finding]] = {evidence_id: [] for evidence_id in evidence_ids}
    for finding in db.session.scalars(
            select(Finding).where(Finding.evidence.any(Evidence.id.in_(list(evidence_ids))))
            .options(selectinload(Finding.evidence)).order_by(Finding.title, Finding.id)):
        for cited in finding.evidence:
            if cited.id in linked:
                linked[cited.id].append(finding)
    return linked


def link_findings(org: Organization, assessment_id: int, evidence_id: int,
                  finding_ids: Sequence[int]) -> None:
    """Make exactly `finding_ids` (findings of the same assessment) cite the verbatim."""
    evidence = get_evidence(org, assessment_id, evidence_id)
    choices = {finding.id: finding for finding in finding_choices(org, assessment_id)}
    unknown = [str(i) for i in finding_ids if i not in choices]
    if unknown:
        raise InvalidInput("Some findings are not findings of this assessment.",
                           errors={"finding_ids": [f"Unknown: {', '.join(unknown)}."]})
    wanted = set(finding_ids)
    with transaction():
        for finding in linked_findings([evidence.id])[evidence.id]:
            if finding.id not in wanted:
                finding.evidence.remove(evidence)
        for finding_id in wanted:
            if evidence not in choices[finding_id].evidence:
                choices[finding_id].evidence.append(evidence)


def _candidates_query(assessment_id: int) -> Any:
    """Survey respondents' commented ratings that no verbatim of the assessment repeats."""
    promoted = exists().where(and_(Evidence.assessment_id == assessment_id,
                                   Evidence.respondent_id == Rating.respondent_id,
                                   Evidence.text == Rating.comment))
    return (select(Rating.id, Rating.comment, Dimension.code, Dimension.name)
            .join(Respondent, Respondent.id == Rating.respondent_id)
            .join(Dimension, Dimension.id == Rating.dimension_id)
            .where(Rating.assessment_id == assessment_id, Respondent.source == SURVEY,
                   Rating.comment != "", ~promoted)
            .order_by(Dimension.code, Rating.id))


def candidate_verbatims(org: Organization, assessment_id: int, page: int, per_page: int, *,
                        actor: User | None) -> Page[CandidateVerbatim]:
    """Survey comments not yet promoted, without their respondents; for ops and leads (a
    comment is what one respondent said)."""
    assessment = assessments.get_assessment(org, assessment_id)
    assessments.require_seeing_respondents(org, actor)
    stmt = _candidates_query(assessment.id)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    return Page([CandidateVerbatim(*row) for row in rows], total or 0, page, per_page)


def promote_comment(org: Organization, assessment_id: int, rating_id: int, tone: str, *,
                    actor: User | None) -> Evidence:
    """Turn a survey comment into a verbatim: its text, the rating's dimension, the source
    `survey`, the given tone and (kept private) its respondent."""
    assessments.require_seeing_respondents(org, actor)
    rating = db.session.get(Rating, rating_id)
    respondent = db.session.get(Respondent, rating.respondent_id) if rating else None
    if (rating is None or respondent is None or rating.assessment_id != assessment_id
            or respondent.source != SURVEY or not rating.comment):
        raise NotFound(f"Survey comment {rating_id} not found.")
    return assessments.add_evidence(org, assessment_id, {
        "text": rating.comment, "source": SURVEY, "tone": tone,
        "dimensions": [rating.dimension.code], "respondent_id": respondent.id})


def save_evidence(org: Organization, assessment_id: int, evidence_id: int | None,
                  data: Mapping[str, Any], finding_ids: Sequence[int], *,
                  actor: User | None) -> Evidence:
    """Add a verbatim (`evidence_id` None) or change one, and set the findings that cite it,
    in one unit of work. The respondent is kept only from an actor who sees respondents."""
    with transaction():
        if evidence_id is None:
            if not assessments.sees_respondents(org, actor):
                data = {**data, "respondent_id": None}
            evidence = assessments.add_evidence(org, assessment_id, data)
        else:
            evidence = update_evidence(org, assessment_id, evidence_id, data, actor=actor)
        link_findings(org, assessment_id, evidence.id, finding_ids)
    return evidence


def verbatims_by_dimension(org: Organization,
                           assessment_id: int) -> dict[str | None, list[dict[str, str]]]:
    """Every verbatim of the assessment under each of its dimensions' codes (None: on no
    dimension), oldest first, as text, source and tone only (never who said it), in two
    queries: what the report's synthesis quotes whether or not a finding cites it."""
    assessment = assessments.get_assessment(org, assessment_id)
    grouped: dict[str | None, list[dict[str, str]]] = {}
    for item in db.session.scalars(select(Evidence).where(Evidence.assessment_id == assessment.id)
                                   .options(selectinload(Evidence.dimensions))
                                   .order_by(Evidence.id)):
        quote = {"text": item.text, "source": item.source, "tone": item.tone}
        codes: list[str | None] = [d.code for d in item.dimensions]
        for code in codes or [None]:
            grouped.setdefault(code, []).append(quote)
    return grouped
