"""The demo organization's roadmap: its phases and a baseline named "Plan of record"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.models import Phase
from tracker.services.plan.roadmap import PlanParams, baseline_record

if TYPE_CHECKING:  # the demo loader imports this module for its STEPS
    from tracker.seeding.demo import DemoContext

BASELINE_NAME = "Plan of record"


def load_roadmap(context: DemoContext) -> None:
    """Phases from the demo document, then the plan from the first phase's start (unlimited
    capacity) saved as the baseline "Plan of record"."""
    specs = sorted(context.document.get("phases", []), key=lambda spec: spec["start"])
    context.session.add_all(Phase(org_id=context.org.id, name=spec["name"], start=spec["start"],
                                  end=spec["end"], position=position)
                            for position, spec in enumerate(specs))
    context.session.flush()
    start = specs[0]["start"] if specs else None
    context.session.add(baseline_record(context.org, BASELINE_NAME, PlanParams(start=start)))
    context.session.flush()
