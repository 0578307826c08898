"""KPIs: indicators with a target, their dated measurements, gap and status.

An archived KPI (`archived_at` set) leaves the lists (`list_kpis` by default, `kpis_of`,
hence the barometer and its email) and keeps its measurements; it stays readable on its
own and can be restored. No measurement is recorded on it until it is restored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.domain.errors import Conflict, InvalidInput
from tracker.domain.follow.effects import kpi_status
from tracker.extensions import db
from tracker.models import Dimension, Organization
from tracker.models.base import utcnow
from tracker.models.kpis import Kpi, Measurement
from tracker.services.decide.initiatives import usable_dimensions
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

FIELDS = ("name", "description", "unit", "direction", "target")


@dataclass(frozen=True)
class KpiReport:
    """A KPI as read: its fields, `current` (latest measurement by date), `gap`,
    `on_target` and its measurement history (oldest first); `dimension_names` go with
    `dimensions` (the codes), in the same order."""

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
    archived_at: datetime | None = None
    dimension_names: list[str] = field(default_factory=list)


def report(kpi: Kpi) -> KpiReport:
    """The KPI with its current value and status (DESIGN section 3, "KPI gap")."""
    history = sorted(kpi.measurements, key=lambda m: (m.measured_at, m.id))
    latest = history[-1] if history else None
    current = latest.value if latest else None
    status = kpi_status(current, kpi.target, kpi.direction)
    return KpiReport(kpi.id, kpi.name, kpi.description, kpi.unit, kpi.direction, kpi.target,
                     [d.code for d in kpi.dimensions], current,
                     latest.measured_at if latest else None, status.gap, status.on_target,
                     history, kpi.archived_at, [d.name for d in kpi.dimensions])


def _loaded() -> Any:
    return select(Kpi).options(selectinload(Kpi.measurements), selectinload(Kpi.dimensions))


def _of(org: Organization, archived: bool) -> Any:
    """The organization's KPIs, archived or not, by name."""
    shelved = Kpi.archived_at.is_not(None) if archived else Kpi.archived_at.is_(None)
    return _loaded().where(Kpi.org_id == org.id, shelved).order_by(Kpi.name, Kpi.id)


def list_kpis(org: Organization, page: int, per_page: int,
              archived: bool = False) -> Page[KpiReport]:
    """The organization's KPIs by name, each with its status (three queries a page): the
    ones in use, or (`archived`) the archived ones only."""
    result = paginate(_of(org, archived), page, per_page)
    return Page([report(k) for k in result.items], result.total, page, per_page)


def kpis_of(org: Organization) -> list[KpiReport]:
    """Every KPI in use (not archived) of the organization with its status, by name."""
    return [report(k) for k in db.session.scalars(_of(org, archived=False))]


def count_archived(org: Organization) -> int:
    """How many of the organization's KPIs are archived (what the list page points to)."""
    return list_kpis(org, 1, 1, archived=True).total


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


def archive_kpi(org: Organization, kpi_id: int) -> KpiReport:
    """Archive a KPI: it leaves the lists and keeps its measurements; 409 if it already is."""
    kpi = get_owned(Kpi, org, kpi_id, "KPI")
    if kpi.archived_at is not None:
        raise Conflict(f"KPI {kpi.id} is already archived.")
    with transaction():
        kpi.archived_at = utcnow()
    return report(kpi)


def restore_kpi(org: Organization, kpi_id: int) -> KpiReport:
    """Bring an archived KPI back to the lists; 409 if it is not archived."""
    kpi = get_owned(Kpi, org, kpi_id, "KPI")
    if kpi.archived_at is None:
        raise Conflict(f"KPI {kpi.id} is not archived.")
    with transaction():
        kpi.archived_at = None
    return report(kpi)


def add_measurement(org: Organization, kpi_id: int, data: Mapping[str, Any]) -> KpiReport:
    """Record a dated value with an optional comment; the KPI's `current` is the latest by
    date. 409 on an archived KPI (restore it first)."""
    kpi = get_owned(Kpi, org, kpi_id, "KPI")
    if kpi.archived_at is not None:
        raise Conflict(f"KPI {kpi.id} is archived: restore it to record a measurement.")
    with transaction() as session:
        session.add(Measurement(org_id=org.id, kpi_id=kpi.id, value=data["value"],
                                measured_at=data["measured_at"],
                                comment=data.get("comment") or ""))
    db.session.refresh(kpi)
    return report(kpi)


def list_measurements(org: Organization, kpi_id: int, page: int,
                      per_page: int) -> Page[Measurement]:
    """A KPI's measurements, newest first (by date, then latest recorded), a page at a time."""
    kpi = get_owned(Kpi, org, kpi_id, "KPI")
    return paginate(select(Measurement).where(Measurement.org_id == org.id,
                                              Measurement.kpi_id == kpi.id)
                    .order_by(Measurement.measured_at.desc(), Measurement.id.desc()),
                    page, per_page)


def dimension_choices(org: Organization) -> list[Dimension]:
    """The dimensions a KPI may be linked to (those of the frameworks the organization may
    use), by code: what the KPI form offers."""
    return sorted(usable_dimensions(org).values(), key=lambda d: d.code)


def _dimensions(org: Organization, codes: Sequence[str]) -> list[Dimension]:
    """Dimensions by code among the frameworks the organization may use (shared or own)."""
    if not codes:
        return []
    found = usable_dimensions(org, codes)
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise InvalidInput(f"Unknown dimension code(s): {', '.join(unknown)}.",
                           errors={"dimensions": [f"Unknown: {', '.join(unknown)}."]})
    return [found[c] for c in dict.fromkeys(codes)]
