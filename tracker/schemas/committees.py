"""Committee schemas: a committee's settings, and its meeting pack for a date."""

from __future__ import annotations

from marshmallow import fields, validate

from tracker.models.decisions import COMMITTEES
from tracker.schemas.common import Email, Id, Line, Schema, TimeZone

PACK_FORMATS = ("json", "pdf")


class CommitteeSchema(Schema):
    id = Id(dump_only=True)
    name = Line(required=True, validate=validate.Length(min=1, max=200))
    level = fields.String(required=True, validate=validate.OneOf(COMMITTEES), metadata={
        "description": "strategic, portfolio or operational"})
    cron = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100),
                         metadata={"description": "The meeting cadence: a five-field cron "
                                                  "expression (1 = Monday); null when the "
                                                  "committee meets when convened"})
    timezone = TimeZone(load_default=None, allow_none=True, metadata={
        "description": "IANA time zone of the meetings; default: the organization's"})
    member_emails = fields.List(Email(), load_default=list, metadata={
        "description": "Who receives the meeting pack"})
    next_meetings = fields.List(fields.DateTime(), dump_only=True, metadata={
        "description": "The next meetings by the cadence, in the committee's time zone"})
    created_at = fields.DateTime(dump_only=True)


class CommitteePatchSchema(Schema):
    name = Line(validate=validate.Length(min=1, max=200))
    level = fields.String(validate=validate.OneOf(COMMITTEES))
    cron = fields.String(allow_none=True, validate=validate.Length(max=100))
    timezone = TimeZone(allow_none=True)
    member_emails = fields.List(Email())


class PackArgsSchema(Schema):
    date = fields.Date(metadata={"description": "The meeting date (YYYY-MM-DD); default today "
                                                "in the committee's time zone"})
    format = fields.String(load_default="json", validate=validate.OneOf(PACK_FORMATS),
                           metadata={"description": "json, or pdf (printed with Chromium)"})


class PackPilotSchema(Schema):
    pilot_id = Id()
    initiative_id = Id()
    title = fields.String()
    status = fields.String()
    start = fields.Date(allow_none=True)
    end = fields.Date(allow_none=True)
    suggested_decision = fields.String(allow_none=True, metadata={
        "description": "From the pilot's criteria verdicts: generalize, adjust, stop or null"})


class PackBlockedSchema(Schema):
    id = Id()
    title = fields.String()
    status = fields.String()
    owner = fields.String(allow_none=True)
    blocked_by = fields.List(Id(), metadata={"description": "Prerequisites not done"})


class PackStalledSchema(Schema):
    id = Id()
    title = fields.String()
    owner = fields.String(allow_none=True)
    actual_start = fields.Date()
    weeks_in_progress = fields.Float(metadata={"description": "(date − actual_start) / 7"})
    limit_weeks = fields.Float(metadata={"description": "1.5 · duration_weeks"})


class PackKpiSchema(Schema):
    id = Id()
    name = fields.String()
    unit = fields.String()
    direction = fields.String()
    target = fields.Float(allow_none=True)
    current = fields.Float(allow_none=True)
    measured_at = fields.Date(allow_none=True)
    gap = fields.Float(allow_none=True)
    family = fields.String(allow_none=True)
    owner = fields.String(allow_none=True)


class PackSlipSchema(Schema):
    initiative_id = Id()
    title = fields.String(allow_none=True)
    baseline_end = fields.Date(allow_none=True)
    current_end = fields.Date(allow_none=True)
    slip_weeks = fields.Float(metadata={"description": "> 0: late"})


class PackBaselineSchema(Schema):
    id = Id()
    name = fields.String()


class PackFindingSchema(Schema):
    id = Id()
    kind = fields.String()
    title = fields.String()
    status = fields.String()


class PackDecisionSchema(Schema):
    id = Id()
    title = fields.String()
    decided_on = fields.Date()
    committee = fields.String()
    rationale = fields.String()


class PackOverloadSchema(Schema):
    owner = fields.String()
    phase = fields.String()
    weeks = fields.Float()
    phase_weeks = fields.Float()


class CommitteePackSchema(Schema):
    committee_id = Id()
    committee_name = fields.String()
    level = fields.String()
    date = fields.Date()
    since = fields.Date(metadata={
        "description": "The previous meeting by the cron; without one, the committee's last "
                       "decision before `date`; without one, 30 days before `date`"})
    since_rule = fields.String(metadata={
        "description": "previous_meeting, last_decision or default"})
    pilots_awaiting_decision = fields.List(fields.Nested(PackPilotSchema), metadata={
        "description": "Pilots without a decision that ended before today or whose every "
                       "criterion has a verdict"})
    blocked_initiatives = fields.List(fields.Nested(PackBlockedSchema), metadata={
        "description": "Approved or in-progress initiatives waiting on a prerequisite not done"})
    stalled_initiatives = fields.List(fields.Nested(PackStalledSchema), metadata={
        "description": "In progress longer than 1.5 · duration_weeks at `date`"})
    kpis_off_target = fields.List(fields.Nested(PackKpiSchema))
    slips = fields.List(fields.Nested(PackSlipSchema), metadata={
        "description": "Initiatives late against the newest baseline, worst first"})
    baseline = fields.Nested(PackBaselineSchema, allow_none=True)
    findings_without_initiative = fields.List(fields.Nested(PackFindingSchema), metadata={
        "description": "Findings of the latest assessment with findings, neither dismissed "
                       "nor strengths, that no initiative in play answers"})
    assessment_id = Id(allow_none=True)
    decisions_since = fields.List(fields.Nested(PackDecisionSchema), metadata={
        "description": "The committee's decisions within [since, date]"})
    owner_overloads = fields.List(fields.Nested(PackOverloadSchema), metadata={
        "description": "Owners with more work in flight in a phase than they can carry"})
