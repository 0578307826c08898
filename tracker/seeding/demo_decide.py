"""Demo steps of the backlog area: NovaTechna's initiatives, dependencies and pilots."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.services.decide import dependencies, initiatives, pilots

if TYPE_CHECKING:  # the demo loader imports this module for its STEPS
    from tracker.seeding.demo import DemoContext


def load_initiatives(context: DemoContext) -> None:
    """Initiatives traced to their findings, with expected uplifts, then their dependencies
    (refused, like a user's, if one closed a cycle)."""
    for spec in context.document.get("initiatives", []):
        initiative = initiatives.create_initiative(context.org, context.lead, {
            **{k: spec[k] for k in initiatives.PLAIN_FIELDS if k in spec},
            "finding_ids": [context.findings[key] for key in spec.get("findings", [])],
            "uplifts": [{"dimension": code, "expected": value}
                        for code, value in spec.get("uplifts", {}).items()]})
        context.initiatives[spec["key"]] = initiative.id
    for edge in context.document.get("dependencies", []):
        dependencies.add_dependency(context.org, context.lead, {
            "prerequisite_id": context.initiatives[edge["prerequisite"]],
            "dependent_id": context.initiatives[edge["dependent"]],
            "lag_weeks": edge.get("lag_weeks", 0.0)})


def load_pilots(context: DemoContext) -> None:
    """The two pilot scopes with their decisions, which move their initiatives on as a
    user's would; each initiative's first pilot is kept in `context.pilots`."""
    for spec in context.document.get("pilots", []):
        data = {**{k: spec[k] for k in pilots.FIELDS if k in spec},
                "teams": list(spec.get("perimeter", [])),
                "rationale": spec.get("decision_rationale")}
        pilot = pilots.create_pilot(context.org, context.lead,
                                    context.initiatives[spec["initiative"]], data)
        context.pilots.setdefault(spec["initiative"], pilot.id)
