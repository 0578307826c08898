"""The diagnostic report of an assessment: scores by axis and dimension with their 95 %
intervals (radar, heatmap), perceptions, the leaders–teams alignment trend across the grid's
closed assessments, the qualitative synthesis (findings root causes first, with their verbatims),
the ambition, the prioritized backlog, the pilot scopes and the trajectory, as one
standalone HTML document (images inline) or as PDF.

Anonymity: groups come from the perception services, which hide groups below the
organization's `min_group_size`; verbatims show their source only, never a respondent.

A document a lead hands to a sponsor, at any size: each long section shows its head and
counts the rest, with a link to the page that lists it all (the top `BACKLOG_SHOWN` of the
ranked backlog and its counts per class, the first `QUICK_WINS_SHOWN` quick wins, the
phases' counts and the critical chain instead of every planned item, `QUOTES_SHOWN`
verbatims per dimension and per finding, the latest `DECISIONS_SHOWN` decisions). The
backlog and the plan are the organization's derived state, and the two charts are drawn
once per version of its data and language (`tracker.services.derived`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.adapters import pdf
from tracker.adapters.charts import png as charts
from tracker.adapters.charts.compact import compact_png
from tracker.adapters.report import render
from tracker.domain.constants import LOCALES, REPORT_FORMATS
from tracker.domain.errors import InvalidInput, NotFound, TrackerError
from tracker.extensions import db
from tracker.models import Assessment, Finding, Framework, Initiative, Organization, Pilot
from tracker.services import derived
from tracker.services.decide import backlog, decisions, pilots, suggestions
from tracker.services.diagnose import perception, root_causes
from tracker.services.diagnose.radar import AxisRadar, axis_radar
from tracker.services.diagnose.scores import assessment_scores, scored_assessment
from tracker.services.follow import alignment, objectives
from tracker.services.frame import frameworks
from tracker.services.observe import evidence
from tracker.services.plan import roadmap, trajectory

PERCEPTION_ATTRIBUTES = ("team", "role")
#: The head of each long section the report shows (the rest is counted and linked).
BACKLOG_SHOWN = 20
QUICK_WINS_SHOWN = 10
QUOTES_SHOWN = 5
DECISIONS_SHOWN = 20
CHAIN_SHOWN = 20
LEFT_OUT_SHOWN = 10
#: The initiatives named beside an alignment gap or a readiness check, and the latest
#: closed assessments the alignment table has a column for (its trend reads them all).
NAMES_SHOWN = 5
ALIGNMENT_COLUMNS = 8


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
    per version of its data, `tracker.services.derived`), the perception gaps and the charts
    likewise."""
    scored = scored_assessment(org, assessment_id, locale)
    assessment, framework = scored.assessment, scored.framework
    grid = perception.grid_from(scored)
    scale = (framework.scale_min, framework.scale_max)
    scores = assessment_scores(org, assessment.id, locale)
    names = {d["code"]: d["name"] for axis in scores["axes"] for d in axis["dimensions"]}
    gaps, perspectives = derived.cached(
        org, "report-perceptions", (assessment.id, locale),
        lambda: ({by: perception.dimension_gaps(org, grid, by) for by in PERCEPTION_ATTRIBUTES},
                 perception.cross_assessment(org, assessment.id, grid)))
    perceptions = {by: {"by": by, "min_group_size": org.min_group_size,
                        "threshold": org.perception_gap_threshold, "dimensions": gaps[by]}
                   for by in PERCEPTION_ATTRIBUTES}
    radar, heatmap = derived.cached(
        org, "report-charts", (assessment.id, locale),
        lambda: (_radar(axis_radar(org, scored), scale),
                 _heatmap(scores, perceptions["team"], scale)))
    base_url = f"{current_app.config['TRACKER_BASE_URL'].rstrip('/')}/orgs/{org.id}"
    entries = decisions.log_entries(org, {})
    return {"lang": locale, "org": org, "assessment": assessment,
            "framework": framework,
            "framework_name": frameworks.display_names(framework, locale).framework,
            "scores": scores, "names": names,
            "min_group_size": org.min_group_size,
            "radar": radar, "heatmap": heatmap,
            "perceptions": _perception_tables(perceptions, names),
            "perspectives": perspectives,
            "alignment": alignment.alignment(org, code=framework.code),
            "readiness": suggestions.readiness_for(org, assessment.id, names),
            "findings": _findings(org, assessment.id),
            "verbatims": _verbatims(org, assessment.id, scores),
            "ambition": [d for axis in scores["axes"] for d in axis["dimensions"]
                         if d["target"] is not None],
            "objectives": objectives.objectives_of(org),
            "backlog": _backlog(org, base_url), "pilots": _pilots(org),
            "decisions": entries[:DECISIONS_SHOWN], "decisions_total": len(entries),
            "trajectory": _trajectory(org, framework, assessment),
            "urls": {"decisions": f"{base_url}/decisions", "roadmap": f"{base_url}/roadmap",
                     "unplanned": f"{base_url}/roadmap/unplanned"},
            "shown": {"names": NAMES_SHOWN, "alignment_columns": ALIGNMENT_COLUMNS,
                      "left_out": LEFT_OUT_SHOWN}}


def _radar(radar: AxisRadar, scale: tuple[float, float]) -> str | None:
    """The dashboard's radar (current, target, previous assessment) as an inline image."""
    if len(radar.names) < 3:
        return None
    return charts.data_uri(compact_png(charts.radar_chart(radar.names, radar.series, scale,
                                                          _("Maturity by axis"))))


def _heatmap(scores: dict[str, Any], by_team: dict[str, Any],
             scale: tuple[float, float]) -> str:
    """Dimension scores overall and by team (only the teams the perception service shows)."""
    teams = sorted({g.name for gap in by_team["dimensions"] for g in gap.groups})
    means = {(gap.dimension, g.name): g.mean for gap in by_team["dimensions"]
             for g in gap.groups}
    dims = [d for axis in scores["axes"] for d in axis["dimensions"]]
    values = [[d["score"], *(means.get((d["code"], t)) for t in teams)] for d in dims]
    return charts.data_uri(compact_png(charts.heatmap_chart(
        [d["name"] for d in dims], [_("All"), *teams], values, scale,
        _("Maturity by dimension and team"))))


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
    """The assessment's findings (not dismissed), root causes first, each with its first
    `QUOTES_SHOWN` verbatims (text, source and tone only: never who said it) and how many
    more it cites."""
    loaded = {f.id: f for f in db.session.scalars(
        select(Finding).where(Finding.org_id == org.id, Finding.assessment_id == assessment_id,
                              Finding.status != "dismissed")
        .options(selectinload(Finding.evidence)))}
    ordered = [view for view in root_causes.findings_root_causes_first(org)
               if view["id"] in loaded]
    titles = {view["id"]: view["title"] for view in ordered}
    found = []
    for view in ordered:
        cited = sorted(loaded[view["id"]].evidence, key=lambda e: e.id)
        found.append({
            "kind": view["kind"], "title": view["title"],
            "description": loaded[view["id"]].description,
            "root_causes": [titles[i] for i in view["root_causes"] if i in titles],
            "symptoms": [titles[i] for i in view["symptoms"] if i in titles],
            "evidence": [{"text": e.text, "source": e.source, "tone": e.tone}
                         for e in cited[:QUOTES_SHOWN]],
            "more_evidence": max(0, len(cited) - QUOTES_SHOWN)})
    return found


def _verbatims(org: Organization, assessment_id: int,
               scores: dict[str, Any]) -> dict[str, Any]:
    """The assessment's verbatims by axis and dimension, in the grid's order, cited by a
    finding or not (dimensions without one are left out), and those on no dimension: the
    first `QUOTES_SHOWN` of each, and how many more there are."""
    grouped = evidence.verbatims_by_dimension(org, assessment_id)
    axes = [{"name": axis["name"], "dimensions": [
                {"name": d["name"], **_head(grouped[d["code"]], QUOTES_SHOWN)}
                for d in axis["dimensions"] if d["code"] in grouped]}
            for axis in scores["axes"]]
    return {"axes": [axis for axis in axes if axis["dimensions"]],
            "unattached": _head(grouped.get(None, []), QUOTES_SHOWN)}


def _head(quotes: list[dict[str, str]], shown: int) -> dict[str, Any]:
    """The first `shown` quotes, how many there are and how many are not shown."""
    return {"quotes": quotes[:shown], "total": len(quotes),
            "more": max(0, len(quotes) - shown)}


def _backlog(org: Organization, base_url: str) -> dict[str, Any]:
    """The head of the backlog page's default view: the initiatives still to do, ranked by
    the same service with the organization's method (so the report's ranks and order are
    the page's), the first `BACKLOG_SHOWN` of them, how many there are in all and per
    class, and the first `QUICK_WINS_SHOWN` quick wins."""
    links = {"url": f"{base_url}/backlog", "quick_wins_url": f"{base_url}/backlog?class=quick_win"}
    try:
        ranked = backlog.ranked_backlog(org)
    except TrackerError as error:
        return {"method": org.default_method, "error": error.detail, "items": [], "total": 0,
                "more": 0, "classes": {}, "quick_wins": [], **links}
    items = ranked.items
    classes = Counter(item.class_ for item in items)
    quick_wins: list[backlog.BacklogItem] = []
    for item in items:
        if len(quick_wins) == QUICK_WINS_SHOWN:
            break
        if item.class_ == "quick_win":
            quick_wins.append(item)
    return {"method": ranked.method, "error": None, "items": items[:BACKLOG_SHOWN],
            "total": len(items), "more": max(0, len(items) - BACKLOG_SHOWN),
            "classes": dict(classes), "quick_wins": quick_wins, **links}


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
    """Roadmap phases under the plan in use with how many initiatives each holds, the
    critical chain, what that plan leaves out, and the scores projected from this
    assessment's own (so "measured" is this assessment's score, not the latest closed
    one's); a plan or a projection that cannot be computed (pinned dates that conflict, an
    assessment not closed yet) becomes a sentence."""
    choice = trajectory.plan_in_use(org)
    result: dict[str, Any] = {"plan": None, "phases": [], "unplanned": [], "checkpoints": [],
                              "plan_error": None, "projection_error": None,
                              "measured_overall": None}
    try:
        planned = roadmap.get_roadmap(org, choice.params)
    except TrackerError as error:
        result["plan_error"] = error.detail
        return result
    result.update(plan=choice.describe(planned.start), unplanned=planned.unplanned,
                  **_plan_summary(planned))
    try:
        projected = trajectory.project(org, framework, assessment, choice, planned)
    except TrackerError as error:
        result["projection_error"] = error.detail
        return result
    result.update(checkpoints=projected["checkpoints"],
                  measured_overall=projected["measured_overall"])
    return result


def _plan_summary(planned: roadmap.Roadmap) -> dict[str, Any]:
    """The plan as counts: the phases with how many planned initiatives end in each, those
    in no phase, the critical chain's first `CHAIN_SHOWN` titles, its length and weeks."""
    per_phase = Counter(entry.phase for entry in planned.initiatives)
    chain = list(planned.critical_path.get("initiative_ids") or [])
    wanted = set(chain[:CHAIN_SHOWN])
    titles = {e.initiative_id: e.title for e in planned.initiatives if e.initiative_id in wanted}
    return {"phases": [{"name": p.name, "start": p.start, "end": p.end,
                        "count": per_phase.get(p.name, 0)} for p in planned.phases],
            "planned": len(planned.initiatives), "outside_phases": per_phase.get(None, 0),
            "end": planned.end if planned.initiatives else None,
            "chain": [titles.get(i, str(i)) for i in chain[:CHAIN_SHOWN]],
            "chain_total": len(chain), "chain_more": max(0, len(chain) - CHAIN_SHOWN),
            "chain_weeks": planned.critical_path.get("duration_weeks")}
