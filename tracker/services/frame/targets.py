"""Targets (the ambition): set them for a framework, all or nothing, and read the latest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import Framework, Organization, Target
from tracker.services.frame import frameworks
from tracker.services.unit_of_work import transaction


def set_targets(org: Organization, framework_id: int, rows: Sequence[Mapping[str, Any]], *,
                valid_from: date | None = None) -> dict[str, float]:
    """Set target levels on a framework's dimensions, valid from today; one bad row rejects all.

    Errors name the row and field (`[2].level`). A target set again on the same day replaces
    that day's level; older targets stay as history. Answers the framework's current targets.
    `valid_from` dates the targets back (a loader of past history, such as the demo, sets
    them from the day its diagnostic opened).
    """
    framework = frameworks.framework_for_org(org.id, framework_id)
    dimensions = frameworks.dimensions_by_code(framework)
    errors = _row_errors(rows, framework, dimensions)
    if errors:
        raise InvalidInput(f"{len(errors)} target field(s) are invalid; nothing was saved.",
                           errors=errors)
    day = valid_from or date.today()
    existing = {t.dimension_id: t for t in db.session.scalars(
        select(Target).where(Target.org_id == org.id, Target.valid_from == day,
                             Target.dimension_id.in_([d.id for d in dimensions.values()])))}
    with transaction() as session:
        for row in rows:
            dimension_id = dimensions[row["dimension"]].id
            target = existing.get(dimension_id)
            if target is None:
                session.add(Target(org_id=org.id, dimension_id=dimension_id, level=row["level"],
                                   valid_from=day))
            else:
                target.level = row["level"]
    return current_targets(org.id, framework)


def framework_targets(org: Organization, framework_id: int) -> dict[str, float]:
    """The organization's current target per dimension code of a framework it may use."""
    return current_targets(org.id, frameworks.framework_for_org(org.id, framework_id))


def current_targets(org_id: int, framework: Framework, on: date | None = None) -> dict[str, float]:
    """Dimension code → target level valid on `on` (today): the latest `valid_from` wins.

    One query, whatever the number of dimensions and of past targets.
    """
    codes = {d.id: code for code, d in frameworks.dimensions_by_code(framework).items()}
    rows = db.session.execute(
        select(Target.dimension_id, Target.level)
        .where(Target.org_id == org_id, Target.dimension_id.in_(list(codes)),
               Target.valid_from <= (on or date.today()))
        .order_by(Target.valid_from, Target.id))
    return {codes[r.dimension_id]: r.level for r in rows}


def _row_errors(rows: Sequence[Mapping[str, Any]], framework: Framework,
                dimensions: Mapping[str, Any]) -> dict[str, list[str]]:
    low, high = framework.scale_min, framework.scale_max
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, row in enumerate(rows):
        code, level = row["dimension"], row["level"]
        if code not in dimensions:
            errors[f"[{index}].dimension"] = [f"Unknown dimension code {code!r}."]
        elif code in seen:
            errors[f"[{index}].dimension"] = [f"{code} is given twice."]
        seen.add(code)
        if not low <= level <= high:
            errors[f"[{index}].level"] = [f"{level:g} is outside the scale {low:g}–{high:g}."]
    return errors


def rows_with_axis_levels(framework: Framework, dimension_levels: Mapping[str, float],
                          axis_levels: Mapping[str, float]) -> list[dict[str, Any]]:
    """Rows for `set_targets` from a grid form: each axis level given applies to every
    dimension of that axis, in place of the dimension's own; other dimensions keep the
    level given for them (none given: no row, the target stays)."""
    rows: list[dict[str, Any]] = []
    for axis in framework.axes:
        for dimension in axis.dimensions:
            level = axis_levels.get(axis.code, dimension_levels.get(dimension.code))
            if level is not None:
                rows.append({"dimension": dimension.code, "level": level})
    return rows


def target_errors(org: Organization, framework_id: int,
                  rows: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """What `set_targets` would refuse in `rows` (by `[index].field`), without saving: a
    form reports these together with its own errors in one submission."""
    framework = frameworks.framework_for_org(org.id, framework_id)
    return _row_errors(rows, framework, frameworks.dimensions_by_code(framework))
