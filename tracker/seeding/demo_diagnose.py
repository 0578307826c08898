"""Demo steps of the diagnosis area: NovaTechna's targets and findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.services.diagnose import findings
from tracker.services.frame import targets

if TYPE_CHECKING:  # the demo loader imports this module for its STEPS
    from tracker.seeding.demo import DemoContext

DIAGNOSTIC = "diagnostic"
FINDING_FIELDS = ("kind", "title", "description", "status", "dimensions")


def load_targets(context: DemoContext) -> None:
    """Target levels, valid from the day the diagnostic opened (so every assessment and the
    barometer measure against them)."""
    opened = context.assessments[DIAGNOSTIC].opened_at
    targets.set_targets(context.org, context.framework_id, context.document.get("targets", []),
                        valid_from=opened.date() if opened else None)


def load_findings(context: DemoContext) -> None:
    """The diagnostic's findings, their dimensions and their evidence (given by index in the
    assessment's evidence list); kept in `context.findings` by key for the later steps."""
    for spec in context.document.get("findings", []):
        assessment_key = spec.get("assessment", DIAGNOSTIC)
        evidence = context.evidence[assessment_key]
        finding = findings.create_finding(context.org, {
            "assessment_id": context.assessments[assessment_key].id,
            "evidence_ids": [evidence[i] for i in spec.get("evidence", [])],
            **{k: spec[k] for k in FINDING_FIELDS if k in spec}})
        context.findings[spec["key"]] = finding.id
