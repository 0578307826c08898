"""Demo steps of the backlog area: NovaTechna's initiatives, dependencies, pilots and their
KPI criteria, and its committees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.domain.errors import InvalidInput
from tracker.models import Committee, Pilot
from tracker.services.decide import dependencies, initiatives, pilots
from tracker.services.unit_of_work import transaction

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
        data = {**{k: spec[k] for k in pilots.FIELDS if k in spec and k != "criteria"},
                "teams": list(spec.get("perimeter", [])),
                "rationale": spec.get("decision_rationale")}
        pilot = pilots.create_pilot(context.org, context.lead,
                                    context.initiatives[spec["initiative"]], data)
        context.pilots.setdefault(spec["initiative"], pilot.id)


def load_pilot_criteria(context: DemoContext) -> None:
    """Each pilot's success criteria as KPI thresholds (`criteria: [{kpi, threshold}]`, the
    KPI by name, loaded by `load_kpis`), written on the demo's own pilot."""
    with transaction() as session:
        for spec in context.document.get("pilots", []):
            if not spec.get("criteria"):
                continue
            pilot = session.get_one(Pilot, context.pilots[spec["initiative"]])
            pilot.criteria = [{"kpi_id": _kpi_id(context, c["kpi"]),
                               "threshold": float(c["threshold"])} for c in spec["criteria"]]


def _kpi_id(context: DemoContext, name: str) -> int:
    """The id of the demo KPI of this name; `InvalidInput` when the document has none."""
    if name not in context.kpis:
        raise InvalidInput(f"The demo has no KPI named {name!r}.",
                           errors={"criteria": [f"Unknown KPI {name!r}."]})
    return context.kpis[name]


def load_committees(context: DemoContext) -> None:
    """The standing committees (name, level, cadence, members), kept by name for the
    decisions that belong to them."""
    with transaction() as session:
        for spec in context.document.get("committees", []):
            committee = Committee(org_id=context.org.id, name=spec["name"],
                                  level=spec["level"], cron=spec.get("cron"),
                                  timezone=spec.get("timezone"),
                                  member_emails=list(spec.get("members", [])))
            session.add(committee)
            session.flush()
            context.committees[spec["name"]] = committee.id
