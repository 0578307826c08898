"""The diagnostic report of an assessment: scores by axis and dimension with their 95 %
intervals (radar, heatmap), perceptions, the leaders–teams alignment trend across the grid's
closed assessments, the qualitative synthesis (findings root causes first, with their verbatims),
the ambition, the prioritized backlog, the pilot scopes and the trajectory, as one
standalone HTML document (images inline) or as PDF.

Anonymity: groups come from the perception services, which hide groups below the
organization's `min_group_size`; verbatims show their source only, never a respondent.
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.adapters import pdf
from tracker.adapters.charts import png as charts
from tracker.adapters.report import render
from tracker.domain.constants import LOCALES, REPORT_FORMATS
from tracker.domain.errors import InvalidInput, NotFound, TrackerError
from tracker.extensions import db
from tracker.models import Assessment, Finding, Framework, Initiative, Organization, Pilot
from tracker.services.decide import backlog, decisions, pilots, suggestions
from tracker.services.diagnose import perception, root_causes
from tracker.services.diagnose.radar import AxisRadar, axis_radar
from tracker.services.diagnose.scores import assessment_scores, scored_assessment
from tracker.services.follow import alignment, objectives
from tracker.services.frame import frameworks
from tracker.services.observe import evidence
from tracker.services.plan import roadmap, trajectory

PERCEPTION_ATTRIBUTES = ("team", "role")


def check_lang(lang: str | None) -> None:
    """Refuse a language the report is not written in."""
    if lang is not None and lang not in LOCALES:
        raise InvalidInput(f"Unknown language {lang!r}.",
                           errors={"lang": [f"Must be one of: {', '.join(LOCALES)}."]})


def report_language(org: Organization, lang: str | None) -> str:
    """The language the report is written in: `lang` when asked, else the organization's
    (DESIGN section 9), else English."""
    check_lang(lang)
    return lang or (org.locale if org.locale in LOCALES else "en")


def report_html(org: Organization, assessment_id: int, lang: str | None = None) -> str:
    """The report as one standalone HTML page in `lang` (default: the organization's
    language): its words, and the grid's names where the grid is translated."""
    locale = report_language(org, lang)
    with force_locale(locale):
        return render("report.html", **_context(org, assessment_id, locale))


def report_pdf(org: Organization, assessment_id: int, lang: str | None = None) -> bytes:
    """The report printed to PDF; `PdfUnavailable` (501) where Chromium is missing."""
    pdf.require()
    return pdf.html_to_pdf(report_html(org, assessment_id, lang))


def report(org: Organization, assessment_id: int, fmt: str = "html",
           lang: str | None = None) -> tuple[bytes, str, str]:
    """The report as `(content, mimetype, filename)` in `fmt` (`html` or `pdf`)."""
    if fmt not in REPORT_FORMATS:
        raise InvalidInput(f"Unknown format {fmt!r}.",
                           errors={"format": [f"Must be one of: {', '.join(REPORT_FORMATS)}."]})
    name = f"report-{assessment_id}.{fmt}"
    if fmt == "pdf":
        return report_pdf(org, assessment_id, lang), "application/pdf", name
    return (report_html(org, assessment_id, lang).encode("utf-8"),
            "text/html; charset=utf-8", name)


def report_for_org_id(org_id: int, assessment_id: int, fmt: str,
                      lang: str | None) -> tuple[bytes, str, str]:
    """The CLI's report: an organization by id (the instance acts), in `lang` (default:
    the organization's language)."""
    org = db.session.get(Organization, org_id)
    if org is None:
        raise NotFound(f"Organization {org_id} not found.")
    return report(org, assessment_id, fmt, lang)


# Sections ----------------------------------------------------------------------------------

def _context(org: Organization, assessment_id: int, locale: str) -> dict[str, Any]:
    """What the report's template shows, the grid's names in `locale`. Each thing is
    computed once: the assessment scored once and its grid passed down to the perception
    sections, the backlog and the plan from the organization's derived state (computed once
    per version of its data, `tracker.services.derived`)."""
    scored = scored_assessment(org, assessment_id, locale)
    assessment, framework = scored.assessment, scored.framework
    grid = perception.grid_from(scored)
    scale = (framework.scale_min, framework.scale_max)
    scores = assessment_scores(org, assessment.id, locale)
    names = {d["code"]: d["name"] for axis in scores["axes"] for d in axis["dimensions"]}
    perceptions = {by: {"by": by, "min_group_size": org.min_group_size,
                        "threshold": org.perception_gap_threshold,
                        "dimensions": perception.dimension_gaps(org, grid, by)}
                   for by in PERCEPTION_ATTRIBUTES}
    return {"lang": locale, "org": org, "assessment": assessment,
            "framework": framework,
            "framework_name": frameworks.display_names(framework, locale).framework,
            "scores": scores, "names": names,
            "min_group_size": org.min_group_size,
            "radar": _radar(axis_radar(org, scored), scale),
            "heatmap": _heatmap(scores, perceptions["team"], scale),
            "perceptions": _perception_tables(perceptions, names),
            "perspectives": perception.cross_assessment(org, assessment.id, grid),
            "alignment": alignment.alignment(org, code=framework.code),
            "readiness": suggestions.readiness_for(org, assessment.id, names),
            "findings": _findings(org, assessment.id),
            "verbatims": _verbatims(org, assessment.id, scores),
            "ambition": [d for axis in scores["axes"] for d in axis["dimensions"]
                         if d["target"] is not None],
            "objectives": objectives.objectives_of(org),
            "backlog": _backlog(org), "pilots": _pilots(org),
            "decisions": decisions.log_entries(org, {}),
            "trajectory": _trajectory(org, framework, assessment)}


def _radar(radar: AxisRadar, scale: tuple[float, float]) -> str | None:
    """The dashboard's radar (current, target, previous assessment) as an inline image."""
    if len(radar.names) < 3:
        return None
    return charts.data_uri(charts.radar_chart(radar.names, radar.series, scale,
                                              _("Maturity by axis")))


def _heatmap(scores: dict[str, Any], by_team: dict[str, Any],
             scale: tuple[float, float]) -> str:
    """Dimension scores overall and by team (only the teams the perception service shows)."""
    teams = sorted({g.name for gap in by_team["dimensions"] for g in gap.groups})
    means = {(gap.dimension, g.name): g.mean for gap in by_team["dimensions"]
             for g in gap.groups}
    dims = [d for axis in scores["axes"] for d in axis["dimensions"]]
    values = [[d["score"], *(means.get((d["code"], t)) for t in teams)] for d in dims]
    return charts.data_uri(charts.heatmap_chart([d["name"] for d in dims],
                                                [_("All"), *teams], values, scale,
                                                _("Maturity by dimension and team")))


def _perception_tables(perceptions: dict[str, dict[str, Any]],
                       names: dict[str, str]) -> list[dict[str, Any]]:
    tables = []
    for by, result in perceptions.items():
        groups = sorted({g.name for gap in result["dimensions"] for g in gap.groups})
        rows = [{"name": names.get(gap.dimension, gap.dimension), "gap": gap.gap,
                 "flagged": gap.flagged, "hidden": gap.hidden_groups,
                 "means": [next((g.mean for g in gap.groups if g.name == name), None)
                           for name in groups]}
                for gap in result["dimensions"]]
        tables.append({"by": by, "groups": groups, "rows": rows})
    return tables


def _findings(org: Organization, assessment_id: int) -> list[dict[str, Any]]:
    """The assessment's findings (not dismissed), root causes first, with their verbatims
    (text, source and tone only: never who said it)."""
    loaded = {f.id: f for f in db.session.scalars(
        select(Finding).where(Finding.org_id == org.id, Finding.assessment_id == assessment_id,
                              Finding.status != "dismissed")
        .options(selectinload(Finding.evidence)))}
    ordered = [view for view in root_causes.findings_root_causes_first(org)
               if view["id"] in loaded]
    titles = {view["id"]: view["title"] for view in ordered}
    return [{"kind": view["kind"], "title": view["title"],
             "description": loaded[view["id"]].description,
             "root_causes": [titles[i] for i in view["root_causes"] if i in titles],
             "symptoms": [titles[i] for i in view["symptoms"] if i in titles],
             "evidence": [{"text": e.text, "source": e.source, "tone": e.tone}
                          for e in sorted(loaded[view["id"]].evidence, key=lambda e: e.id)]}
            for view in ordered]


def _verbatims(org: Organization, assessment_id: int,
               scores: dict[str, Any]) -> dict[str, Any]:
    """Every verbatim of the assessment by axis and dimension, in the grid's order, cited by
    a finding or not (dimensions without one are left out), and those on no dimension."""
    grouped = evidence.verbatims_by_dimension(org, assessment_id)
    axes = [{"name": axis["name"], "dimensions": [
                {"name": d["name"], "quotes": grouped[d["code"]]}
                for d in axis["dimensions"] if d["code"] in grouped]}
            for axis in scores["axes"]]
    return {"axes": [axis for axis in axes if axis["dimensions"]],
            "unattached": grouped.get(None, [])}


def _backlog(org: Organization) -> dict[str, Any]:
    """The backlog page's default view: the initiatives still to do, ranked by the same
    service with the organization's method, in rank order (their class beside them), so
    the report's ranks and order are the page's."""
    try:
        ranked = backlog.ranked_backlog(org)
    except TrackerError as error:
        return {"method": org.default_method, "error": error.detail, "items": []}
    return {"method": ranked.method, "error": None, "items": ranked.items}


def _pilots(org: Organization) -> list[dict[str, Any]]:
    rows = db.session.execute(select(Pilot, Initiative.title)
                              .join(Initiative, Initiative.id == Pilot.initiative_id)
                              .where(Pilot.org_id == org.id).order_by(Pilot.start, Pilot.id)
                              ).all()
    judged = pilots.criteria_summaries(org, [pilot for pilot, _title in rows])
    return [{"initiative": title, "teams": pilot.teams, "value_stream": pilot.value_stream,
             "hypothesis": pilot.hypothesis, "success_criteria": pilot.success_criteria,
             "start": pilot.start, "end": pilot.end, "status": pilot.status,
             "decision": pilot.decision, **judged[pilot.id]} for pilot, title in rows]


def _trajectory(org: Organization, framework: Framework,
                assessment: Assessment) -> dict[str, Any]:
    """Roadmap phases under the plan in use, what that plan leaves out, and the scores
    projected from this assessment's own (so "measured" is this assessment's score, not the
    latest closed one's); a plan or a projection that cannot be computed (pinned dates
    that conflict, an assessment not closed yet) becomes a sentence."""
    choice = trajectory.plan_in_use(org)
    result: dict[str, Any] = {"plan": None, "phases": [], "unplanned": [], "checkpoints": [],
                              "plan_error": None, "projection_error": None,
                              "measured_overall": None}
    try:
        planned = roadmap.get_roadmap(org, choice.params)
    except TrackerError as error:
        result["plan_error"] = error.detail
        return result
    result.update(plan=choice.describe(planned.start), phases=planned.phases,
                  unplanned=planned.unplanned)
    try:
        projected = trajectory.project(org, framework, assessment, choice, planned)
    except TrackerError as error:
        result["projection_error"] = error.detail
        return result
    result.update(checkpoints=projected["checkpoints"],
                  measured_overall=projected["measured_overall"])
    return result
