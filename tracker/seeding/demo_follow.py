"""Demo steps of the barometer area: NovaTechna's KPIs and its schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.services.follow import kpis, schedules

if TYPE_CHECKING:  # the demo loader imports this module for its STEPS
    from tracker.seeding.demo import DemoContext

SCHEDULE_FIELDS = ("kind", "cron", "interval_days", "timezone", "close_after_days")


def load_kpis(context: DemoContext) -> None:
    """The KPIs of the demo, each with its monthly measurements (dated in the past)."""
    for spec in context.document.get("kpis", []):
        kpi = kpis.create_kpi(context.org, {
            "name": spec["name"], "unit": spec.get("unit", ""), "direction": spec["direction"],
            "target": spec.get("target"), "description": spec.get("description", ""),
            "dimensions": spec.get("dimensions", [])})
        for measurement in spec.get("measurements", []):
            kpis.add_measurement(context.org, kpi.id, measurement)


def load_schedules(context: DemoContext) -> None:
    """The quarterly barometer and pulse schedules of the demo."""
    for spec in context.document.get("schedules", []):
        schedules.create_schedule(context.org, {
            **{k: spec.get(k) for k in SCHEDULE_FIELDS},
            "recipients": list(spec.get("recipients", []))})
