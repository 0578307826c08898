"""Objectives: measurable aims of the ambition, their KPIs, initiatives and dimensions, and
their status from their KPIs' latest measurements (DESIGN section 3, "Objective status").

The status reads the objective's KPIs in use (an archived KPI stays linked, in `kpi_ids`,
but leaves the status and the counts, as it leaves the barometer): judged over the KPIs
measured against a target, `kpis_total` counting all of them (`domain.follow.objectives`).
Every link is checked to be the organization's; creations, changes and deletions are
audited (entity `objective`). A page of objectives costs a fixed number of queries: the
page, its count, its links, and one query for the latest measurement of all their KPIs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.domain.follow.effects import kpi_status
from tracker.domain.follow.objectives import objective_status
from tracker.extensions import db
from tracker.models import Dimension, Organization, User
from tracker.models.backlog import Initiative
from tracker.models.kpis import Kpi, Measurement, Objective
from tracker.services.audit import audit
from tracker.services.follow.kpis import dimensions_by_code, owned
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

FIELDS = ("title", "description", "horizon")
#: The most objectives the barometer, its email and the report list (the oldest first).
SHOWN_AT_MOST = 50


@dataclass(frozen=True)
class ObjectiveKpi:
    """One KPI of an objective as its status reads it: latest measurement and status."""

    id: int
    name: str
    unit: str
    family: str | None
    perimeter_kind: str
    perimeter_name: str | None
    direction: str
    target: float | None
    current: float | None
    measured_at: date | None
    gap: float | None
    on_target: bool | None


@dataclass(frozen=True)
class ObjectiveReport:
    """An objective as read: its fields, links (ids, dimension codes with their names), its
    KPIs in use with their latest measurement, and its status with the counts."""

    id: int
    title: str
    description: str
    horizon: date | None
    kpi_ids: list[int]
    initiative_ids: list[int]
    dimensions: list[str]
    status: str
    kpis_on_target: int
    kpis_total: int
    kpis_measured: int = 0
    kpis: list[ObjectiveKpi] = field(default_factory=list)
    initiatives: list[tuple[int, str]] = field(default_factory=list)
    dimension_names: list[str] = field(default_factory=list)


def _loaded() -> Any:
    return select(Objective).options(selectinload(Objective.kpis),
                                     selectinload(Objective.initiatives),
                                     selectinload(Objective.dimensions))


def latest_measurements(org: Organization, kpi_ids: Iterable[int]
                        ) -> dict[int, tuple[float, date]]:
    """The latest measurement (by date, then latest recorded) of each of these KPIs, as
    `{kpi_id: (value, measured_at)}`, in one query."""
    wanted = sorted(set(kpi_ids))
    if not wanted:
        return {}
    rank = func.row_number().over(partition_by=Measurement.kpi_id,
                                  order_by=(Measurement.measured_at.desc(),
                                            Measurement.id.desc())).label("rank")
    ranked = (select(Measurement.kpi_id, Measurement.value, Measurement.measured_at, rank)
              .where(Measurement.org_id == org.id, Measurement.kpi_id.in_(wanted)).subquery())
    rows = db.session.execute(select(ranked.c.kpi_id, ranked.c.value, ranked.c.measured_at)
                              .where(ranked.c.rank == 1))
    return {kpi_id: (value, day) for kpi_id, value, day in rows}


def _kpi(kpi: Kpi, latest: tuple[float, date] | None) -> ObjectiveKpi:
    current, day = latest if latest else (None, None)
    status = kpi_status(current, kpi.target, kpi.direction)
    return ObjectiveKpi(kpi.id, kpi.name, kpi.unit, kpi.family, kpi.perimeter_kind,
                        kpi.perimeter_name, kpi.direction, kpi.target, current, day,
                        status.gap, status.on_target)


def _report(objective: Objective, latest: Mapping[int, tuple[float, date]]) -> ObjectiveReport:
    in_use = sorted((k for k in objective.kpis if k.archived_at is None),
                    key=lambda k: (k.name, k.id))
    kpis = [_kpi(k, latest.get(k.id)) for k in in_use]
    status = objective_status(k.on_target for k in kpis)
    return ObjectiveReport(
        objective.id, objective.title, objective.description, objective.horizon,
        sorted(k.id for k in objective.kpis), sorted(i.id for i in objective.initiatives),
        [d.code for d in objective.dimensions], status.status, status.kpis_on_target,
        status.kpis_total, status.kpis_measured, kpis,
        sorted(((i.id, i.title) for i in objective.initiatives), key=lambda p: (p[1], p[0])),
        [d.name for d in objective.dimensions])


def _reports(org: Organization, objectives: Sequence[Objective]) -> list[ObjectiveReport]:
    latest = latest_measurements(org, (k.id for o in objectives for k in o.kpis))
    return [_report(o, latest) for o in objectives]


def _of(org: Organization) -> Any:
    """The organization's objectives, soonest horizon first (none last), then by title."""
    return (_loaded().where(Objective.org_id == org.id)
            .order_by(Objective.horizon.is_(None), Objective.horizon, Objective.title,
                      Objective.id))


def list_objectives(org: Organization, page: int, per_page: int) -> Page[ObjectiveReport]:
    """A page of the organization's objectives with their status, soonest horizon first."""
    result = paginate(_of(org), page, per_page)
    return Page(_reports(org, result.items), result.total, page, per_page)


def objectives_of(org: Organization) -> list[ObjectiveReport]:
    """The organization's objectives with their status (at most `SHOWN_AT_MOST`): what the
    barometer, its email and the report show."""
    return _reports(org, list(db.session.scalars(_of(org).limit(SHOWN_AT_MOST))))


def get_objective(org: Organization, objective_id: int) -> ObjectiveReport:
    """One objective with its KPIs and status (404 outside the organization)."""
    return _reports(org, [get_owned(Objective, org, objective_id, "Objective")])[0]


def create_objective(org: Organization, actor: User | None,
                     data: Mapping[str, Any]) -> ObjectiveReport:
    """Create an objective linked to the organization's KPIs, initiatives (by id) and to
    dimensions (by code); 422 naming the field of any link that is not the organization's."""
    links = _links(org, data)
    with transaction() as session:
        objective = Objective(org_id=org.id, **links,
                              **{k: data[k] for k in FIELDS if k in data})
        session.add(objective)
        session.flush()
        audit(org, actor, "objective", objective.id, None, "create",
              {"title": objective.title})
    return get_objective(org, objective.id)


def update_objective(org: Organization, actor: User | None, objective_id: int,
                     changes: Mapping[str, Any]) -> ObjectiveReport:
    """Change an objective's fields or links; the change is audited (old → new)."""
    objective = get_owned(Objective, org, objective_id, "Objective")
    links = _links(org, changes)
    with transaction():
        diff: dict[str, Any] = {}
        for key in FIELDS:
            if key in changes and changes[key] != getattr(objective, key):
                diff[key] = [getattr(objective, key), changes[key]]
                setattr(objective, key, changes[key])
        for key, records in links.items():
            before, after = _names(key, getattr(objective, key)), _names(key, records)
            if before != after:
                diff[key] = [before, after]
            setattr(objective, key, records)
        if diff:
            audit(org, actor, "objective", objective.id, None, "update", diff)
    return get_objective(org, objective.id)


def delete_objective(org: Organization, actor: User | None, objective_id: int) -> None:
    """Remove an objective (its KPIs, initiatives and dimensions stay); audited."""
    objective = get_owned(Objective, org, objective_id, "Objective")
    with transaction() as session:
        audit(org, actor, "objective", objective.id, None, "delete",
              {"title": objective.title})
        session.delete(objective)


def kpi_choices(org: Organization, linked: Sequence[int] = ()) -> list[Kpi]:
    """The KPIs in use an objective may be linked to, and the `linked` ones even if
    archived (so that editing an objective keeps them), by name (what the form offers)."""
    offered = Kpi.archived_at.is_(None) | Kpi.id.in_(list(linked))
    return list(db.session.scalars(select(Kpi).where(Kpi.org_id == org.id, offered)
                                   .order_by(Kpi.name, Kpi.id)))


def initiative_choices(org: Organization) -> list[Initiative]:
    """The initiatives not archived an objective or a KPI may be linked to, by title."""
    return list(db.session.scalars(select(Initiative).where(Initiative.org_id == org.id,
                                                            Initiative.archived_at.is_(None))
                                   .order_by(Initiative.title, Initiative.id)))


def objective_choices(org: Organization) -> list[Objective]:
    """The objectives a KPI may be linked to, by title."""
    return list(db.session.scalars(select(Objective).where(Objective.org_id == org.id)
                                   .order_by(Objective.title, Objective.id)))


def _links(org: Organization, data: Mapping[str, Any]) -> dict[str, Any]:
    """The linked records `data` names, each the organization's; only the keys present."""
    links: dict[str, Any] = {}
    if "kpi_ids" in data:
        links["kpis"] = owned(Kpi, org, data["kpi_ids"] or [], "kpi_ids")
    if "initiative_ids" in data:
        links["initiatives"] = owned(Initiative, org, data["initiative_ids"] or [],
                                     "initiative_ids")
    if "dimensions" in data:
        links["dimensions"] = dimensions_by_code(org, data["dimensions"] or [])
    return links


def _names(key: str, records: Iterable[Kpi | Initiative | Dimension]) -> list[Any]:
    """What the audit keeps of a link: dimension codes, else ids, sorted."""
    if key == "dimensions":
        return sorted(r.code for r in records if isinstance(r, Dimension))
    return sorted(r.id for r in records if not isinstance(r, Dimension))
