"""The barometer page: trend lines per axis and overall (measured, and projected by the
roadmap), realized against expected uplift, KPI cards, pilot outcomes and each pilot's
effect at each re-assessment (difference-in-differences, with the groups' sizes and the
small-group rule)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from tracker.adapters.charts import figures
from tracker.models import Organization
from tracker.services.decide import pilots
from tracker.services.follow import alignment, barometer, kpis, objectives
from tracker.services.frame import frameworks
from tracker.services.plan import forecast, roadmap
from tracker.web.base import bp, org_page
from tracker.web.follow.objectives import STATUS_BADGES
from tracker.web.labels import KPI_FAMILY_LABELS, OBJECTIVE_STATUS_LABELS, PERIMETER_KIND_LABELS

PILOT_STATUSES = {"planned": _l("planned"), "running": _l("running"),
                  "succeeded": _l("succeeded"), "failed": _l("failed")}
DECISIONS = {"generalize": _l("generalize"), "adjust": _l("adjust"), "stop": _l("stop")}


@bp.get("/orgs/<int:org_id>/barometer", endpoint="barometer")
@login_required
def barometer_page(org_id: int) -> str:
    """Scores over time (projected under the plan in use, or the baseline chosen),
    objectives with their status, uplifts, KPIs by family, pilots and pilot effects of the
    organization."""
    org = org_page(org_id)
    g.active_nav = "barometer"
    baselines = [b.name for b in roadmap.list_baselines(org, 1, 100).items]
    chosen = request.args.get("baseline")
    report = barometer.barometer(org, baseline=chosen if chosen in baselines else None)
    trend, dimension_names = None, {}
    if report.assessments and report.framework_id is not None:  # assessments have one
        framework = frameworks.load_framework(report.framework_id)
        names = frameworks.display_names(framework, str(get_locale() or "en"))
        trend = figures.lines(_series(report, names), (framework.scale_min,
                                                       framework.scale_max), _("Score"),
                              _margins(report))
        dimension_names = names.dimensions
    org_pilots = pilots.org_pilots(org)
    in_use = kpis.kpis_of(org)
    return render_template(
        "follow/barometer.html", org=org, report=report, trend=trend, baselines=baselines,
        uplifts=barometer.uplifts(org), kpis=in_use, pilots=org_pilots,
        kpi_groups=kpis.by_family(in_use), objectives=objectives.objectives_of(org),
        families=KPI_FAMILY_LABELS, perimeters=PERIMETER_KIND_LABELS,
        objective_statuses=OBJECTIVE_STATUS_LABELS, badges=STATUS_BADGES,
        pilot_statuses=PILOT_STATUSES, decisions=DECISIONS,
        effects=barometer.pilot_effects(org, report.framework_id),
        pilot_titles={pilot.id: title for pilot, title in org_pilots},
        assessment_titles={point.id: point.title for point in report.assessments},
        dimension_names=dimension_names,
        groups=barometer.GROUP_LABELS, **_trust(org, report))


def _trust(org: Organization, report: barometer.Barometer) -> dict[str, Any]:
    """What the "trust in the trend" sections need: the alignment trend of the dimensions
    with a known gap (largest latest gap first) with the titles of the initiatives that
    target them, the stalled initiatives today, and the calibration."""
    trend = alignment.alignment(org, report.framework_id)
    return {"gaps": trend.known_gaps(), "initiative_titles": trend.initiative_titles,
            "stalls": forecast.stalled_initiatives(org, date.today()),
            "calibration": report.calibration, "trust_sections": True,
            "calibrated_rows": list(zip(report.projected, report.calibrated, strict=False))}


def _series(report: barometer.Barometer, names: frameworks.DisplayNames,
            ) -> list[tuple[str, list[str], list, bool]]:
    """Measured overall and axis lines, then the projected ones (dashed) from the last
    measured point, so the projection continues the measured line; axes named in the
    page's language."""
    points = report.assessments
    dates = [p.closed_at.date().isoformat() if p.closed_at else "" for p in points]
    measured = [(_("Overall"), dates, [p.overall for p in points], False)]
    axes = [(axis.code, names.axis(axis.code, axis.name)) for axis in points[-1].axes]
    for code, name in axes:
        measured.append((name, dates, [_axis_score(p, code) for p in points], False))
    if not report.projected:
        return measured
    start_date, last = dates[-1], points[-1]
    projected_dates = [start_date, *(str(c["date"]) for c in report.projected)]
    projected = [(_("Overall (projected)"), projected_dates,
                  [last.overall, *(c["overall"] for c in report.projected)], True)]
    for code, name in axes:
        scores = [next((a["score"] for a in c["axes"] if a["code"] == code), None)
                  for c in report.projected]
        projected.append((_("%(axis)s (projected)", axis=name), projected_dates,
                          [_axis_score(last, code), *scores], True))
    return measured + projected


def _margins(report: barometer.Barometer) -> list[list[float | None]]:
    """The ± margins of the measured lines, in `_series`' order (overall, then each axis
    of the last point): the chart's error bars; the projected lines have none."""
    points = report.assessments
    margins = [[p.moves.margin for p in points]]
    for axis in points[-1].axes:
        margins.append([next((a.moves.margin for a in p.axes if a.code == axis.code), None)
                        for p in points])
    return margins


def _axis_score(point: barometer.BarometerPoint, code: str) -> float | None:
    return next((axis.score for axis in point.axes if axis.code == code), None)
