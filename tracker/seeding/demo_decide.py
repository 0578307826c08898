"""Demo steps of the backlog area: NovaTechna's initiatives, dependencies and pilots."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracker.models.backlog import Dependency, Initiative, Pilot, Uplift

if TYPE_CHECKING:  # the demo loader imports this module for its STEPS
    from tracker.seeding.demo import DemoContext

INITIATIVE_FIELDS = ("title", "description", "status", "owner", "duration_weeks", "load",
                     "business_value", "time_criticality", "risk_reduction", "job_size", "reach",
                     "impact", "confidence", "effort", "ease", "actual_start", "actual_end",
                     "pinned_start", "class_override")
PILOT_FIELDS = ("value_stream", "hypothesis", "success_criteria", "kpi", "threshold", "start",
                "end", "status", "decision", "decision_date", "decided_by")


def load_initiatives(context: DemoContext) -> None:
    """Initiatives traced to their findings, with expected uplifts, then their dependencies."""
    for spec in context.document.get("initiatives", []):
        initiative = Initiative(org_id=context.org.id,
                                **{k: spec[k] for k in INITIATIVE_FIELDS if k in spec})
        initiative.findings = [context.findings[key] for key in spec.get("findings", [])]
        initiative.uplifts = [Uplift(dimension_id=context.dimensions[code].id, expected=value)
                              for code, value in spec.get("uplifts", {}).items()]
        context.session.add(initiative)
        context.initiatives[spec["key"]] = initiative
    context.session.flush()
    context.session.add_all(_dependency(context, edge)
                            for edge in context.document.get("dependencies", []))


def load_pilots(context: DemoContext) -> None:
    """The two pilot scopes, with their decisions."""
    for spec in context.document.get("pilots", []):
        context.session.add(Pilot(org_id=context.org.id,
                                  initiative_id=context.initiatives[spec["initiative"]].id,
                                  teams=list(spec.get("perimeter", [])),
                                  rationale=spec.get("decision_rationale"),
                                  **{k: spec[k] for k in PILOT_FIELDS if k in spec}))


def _dependency(context: DemoContext, edge: dict[str, Any]) -> Dependency:
    return Dependency(org_id=context.org.id,
                      prerequisite_id=context.initiatives[edge["prerequisite"]].id,
                      dependent_id=context.initiatives[edge["dependent"]].id,
                      lag_weeks=edge.get("lag_weeks", 0.0))
