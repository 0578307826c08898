"""The words of the product's vocabulary as people read them, translated (lazy, so each
request gets its own language): statuses, kinds, classes and fields, shared by every page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

INITIATIVE_STATUS_LABELS = {"proposed": _l("proposed"), "approved": _l("approved"),
                 "in_progress": _l("in progress"), "piloting": _l("piloting"),
                 "done": _l("done"), "dropped": _l("dropped")}
CLASS_LABELS = {"quick_win": _l("quick win"), "structural_lever": _l("structural lever"),
                "standard": _l("standard")}
QUADRANT_LABELS = {"quick_win": _l("quick win"), "big_bet": _l("big bet"),
                   "fill_in": _l("fill-in"), "money_pit": _l("money pit")}
METHOD_LABELS = {"wsjf": "WSJF", "rice": "RICE", "ice": "ICE", "scorecard": _l("Scorecard"),
                 "gap": _l("Target gap")}
FIELD_LABELS = {"title": _l("Title"), "description": _l("Description"), "status": _l("Status"),
                "owner": _l("Owner"), "duration_weeks": _l("Duration (weeks)"),
                "load": _l("Load (capacity points)"), "business_value": _l("Business value"),
                "time_criticality": _l("Time criticality"),
                "risk_reduction": _l("Risk reduction"), "job_size": _l("Job size"),
                "reach": _l("Reach"), "impact": _l("Impact"), "confidence": _l("Confidence"),
                "effort": _l("Effort"), "ease": _l("Ease"),
                "class_override": _l("Class override"), "pinned_start": _l("Pinned start"),
                "actual_start": _l("Actual start"), "actual_end": _l("Actual end"),
                "uplifts": _l("Expected uplifts"),
                "estimate_optimistic": _l("Optimistic (weeks)"),
                "estimate_likely": _l("Most likely (weeks)"),
                "estimate_pessimistic": _l("Pessimistic (weeks)")}
PILOT_STATUS_LABELS = {"planned": _l("planned"), "running": _l("running"),
                       "succeeded": _l("succeeded"), "failed": _l("failed")}
DECISION_LABELS = {"generalize": _l("generalize"), "adjust": _l("adjust"), "stop": _l("stop")}
BACKLOG_LABELS = {"status": INITIATIVE_STATUS_LABELS, "class": CLASS_LABELS,
                  "quadrant": QUADRANT_LABELS, "method": METHOD_LABELS, "field": FIELD_LABELS,
                  "pilot_status": PILOT_STATUS_LABELS, "decision": DECISION_LABELS}
#: Why the roadmap leaves an initiative out (`tracker.domain.roadmap.UNPLANNED_REASONS`).
UNPLANNED_REASON_LABELS = {"no_duration": _l("no duration yet"),
                           "depends_on_unplanned": _l("waits for an initiative left out")}

COMMITTEE_LABELS = {"strategic": _l("strategic"), "portfolio": _l("portfolio"),
                    "operational": _l("operational")}
LOG_KIND_LABELS = {"decision": _l("committee"), "pilot": _l("pilot")}

ASSESSMENT_STATUS_LABELS = {"draft": _l("draft"), "open": _l("open"), "closed": _l("closed")}
ASSESSMENT_KIND_LABELS = {"diagnostic": _l("diagnostic"), "pulse": _l("pulse")}
FINDING_KINDS = {"strength": _l("strength"), "gap": _l("gap"), "tension": _l("tension"),
                 "blind_spot": _l("blind spot")}
FINDING_STATUSES = {"suggested": _l("suggested"), "accepted": _l("accepted"),
                    "dismissed": _l("dismissed")}
ATTRIBUTE_LABELS = {"role": _l("role"), "team": _l("team"), "level": _l("level"),
                    "source": _l("source"), "perspective": _l("perspective")}
DIAGNOSTIC_LABELS = {"status": ASSESSMENT_STATUS_LABELS, "kind": ASSESSMENT_KIND_LABELS,
                     "finding_kind": FINDING_KINDS, "finding_status": FINDING_STATUSES,
                     "attribute": ATTRIBUTE_LABELS}

PLAN_SETTING_LABELS = {"plan_start": _l("Start date"), "plan_capacity": _l("Initiatives at once"),
                       "plan_points": _l("Points per week")}

ROLE_LABELS = {"viewer": _l("viewer"), "contributor": _l("contributor"), "ops": _l("ops"),
               "lead": _l("lead")}
#: The audit log's actions and records, as its page shows them.
AUDIT_ACTION_LABELS = {
    "create": _l("created"), "update": _l("changed"), "delete": _l("deleted"),
    "archive": _l("archived"), "restore": _l("restored"), "rate": _l("rated"),
    "reopen": _l("reopened"), "open": _l("opened"), "close": _l("closed"),
    "invite": _l("invited"), "uninvite": _l("invitation cancelled"),
    "join": _l("invitation accepted"), "add": _l("added"), "role": _l("role changed"),
    "remove": _l("removed"), "settings": _l("settings changed"), "signin": _l("signed in"),
    "export": _l("exported"), "import": _l("imported"), "merge": _l("merged"),
    "unrate": _l("rater removed"), "plan": _l("dates planned")}
AUDIT_ENTITY_LABELS = {
    "initiative": _l("initiative"), "pilot": _l("pilot"), "dependency": _l("dependency"),
    "assessment": _l("assessment"), "member": _l("member"), "invitation": _l("invitation"),
    "organization": _l("organization"), "user": _l("user"), "finding": _l("finding"),
    "objective": _l("objective")}
#: A verbatim's tone and source, as the evidence pages show them.
EVIDENCE_LABELS = {
    "tone": {"strength": _l("strength"), "pain": _l("pain"), "neutral": _l("neutral")},
    "source": {"interview": _l("interview"), "document": _l("document review"),
               "observation": _l("observation"), "survey": _l("survey")}}

#: The one definition of each of DESIGN's two target measures, shown under or beside the figure
#: on every page, report and email that shows it (a Jinja global, `TARGET_MEASURE_HELP`).
TARGET_MEASURE_HELP = {
    "progress_to_target": _l("Progress to target: the share of the way from the first "
                             "measured score to the target covered since, (current − first) "
                             "/ (target − first)."),
    "percent_to_target": _l("Percent to target: how close the scores are to their targets "
                            "today, 1 − the sum of the gaps to target / the sum of the "
                            "targets, over the dimensions that have a target."),
}

#: What each prioritization input means and on which scale, shown beside the field wherever
#: it is typed (the initiative form, a rater's inputs); the bounds are the domain's
#: (`tracker.domain.prioritization.validate_inputs`).
INPUT_HINTS = {
    "business_value": _l("WSJF: value to the business, relative; e.g. 1, 2, 3, 5, 8, 13, 20."),
    "time_criticality": _l("WSJF: how fast the value decays if we wait; same relative scale."),
    "risk_reduction": _l("WSJF: risk reduced or opportunity enabled; same relative scale."),
    "job_size": _l("WSJF: size of the work, relative, above 0 (the effort of the score)."),
    "reach": _l("RICE: people or teams reached per quarter (a count, 0 or more)."),
    "impact": _l("RICE and ICE: impact per person reached: 0.25 minimal, 0.5 low, 1 medium, "
                 "2 high, 3 massive."),
    "confidence": _l("RICE and ICE: confidence in the estimates, from 0 to 1 (0.8 = 80 %)."),
    "effort": _l("RICE and target gap: person-months of work, above 0."),
    "ease": _l("ICE: ease of doing it, from 1 (very hard) to 10 (trivial)."),
}

#: What a KPI measures, its perimeter's kind and an objective's status, as pages, the
#: barometer's email and the report show them (issue 17).
KPI_FAMILY_LABELS = {"adoption": _l("adoption"), "business": _l("business"),
                     "quality": _l("quality"), "flow": _l("flow"), "planning": _l("planning"),
                     "maturity": _l("maturity"), "people": _l("people")}
PERIMETER_KIND_LABELS = {"organization": _l("whole organization"), "team": _l("team"),
                         "value_stream": _l("value stream")}
OBJECTIVE_STATUS_LABELS = {"on_track": _l("on track"), "at_risk": _l("at risk"),
                           "off_track": _l("off track"), "no_data": _l("no data")}
#: A pilot criterion's verdict (`tracker.domain.follow.pilot_criteria.VERDICTS`).
VERDICT_LABELS = {"met": _l("met"), "not_met": _l("not met"), "no_data": _l("no data")}
#: The sections of a committee's meeting pack (`tracker.services.follow.committee_pack`).
PACK_SECTION_LABELS = {"pilots_awaiting_decision": _l("Pilots awaiting a decision"),
                       "blocked_initiatives": _l("Blocked initiatives"),
                       "stalled_initiatives": _l("Stalled initiatives"),
                       "kpis_off_target": _l("KPIs off target"),
                       "slips": _l("Slips against the baseline"),
                       "findings_without_initiative": _l("Findings no initiative answers"),
                       "decisions_since": _l("Decisions since the last meeting"),
                       "owner_overloads": _l("Overloaded owners")}
#: The dossier of a decision (`tracker.services.decide.decisions.DOSSIER`).
DOSSIER_LABELS = {"context": _l("Context"), "options": _l("Options considered"),
                  "risks": _l("Risks"), "portfolio_impact": _l("Portfolio impact"),
                  "success_indicators": _l("Success indicators")}
