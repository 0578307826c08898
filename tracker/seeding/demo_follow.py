"""Demo steps of the barometer area: NovaTechna's KPIs (family, owner, perimeter), its
objectives and its schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import Dimension, Initiative, Kpi, Objective
from tracker.services.follow import kpis, schedules
from tracker.services.unit_of_work import transaction

if TYPE_CHECKING:  # the demo loader imports this module for its STEPS
    from tracker.seeding.demo import DemoContext

SCHEDULE_FIELDS = ("kind", "cron", "interval_days", "timezone", "close_after_days")


KPI_FIELDS = ("name", "unit", "direction", "target", "description", "family", "owner")


def load_kpis(context: DemoContext) -> None:
    """The KPIs of the demo, each with its family, owner, perimeter (`perimeter: {kind,
    name}`, default the organization), the initiatives it follows (by key) and its monthly
    measurements (dated in the past); kept by name in `context.kpis`."""
    for spec in context.document.get("kpis", []):
        kpi = kpis.create_kpi(context.org, {
            **{k: spec[k] for k in KPI_FIELDS if k in spec},
            "perimeter": spec.get("perimeter") or {"kind": "organization"},
            "dimensions": spec.get("dimensions", []),
            "initiative_ids": [context.initiatives[k] for k in spec.get("initiatives", [])]})
        context.kpis[spec["name"]] = kpi.id
        for measurement in spec.get("measurements", []):
            kpis.add_measurement(context.org, kpi.id, measurement)


def load_objectives(context: DemoContext) -> None:
    """The objectives of the ambition, each measured by KPIs (by name), served by
    initiatives (by key) and lifting dimensions (codes of the demo's framework)."""
    with transaction() as session:
        for spec in context.document.get("objectives", []):
            session.add(Objective(
                org_id=context.org.id, title=spec["title"],
                description=spec.get("description", ""), horizon=spec.get("horizon"),
                kpis=[session.get_one(Kpi, context.kpis[name]) for name in spec.get("kpis", [])],
                initiatives=[session.get_one(Initiative, context.initiatives[key])
                             for key in spec.get("initiatives", [])],
                dimensions=_dimensions(context, spec.get("dimensions", []))))


def _dimensions(context: DemoContext, codes: list[str]) -> list[Dimension]:
    """The demo framework's dimensions of these codes, in order; `InvalidInput` naming an
    unknown code."""
    found = {d.code: d for d in db.session.scalars(select(Dimension).where(
        Dimension.framework_id == context.framework_id, Dimension.code.in_(codes)))}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise InvalidInput(f"Unknown dimensions {unknown}.", errors={"dimensions": unknown})
    return [found[code] for code in codes]



def load_schedules(context: DemoContext) -> None:
    """The quarterly barometer and pulse schedules of the demo."""
    for spec in context.document.get("schedules", []):
        schedules.create_schedule(context.org, {
            **{k: spec.get(k) for k in SCHEDULE_FIELDS},
            "recipients": list(spec.get("recipients", []))})
