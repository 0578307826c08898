"""Demo steps of the barometer area: NovaTechna's KPIs and its schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.models.kpis import Kpi, Measurement
from tracker.models.schedules import Schedule

if TYPE_CHECKING:  # the demo loader imports this module for its STEPS
    from tracker.seeding.demo import DemoContext


def load_kpis(context: DemoContext) -> None:
    """The KPIs of the demo with their monthly measurements."""
    for spec in context.document.get("kpis", []):
        kpi = Kpi(org_id=context.org.id, name=spec["name"], unit=spec.get("unit", ""),
                  direction=spec["direction"], target=spec.get("target"),
                  description=spec.get("description", ""),
                  dimensions=[context.dimensions[c] for c in spec.get("dimensions", [])])
        kpi.measurements = [Measurement(org_id=context.org.id, value=m["value"],
                                        measured_at=m["measured_at"])
                            for m in spec.get("measurements", [])]
        context.session.add(kpi)
    context.session.flush()


def load_schedules(context: DemoContext) -> None:
    """The quarterly barometer and pulse schedules of the demo."""
    for spec in context.document.get("schedules", []):
        context.session.add(Schedule(org_id=context.org.id, kind=spec["kind"],
                                     cron=spec.get("cron"),
                                     interval_days=spec.get("interval_days"),
                                     timezone=spec.get("timezone"),
                                     recipients=list(spec.get("recipients", [])),
                                     close_after_days=spec.get("close_after_days")))
    context.session.flush()
