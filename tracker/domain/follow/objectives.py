"""Objective status from its KPIs (DESIGN section 3, "Objective status").

An objective's status reads its KPIs' latest measurements through their on-target flag
("KPI gap"): `on_track` when every KPI that has one is on target, `at_risk` when some are,
`off_track` when none is, `no_data` when no KPI has one. DESIGN read literally: the status is
judged over the measured KPIs only, while `kpis_total` counts every KPI of the objective; a
KPI without a measurement (or without a target, so its on-target flag is null) does not pull
the status down, it only shows as the difference between `kpis_measured` and `kpis_total`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

#: The statuses of an objective, best first.
OBJECTIVE_STATUSES: tuple[str, ...] = ("on_track", "at_risk", "off_track", "no_data")


class ObjectiveStatus(NamedTuple):
    """An objective's status with its counts: KPIs on target, KPIs with an on-target flag
    (measured, with a target) and all its KPIs."""

    status: str
    kpis_on_target: int
    kpis_measured: int
    kpis_total: int


def objective_status(on_target: Iterable[bool | None]) -> ObjectiveStatus:
    """The status of an objective from each of its KPIs' on-target flag (null: no
    measurement or no target).

    >>> objective_status([True, True, None])
    ObjectiveStatus(status='on_track', kpis_on_target=2, kpis_measured=2, kpis_total=3)
    >>> objective_status([True, False])
    ObjectiveStatus(status='at_risk', kpis_on_target=1, kpis_measured=2, kpis_total=2)
    >>> objective_status([False, None]).status, objective_status([None]).status
    ('off_track', 'no_data')
    >>> objective_status([]).status
    'no_data'
    """
    flags = list(on_target)
    measured = [flag for flag in flags if flag is not None]
    hits = sum(1 for flag in measured if flag)
    if not measured:
        status = "no_data"
    elif hits == len(measured):
        status = "on_track"
    elif hits:
        status = "at_risk"
    else:
        status = "off_track"
    return ObjectiveStatus(status, hits, len(measured), len(flags))
