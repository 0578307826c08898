"""Demo steps of the diagnosis area: NovaTechna's targets and findings."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tracker.models import Finding, Target

if TYPE_CHECKING:  # the demo loader imports this module for its STEPS
    from tracker.seeding.demo import DemoContext

DIAGNOSTIC = "diagnostic"


def load_targets(context: DemoContext) -> None:
    """Target levels, valid from the day the diagnostic opened (so every assessment and the
    barometer measure against them)."""
    opened = context.assessments[DIAGNOSTIC].opened_at
    valid_from = opened.date() if opened else date.today()
    context.session.add_all(
        Target(org_id=context.org.id, dimension_id=context.dimensions[row["dimension"]].id,
               level=row["level"], valid_from=row.get("valid_from", valid_from))
        for row in context.document.get("targets", []))
    context.session.flush()


def load_findings(context: DemoContext) -> None:
    """The diagnostic's findings, their dimensions and their evidence (given by index in the
    assessment's evidence list); kept in `context.findings` by key for the later steps."""
    for spec in context.document.get("findings", []):
        assessment_key = spec.get("assessment", DIAGNOSTIC)
        evidence = context.evidence[assessment_key]
        finding = Finding(org_id=context.org.id,
                          assessment_id=context.assessments[assessment_key].id,
                          kind=spec["kind"], title=spec["title"],
                          description=spec.get("description", ""),
                          status=spec.get("status", "accepted"), metrics={},
                          dimensions=[context.dimensions[c] for c in spec.get("dimensions", [])],
                          evidence=[evidence[i] for i in spec.get("evidence", [])])
        context.session.add(finding)
        context.findings[spec["key"]] = finding
    context.session.flush()
