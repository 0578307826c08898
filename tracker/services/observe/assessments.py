"""Assessments (campaigns), their respondents and evidence."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.domain.errors import Conflict, InvalidInput
from tracker.extensions import db
from tracker.models import Assessment, Dimension, Evidence, Organization, Respondent
from tracker.models.base import utcnow
from tracker.services.frame import frameworks
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

TRANSITIONS: dict[str, tuple[str, ...]] = {"draft": ("open",), "open": ("closed",),
                                           "closed": ()}


def create_assessment(org: Organization, data: Mapping[str, Any], *,
                      now: datetime | None = None) -> Assessment:
    """Open a new campaign (in `draft`) on a framework the organization may use.

    `now` is when it is created (the current time by default); a loader of past history,
    such as the demo, gives the day the campaign was really set up.
    """
    framework = frameworks.framework_for_org(org.id, data["framework_id"])
    with transaction() as session:
        assessment = Assessment(org_id=org.id, framework_id=framework.id, title=data["title"],
                                kind=data["kind"], created_at=now or utcnow())
        session.add(assessment)
    return assessment


def list_assessments(org: Organization, page: int, per_page: int,
                     status: str | None = None) -> Page[Assessment]:
    """The organization's assessments, newest first."""
    stmt = (select(Assessment).where(Assessment.org_id == org.id)
            .order_by(Assessment.created_at.desc(), Assessment.id.desc()))
    if status:
        stmt = stmt.where(Assessment.status == status)
    return paginate(stmt, page, per_page)


def get_assessment(org: Organization, assessment_id: int) -> Assessment:
    """One of the organization's assessments (404 otherwise)."""
    return get_owned(Assessment, org, assessment_id, "Assessment")


def update_assessment(org: Organization, assessment_id: int, changes: Mapping[str, Any], *,
                      now: datetime | None = None) -> Assessment:
    """Rename an assessment or move it along draft → open → closed.

    `now` is the moment a move takes effect, stored as `opened_at` or `closed_at` (the
    current time by default; a loader of past history gives the real day).
    """
    assessment = get_assessment(org, assessment_id)
    status = changes.get("status")
    if status is not None and status != assessment.status:
        allowed = TRANSITIONS[assessment.status]
        if status not in allowed:
            raise Conflict(f"An assessment in {assessment.status} cannot become {status}.",
                           errors={"status": [f"Allowed: {', '.join(allowed) or 'none'}."]},
                           allowed=list(allowed))
    with transaction():
        if "title" in changes:
            assessment.title = changes["title"]
        if status == "open" and assessment.status == "draft":
            assessment.opened_at = now or utcnow()
        if status == "closed" and assessment.status == "open":
            assessment.closed_at = now or utcnow()
        if status is not None:
            assessment.status = status
    return assessment


def ensure_writable(assessment: Assessment) -> None:
    """Ratings and respondents change only while the assessment is not closed."""
    if assessment.status == "closed":
        raise Conflict("This assessment is closed; its ratings can no longer change.",
                       errors={"status": ["closed"]})


def add_respondent(org: Organization, assessment_id: int,
                   data: Mapping[str, Any]) -> Respondent:
    """Add a respondent, with a personal unguessable survey token."""
    assessment = get_assessment(org, assessment_id)
    ensure_writable(assessment)
    with transaction() as session:
        respondent = Respondent(org_id=org.id, assessment_id=assessment.id,
                                survey_token=new_survey_token(), **data)
        session.add(respondent)
    return respondent


def new_survey_token() -> str:
    """A personal survey token: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def list_respondents(org: Organization, assessment_id: int, page: int,
                     per_page: int) -> Page[Respondent]:
    """The assessment's respondents, in the order they were added."""
    assessment = get_assessment(org, assessment_id)
    stmt = (select(Respondent).where(Respondent.assessment_id == assessment.id)
            .order_by(Respondent.id))
    return paginate(stmt, page, per_page)


def add_evidence(org: Organization, assessment_id: int, data: Mapping[str, Any]) -> Evidence:
    """Attach a verbatim to dimensions of the assessment's framework."""
    assessment = get_assessment(org, assessment_id)
    framework = frameworks.load_framework(assessment.framework_id)
    dimensions = _dimensions_named(frameworks.dimensions_by_code(framework),
                                   data.get("dimensions", []))
    respondent_id = data.get("respondent_id")
    if respondent_id is not None:
        respondent = db.session.get(Respondent, respondent_id)
        if respondent is None or respondent.assessment_id != assessment.id:
            raise InvalidInput("This respondent is not part of the assessment.",
                               errors={"respondent_id": ["Unknown respondent."]})
    with transaction() as session:
        evidence = Evidence(org_id=org.id, assessment_id=assessment.id, text=data["text"],
                            source=data["source"], tone=data["tone"],
                            respondent_id=respondent_id, dimensions=dimensions)
        session.add(evidence)
    return evidence


def list_evidence(org: Organization, assessment_id: int, page: int, per_page: int,
                  dimension: str | None = None) -> Page[Evidence]:
    """The assessment's verbatims, optionally those on one dimension."""
    assessment = get_assessment(org, assessment_id)
    stmt = (select(Evidence).where(Evidence.assessment_id == assessment.id)
            .options(selectinload(Evidence.dimensions)).order_by(Evidence.id))
    if dimension:
        stmt = stmt.where(Evidence.dimensions.any(Dimension.code == dimension))
    return paginate(stmt, page, per_page)


def _dimensions_named(by_code: Mapping[str, Dimension], codes: Sequence[str]) -> list[Dimension]:
    unknown = [code for code in codes if code not in by_code]
    if unknown:
        raise InvalidInput(f"Unknown dimension code(s): {', '.join(unknown)}.",
                           errors={"dimensions": [f"Unknown: {', '.join(unknown)}."]})
    return [by_code[code] for code in dict.fromkeys(codes)]
