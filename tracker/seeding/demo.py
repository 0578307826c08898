"""The demo organization NovaTechna, loaded from `seeds/demo/novatechna.yaml`.

The whole demo is written in one transaction: it is there completely or not at all, and
loading it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.errors import InvalidInput
from tracker.models import (
    Assessment,
    Dimension,
    Evidence,
    Finding,
    Framework,
    Initiative,
    Membership,
    Organization,
    Rating,
    Respondent,
)
from tracker.resources import resource_dir
from tracker.seeding.demo_decide import load_initiatives, load_pilots
from tracker.seeding.demo_diagnose import load_findings, load_targets
from tracker.seeding.demo_follow import load_kpis, load_schedules
from tracker.seeding.demo_plan import load_roadmap
from tracker.seeding.demo_playbook import load_playbook
from tracker.services.frame import frameworks
from tracker.services.observe.assessments import new_survey_token
from tracker.services.tenancy import accounts
from tracker.services.unit_of_work import transaction

DEMO_PASSWORD = "novatechna-demo"
ORG_SETTINGS = ("min_group_size", "perception_gap_threshold", "default_method",
                "quick_win_max_weeks", "structural_min_weeks", "timezone")


@dataclass
class DemoContext:
    """What the loading steps share: the document, the organization and records by key."""

    document: Mapping[str, Any]
    session: Session
    org: Organization
    framework: Framework
    dimensions: dict[str, Dimension]
    assessments: dict[str, Assessment] = field(default_factory=dict)
    respondents: dict[tuple[str, str], Respondent] = field(default_factory=dict)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    findings: dict[str, Finding] = field(default_factory=dict)
    initiatives: dict[str, Initiative] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoResult:
    organization: str
    org_id: int
    created: bool
    login: str


def demo_document() -> dict[str, Any]:
    """The demo data file, parsed."""
    with (resource_dir("seeds") / "demo" / "novatechna.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_demo(password: str = DEMO_PASSWORD) -> DemoResult:
    """Create the demo organization, its users and its history unless it exists."""
    document = demo_document()
    name = document["organization"]["name"]
    login = next(m["email"] for m in document["members"] if m["role"] == "lead")
    users = {m["email"]: accounts.ensure_user(m["email"], password, name=m.get("name", ""))
             for m in document["members"]}
    with transaction() as session:
        existing = session.scalar(select(Organization).where(Organization.name == name))
        if existing is not None:
            return DemoResult(name, existing.id, False, login)
        framework = frameworks.find_framework(document["framework"])
        if framework is None:
            raise InvalidInput(f"Framework {document['framework']} is missing; run "
                               "`tracker seed frameworks` first.")
        framework = frameworks.load_framework(framework.id)
        settings = document["organization"].get("settings", {})
        org = Organization(name=name, **{k: settings[k] for k in ORG_SETTINGS if k in settings})
        session.add(org)
        session.flush()
        for member in document["members"]:
            session.add(Membership(org_id=org.id, user_id=users[member["email"]].id,
                                   role=member["role"]))
        context = DemoContext(document, session, org, framework,
                              frameworks.dimensions_by_code(framework))
        for step in STEPS:
            step(context)
    return DemoResult(name, org.id, True, login)


def _moment(day: date | None) -> datetime | None:
    """Demo dates are days; they become 09:00 UTC on that day."""
    return datetime.combine(day, time(9), tzinfo=UTC) if day else None


def load_assessments(context: DemoContext) -> None:
    """Assessments with their respondents, ratings and verbatims."""
    for spec in context.document["assessments"]:
        closed = spec.get("closed_at")
        assessment = Assessment(org_id=context.org.id, framework_id=context.framework.id,
                                title=spec["title"], kind=spec["kind"],
                                status="closed" if closed else "open",
                                opened_at=_moment(spec.get("opened_at")),
                                closed_at=_moment(closed),
                                created_at=_moment(spec.get("opened_at")))
        context.session.add(assessment)
        context.session.flush()
        context.assessments[spec["key"]] = assessment
        _load_respondents(context, spec, assessment)
        _load_ratings(context, spec, assessment)
        _load_evidence(context, spec, assessment)


def _load_respondents(context: DemoContext, spec: Mapping[str, Any],
                      assessment: Assessment) -> None:
    for person in spec["respondents"]:
        respondent = Respondent(org_id=context.org.id, assessment_id=assessment.id,
                                name=person["name"], email=person.get("email"),
                                role=person.get("role"), team=person.get("team"),
                                level=person.get("level"), source=person.get("source", "survey"),
                                survey_token=new_survey_token())
        context.session.add(respondent)
        context.respondents[(spec["key"], person["key"])] = respondent
    context.session.flush()


def _load_ratings(context: DemoContext, spec: Mapping[str, Any],
                  assessment: Assessment) -> None:
    for respondent_key, values in spec["ratings"].items():
        respondent = context.respondents[(spec["key"], respondent_key)]
        context.session.add_all(
            Rating(org_id=context.org.id, assessment_id=assessment.id,
                   respondent_id=respondent.id, dimension_id=context.dimensions[code].id,
                   value=value)
            for code, value in values.items())


def _load_evidence(context: DemoContext, spec: Mapping[str, Any],
                   assessment: Assessment) -> None:
    items = []
    for verbatim in spec.get("evidence", []):
        respondent = context.respondents.get((spec["key"], verbatim.get("respondent")))
        items.append(Evidence(org_id=context.org.id, assessment_id=assessment.id,
                              text=verbatim["text"], source=verbatim.get("source", "interview"),
                              tone=verbatim.get("tone", "neutral"),
                              respondent_id=respondent.id if respondent else None,
                              dimensions=[context.dimensions[c]
                                          for c in verbatim.get("dimensions", [])]))
    context.session.add_all(items)
    context.evidence[spec["key"]] = items


STEPS: list[Callable[[DemoContext], None]] = [load_assessments, load_targets, load_findings,
                                              load_initiatives, load_pilots,
                                              load_kpis, load_schedules, load_roadmap,
                                              load_playbook]
