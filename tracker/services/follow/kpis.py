"""KPIs: indicators with a target, their dated measurements, gap and status.

An archived KPI (`archived_at` set) leaves the lists (`list_kpis` by default, `kpis_of`,
hence the barometer and its email) and keeps its measurements; it stays readable on its
own and can be restored. No measurement is recorded on it until it is restored.

A KPI has a `family` (`KPI_FAMILIES`), an `owner` (free text), a perimeter `{kind, name}`
(the whole organization, or a named team or value stream) and links to the initiatives it
follows and the objectives it measures, all of the KPI's organization.
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
from tracker.models.backlog import Initiative
from tracker.models.base import utcnow
from tracker.models.kpis import KPI_FAMILIES, Kpi, Measurement, Objective
from tracker.services.decide.initiatives import usable_dimensions
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

FIELDS = ("name", "description", "unit", "direction", "target", "family", "owner")
#: Perimeter kinds that name their team or value stream.
NAMED_PERIMETERS = ("team", "value_stream")


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
    family: str | None = None
    owner: str | None = None
    perimeter: dict[str, str | None] = field(
        default_factory=lambda: {"kind": "organization", "name": None})
    initiative_ids: list[int] = field(default_factory=list)
    objective_ids: list[int] = field(default_factory=list)


def report(kpi: Kpi) -> KpiReport:
    """The KPI with its current value and status (DESIGN section 3, "KPI gap")."""
    history = sorted(kpi.measurements, key=lambda m: (m.measured_at, m.id))
    latest = history[-1] if history else None
    current = latest.value if latest else None
    status = kpi_status(current, kpi.target, kpi.direction)
    return KpiReport(kpi.id, kpi.name, kpi.description, kpi.unit, kpi.direction, kpi.target,
                     [d.code for d in kpi.dimensions], current,
                     latest.measured_at if latest else None, status.gap, status.on_target,
                     history, kpi.archived_at, [d.name for d in kpi.dimensions],
                     kpi.family, kpi.owner,
                     {"kind": kpi.perimeter_kind, "name": kpi.perimeter_name},
                     sorted(i.id for i in kpi.initiatives),
                     sorted(o.id for o in kpi.objectives))


def _loaded() -> Any:
    return select(Kpi).options(selectinload(Kpi.measurements), selectinload(Kpi.dimensions),
                               selectinload(Kpi.initiatives), selectinload(Kpi.objectives))


def _of(org: Organization, archived: bool, family: str | None = None) -> Any:
    """The organization's KPIs, archived or not (of one family if given), by name."""
    shelved = Kpi.archived_at.is_not(None) if archived else Kpi.archived_at.is_(None)
    stmt = _loaded().where(Kpi.org_id == org.id, shelved).order_by(Kpi.name, Kpi.id)
    return stmt.where(Kpi.family == family) if family else stmt


def list_kpis(org: Organization, page: int, per_page: int, archived: bool = False,
              family: str | None = None) -> Page[KpiReport]:
    """The organization's KPIs by name, each with its status (a fixed number of queries a
    page): the ones in use, or (`archived`) the archived ones only; of one `family` if
    given."""
    result = paginate(_of(org, archived, family), page, per_page)
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
    """Create a KPI, optionally linked to dimensions (by code) of the org's frameworks, to
    its initiatives and objectives (by id), on a perimeter (default: the organization)."""
    links = _links(org, {"dimensions": [], **data})
    kind, name = _perimeter(data.get("perimeter") or {"kind": "organization"})
    with transaction() as session:
        kpi = Kpi(org_id=org.id, perimeter_kind=kind, perimeter_name=name, **links,
                  **{k: data[k] for k in FIELDS if k in data})
        session.add(kpi)
    return report(kpi)


def update_kpi(org: Organization, kpi_id: int, changes: Mapping[str, Any]) -> KpiReport:
    """Change a KPI's fields, perimeter or links (dimensions, initiatives, objectives)."""
    kpi = get_owned(Kpi, org, kpi_id, "KPI")
    links = _links(org, changes)
    perimeter = _perimeter(changes["perimeter"]) if "perimeter" in changes else None
    with transaction():
        for key in FIELDS:
            if key in changes:
                setattr(kpi, key, changes[key])
        for key, records in links.items():
            setattr(kpi, key, records)
        if perimeter is not None:
            kpi.perimeter_kind, kpi.perimeter_name = perimeter
    return report(kpi)


def kpis_off_target(org: Organization) -> list[KpiReport]:
    """The KPIs in use (not archived) whose latest measurement is not on target, by name:
    what a committee's meeting pack lists. A KPI without a measurement or a target is not
    off target (its status is unknown)."""
    return [k for k in kpis_of(org) if k.on_target is False]


def by_family(reports: Sequence[KpiReport]) -> list[tuple[str | None, list[KpiReport]]]:
    """KPIs grouped by family in `KPI_FAMILIES` order, the unclassified ones (None) last;
    families without a KPI left out; each group in the order given."""
    order = {family: i for i, family in enumerate(KPI_FAMILIES)}
    groups: dict[str | None, list[KpiReport]] = {}
    for kpi in reports:
        groups.setdefault(kpi.family if kpi.family in order else None, []).append(kpi)
    return sorted(groups.items(), key=lambda g: order.get(g[0], len(order)) if g[0] else
                  len(order))


def _perimeter(value: Mapping[str, Any]) -> tuple[str, str | None]:
    """`(kind, name)`: a team or value stream needs its name, the organization has none."""
    kind = value.get("kind") or "organization"
    name = (value.get("name") or "").strip() or None
    if kind in NAMED_PERIMETERS and name is None:
        raise InvalidInput("A team or value stream perimeter needs its name.",
                           errors={"perimeter.name": ["Name the team or value stream."]})
    if kind not in NAMED_PERIMETERS and name is not None:
        raise InvalidInput("The organization's perimeter takes no name.",
                           errors={"perimeter.name": [
                               "Leave the name empty for the whole organization."]})
    return kind, name


def _links(org: Organization, data: Mapping[str, Any]) -> dict[str, Any]:
    """The linked records named in `data` (dimensions by code, initiatives and objectives
    by id), each checked to be the organization's; only the keys present."""
    links: dict[str, Any] = {}
    if "dimensions" in data:
        links["dimensions"] = dimensions_by_code(org, data["dimensions"] or [])
    if "initiative_ids" in data:
        links["initiatives"] = owned(Initiative, org, data["initiative_ids"], "initiative_ids")
    if "objective_ids" in data:
        links["objectives"] = owned(Objective, org, data["objective_ids"], "objective_ids")
    return links


def owned(model: type[Any], org: Organization, ids: Sequence[int], name: str) -> list[Any]:
    """The organization's records of `model` with these ids, in one query, in the order
    given; 422 under `name` for ids that are not the organization's (another tenant's id is
    unknown here, as it would be in a 404)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {r.id: r for r in db.session.scalars(
        select(model).where(model.org_id == org.id, model.id.in_(wanted)))}
    unknown = [i for i in wanted if i not in found]
    if unknown:
        raise InvalidInput(f"Unknown {name}: {', '.join(map(str, unknown))}.",
                           errors={name: [f"Not found: {', '.join(map(str, unknown))}."]})
    return [found[i] for i in wanted]


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


def dimensions_by_code(org: Organization, codes: Sequence[str]) -> list[Dimension]:
    """Dimensions by code among the frameworks the organization may use (shared or own)."""
    if not codes:
        return []
    found = usable_dimensions(org, codes)
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise InvalidInput(f"Unknown dimension code(s): {', '.join(unknown)}.",
                           errors={"dimensions": [f"Unknown: {', '.join(unknown)}."]})
    return [found[c] for c in dict.fromkeys(codes)]
