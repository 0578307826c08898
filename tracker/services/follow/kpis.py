"""KPIs: indicators with a target, their dated measurements, gap and status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.domain.effects import kpi_status
from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import Dimension, Framework, Organization
from tracker.models.kpis import Kpi, Measurement
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

FIELDS = ("name", "description", "unit", "direction", "target")


@dataclass(frozen=True)
class KpiReport:
    """A KPI as read: its fields, `current` (latest measurement by date), `gap`,
    `on_target` and its measurement history (oldest first)."""

    id: int
    name: str
    description: str
    unit: str
    direction: str
    target: float | None
    dimensions: list[str]
    current: float | None
    measured_at: date | None
    gap: float | None
    on_target: bool | None
    history: list[Measurement]


def report(kpi: Kpi) -> KpiReport:
    """The KPI with its current value and status (DESIGN section 3, "KPI gap")."""
    history = sorted(kpi.measurements, key=lambda m: (m.measured_at, m.id))
    latest = history[-1] if history else None
    current = latest.value if latest else None
    status = kpi_status(current, kpi.target, kpi.direction)
    return KpiReport(kpi.id, kpi.name, kpi.description, kpi.unit, kpi.direction, kpi.target,
                     [d.code for d in kpi.dimensions], current,
                     latest.measured_at if latest else None, status.gap, status.on_target,
                     history)


def _loaded() -> Any:
    return select(Kpi).options(selectinload(Kpi.measurements), selectinload(Kpi.dimensions))


def list_kpis(org: Organization, page: int, per_page: int) -> Page[KpiReport]:
    """The organization's KPIs by name, each with its status (three queries a page)."""
    result = paginate(_loaded().where(Kpi.org_id == org.id).order_by(Kpi.name, Kpi.id),
                      page, per_page)
    return Page([report(k) for k in result.items], result.total, page, per_page)


def kpis_of(org: Organization) -> list[KpiReport]:
    """Every KPI of the organization with its status, by name."""
    kpis = db.session.scalars(_loaded().where(Kpi.org_id == org.id).order_by(Kpi.name, Kpi.id))
    return [report(k) for k in kpis]


def get_kpi(org: Organization, kpi_id: int) -> KpiReport:
    """One KPI with its status and history (404 outside the organization)."""
    return report(get_owned(Kpi, org, kpi_id, "KPI"))


def create_kpi(org: Organization, data: Mapping[str, Any]) -> KpiReport:
    """Create a KPI, optionally linked to dimensions (by code) of the org's frameworks."""
    dimensions = _dimensions(org, data.get("dimensions") or [])
    with transaction() as session:
        kpi = Kpi(org_id=org.id, dimensions=dimensions,
                  **{k: data[k] for k in FIELDS if k in data})
        session.add(kpi)
    return report(kpi)


def update_kpi(org: Organization, kpi_id: int, changes: Mapping[str, Any]) -> KpiReport:
    """Change a KPI's fields or its linked dimensions."""
    kpi = get_owned(Kpi, org, kpi_id, "KPI")
    dimensions = (_dimensions(org, changes["dimensions"]) if "dimensions" in changes
                  else None)
    with transaction():
        for key in FIELDS:
            if key in changes:
                setattr(kpi, key, changes[key])
        if dimensions is not None:
            kpi.dimensions = dimensions
    return report(kpi)


def add_measurement(org: Organization, kpi_id: int, data: Mapping[str, Any]) -> KpiReport:
    """Record a dated value; the KPI's `current` is the latest by date."""
    kpi = get_owned(Kpi, org, kpi_id, "KPI")
    with transaction() as session:
        session.add(Measurement(org_id=org.id, kpi_id=kpi.id, value=data["value"],
                                measured_at=data["measured_at"]))
    db.session.refresh(kpi)
    return report(kpi)


def _dimensions(org: Organization, codes: Sequence[str]) -> list[Dimension]:
    """Dimensions by code among the frameworks the organization may use (shared or own)."""
    if not codes:
        return []
    found = {d.code: d for d in db.session.scalars(
        select(Dimension).join(Framework, Framework.id == Dimension.framework_id)
        .where(Dimension.code.in_(codes),
               (Framework.org_id.is_(None)) | (Framework.org_id == org.id))
        .order_by(Framework.version))}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise InvalidInput(f"Unknown dimension code(s): {', '.join(unknown)}.",
                           errors={"dimensions": [f"Unknown: {', '.join(unknown)}."]})
    return [found[c] for c in dict.fromkeys(codes)]
