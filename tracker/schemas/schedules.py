"""Schedule schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tracker.models.schedules import SCHEDULE_KINDS


class ScheduleSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(SCHEDULE_KINDS))
    cron = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100),
                         metadata={"description": "Five-field cron expression"})
    interval_days = fields.Integer(load_default=None, allow_none=True,
                                   validate=validate.Range(min=1, max=366))
    timezone = fields.String(load_default=None, allow_none=True,
                             metadata={"description": "Default: the organization's"})
    recipients = fields.List(fields.Email(), load_default=list)
    close_after_days = fields.Integer(load_default=None, allow_none=True,
                                      validate=validate.Range(min=1, max=366))
    paused = fields.Boolean(load_default=False)
    last_period = fields.String(dump_only=True, allow_none=True)
    next_run_at = fields.DateTime(dump_only=True, allow_none=True)


class SchedulePatchSchema(Schema):
    kind = fields.String(validate=validate.OneOf(SCHEDULE_KINDS))
    cron = fields.String(allow_none=True, validate=validate.Length(max=100))
    interval_days = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=366))
    timezone = fields.String(allow_none=True)
    recipients = fields.List(fields.Email())
    close_after_days = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=366))
    paused = fields.Boolean(metadata={"description": "true pauses, false resumes"})


class RunResultSchema(Schema):
    schedule_id = fields.Integer()
    kind = fields.String()
    period = fields.String()
    ran = fields.Boolean()
    detail = fields.String()
