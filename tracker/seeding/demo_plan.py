"""The demo organization's roadmap: its phases and a baseline named "Plan of record"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.services.plan import roadmap

if TYPE_CHECKING:  # the demo loader imports this module for its STEPS
    from tracker.seeding.demo import DemoContext

BASELINE_NAME = "Plan of record"


def load_roadmap(context: DemoContext) -> None:
    """Phases from the demo document, then the plan from the first phase's start (unlimited
    capacity) saved as the baseline "Plan of record"."""
    specs = context.document.get("phases", [])
    roadmap.replace_phases(context.org, specs)
    start = min((spec["start"] for spec in specs), default=None)
    roadmap.create_baseline(context.org, {"name": BASELINE_NAME, "start": start})
