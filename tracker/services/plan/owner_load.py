"""Owner load: each owner's weeks of work in flight per phase of the current plan, and
whether it is more than they can carry (DESIGN, issue 17 "Owner load").

An initiative's `owner` is free text, offered from the organization's members' names; the
load groups owners by that text (trimmed, case ignored). The plan is the roadmap's
(`roadmap.get_roadmap`) with the organization's plan settings (the plan the trajectory and
the report use: start and capacity saved from the roadmap page, else from today with
unlimited capacity): its schedule and its phases, stored or proposed. The arithmetic is
`tracker.domain.roadmap.owner_load`: in a phase, an owner's `weeks` is the sum over their
initiatives of the weeks the initiative's planned `[start, end)` shares with the phase, and
`overloaded` is `weeks > 1.5 × phase_weeks` (`OVERLOAD_FACTOR`: more than one and a half
initiatives at once on average).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker.domain.roadmap import OVERLOAD_FACTOR, OwnerLoad
from tracker.models import Organization
from tracker.services import derived
from tracker.services.plan.roadmap import PlanParams, get_roadmap

__all__ = ["OVERLOAD_FACTOR", "OwnerLoad", "owner_load", "owner_table", "owner_table_of"]


def owner_load(org: Organization, params: PlanParams | None = None) -> list[OwnerLoad]:
    """Per phase (in order) and per owner (by name), the weeks of work in flight and the
    overload flag, for the plan computed with `params` (default: the organization's plan
    settings). Every owner with planned work has a row for every phase."""
    settings = PlanParams(org.plan_start, org.plan_capacity, org.plan_points)
    return get_roadmap(org, params or settings).owner_load


def owner_table(rows: Sequence[OwnerLoad]) -> dict[str, Any]:
    """The owner load as a table: the phases as columns (name, length in weeks), one row
    per owner with a cell per phase, in the order of `rows` (phase by phase, owners by
    name), and `overloaded`, how many owners are overloaded in some phase.

    >>> from tracker.domain.roadmap import OwnerLoad as Cell
    >>> table = owner_table([Cell("Ana", "P1", 8.0, 4.0, True), Cell("Bo", "P1", 0.0, 4.0,
    ...                      False), Cell("Ana", "P2", 2.0, 4.0, False)])
    >>> [row["owner"] for row in table["rows"]], table["phases"][0], table["overloaded"]
    (['Ana', 'Bo'], {'name': 'P1', 'weeks': 4.0}, 1)
    """
    cells: dict[str, list[OwnerLoad]] = {}
    for row in rows:
        cells.setdefault(row.owner, []).append(row)
    first = next(iter(cells.values()), [])
    return {"phases": [{"name": cell.phase, "weeks": cell.phase_weeks} for cell in first],
            "rows": [{"owner": owner, "cells": line} for owner, line in cells.items()],
            "overloaded": sum(1 for line in cells.values() if any(c.overloaded for c in line))}


def owner_table_of(org: Organization, params: PlanParams) -> dict[str, Any]:
    """`owner_table` of the plan of `params`, once per version of the data and parameters
    (shared: never change it)."""
    resolved = params.resolved(org)
    return derived.cached(org, "owner-table", resolved,
                          lambda: owner_table(get_roadmap(org, resolved).owner_load))
