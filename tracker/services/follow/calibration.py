"""Calibration: do finished initiatives deliver the uplift they were expected to? The ratio
of realized to expected uplift over finished initiatives, overall and per playbook template
(DESIGN section 3, "Calibration"), which tempers the next projection."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from tracker.domain.follow.trend import Calibration, calibrate
from tracker.extensions import db
from tracker.models import Initiative, Organization

if TYPE_CHECKING:  # the barometer projects with the calibration: no import cycle at run time
    from tracker.services.follow.barometer import UpliftReport


@dataclass(frozen=True)
class TemplateCalibration:
    """The calibration of the finished initiatives adopted from one playbook template."""

    code: str
    calibration: Calibration

    @property
    def ratio(self) -> float | None:
        return self.calibration.ratio

    @property
    def n(self) -> int:
        return self.calibration.n

    @property
    def factor(self) -> float | None:
        return self.calibration.factor


@dataclass(frozen=True)
class CalibrationReport:
    """The calibration over every finished initiative of the barometer's framework, and per
    template (templates in code order; initiatives written by hand count only overall)."""

    framework_id: int | None
    overall: Calibration
    templates: list[TemplateCalibration]
    note: str

    @property
    def ratio(self) -> float | None:
        return self.overall.ratio

    @property
    def n(self) -> int:
        return self.overall.n

    @property
    def factor(self) -> float | None:
        """The multiplier of expected uplifts in the calibrated projection, or none."""
        return self.overall.factor


def calibration_of(org: Organization, report: UpliftReport) -> CalibrationReport:
    """Realized against expected uplift of the done initiatives of `report` (the
    barometer's `uplifts`), on the (initiative, dimension) pairs where both are known; the
    same association caution as the uplifts."""
    ids = [item.initiative_id for item in report.initiatives]
    templates: dict[int, str | None] = dict(db.session.execute(
        select(Initiative.id, Initiative.template_code)
        .where(Initiative.org_id == org.id, Initiative.id.in_(ids))).all())
    pairs: list[tuple[float | None, float | None]] = []
    by_template: dict[str, list[tuple[float | None, float | None]]] = defaultdict(list)
    for item in report.initiatives:
        own = [(dim.realized, dim.expected) for dim in item.dimensions]
        pairs.extend(own)
        code = templates.get(item.initiative_id)
        if code:
            by_template[code].extend(own)
    return CalibrationReport(
        report.framework_id, calibrate(pairs),
        [TemplateCalibration(code, calibrate(values))
         for code, values in sorted(by_template.items())], report.note)
