"""Organization, membership, token and password schemas.

Schemas of imports and exports: CSV ratings import, organization export/import."""

from __future__ import annotations

from zoneinfo import available_timezones

from marshmallow import INCLUDE, ValidationError, fields, validate

from tracker.domain.constants import DB_INT_MAX, LOCALES
from tracker.models.organizations import ROLES
from tracker.schemas.common import Email, Id, Line, PageArgsSchema, Schema

METHODS = ("wsjf", "rice", "ice", "scorecard", "gap")
POSITIVE = validate.Range(min=0, min_inclusive=False)
#: The organization's current plan, among its settings.
PLAN_SETTINGS = ("plan_start", "plan_capacity", "plan_points")


def _known_timezone(name: str) -> None:
    """An IANA time zone of this system's database (marshmallow 4 validators must raise)."""
    if name not in available_timezones():
        raise ValidationError("Unknown time zone.")


class OrganizationSchema(Schema):
    """An organization and its settings (PATCH takes any subset)."""

    id = Id(dump_only=True)
    name = Line(required=True, validate=validate.Length(min=1, max=200))
    min_group_size = fields.Integer(load_default=3, validate=validate.Range(min=1, max=1000),
                                    metadata={"description": "Smallest group shown on its own "
                                              "(respondents' anonymity)"})
    perception_gap_threshold = fields.Float(load_default=1.0, validate=POSITIVE)
    default_method = fields.String(load_default="wsjf", validate=validate.OneOf(METHODS))
    quick_win_max_weeks = fields.Float(load_default=6.0, validate=POSITIVE)
    structural_min_weeks = fields.Float(load_default=12.0, validate=POSITIVE)
    timezone = fields.String(load_default="UTC", validate=_known_timezone,
                             metadata={"description": "IANA time zone, e.g. Europe/Paris"})
    locale = fields.String(load_default="en", validate=validate.OneOf(LOCALES),
                           metadata={"description": "Language of the respondents' survey "
                                     "and emails: en or fr"})
    plan_start = fields.Date(allow_none=True, metadata={
        "description": "The current plan's start date (null: today); the trajectory, the "
                       "barometer's projection and the report plan with it"})
    plan_capacity = fields.Integer(allow_none=True,
                                   validate=validate.Range(min=1, max=DB_INT_MAX),
                                   metadata={"description": "The current plan's initiatives "
                                             "at once (null: unlimited)"})
    plan_points = fields.Float(allow_none=True, validate=POSITIVE, metadata={
        "description": "The current plan's capacity points per week (null: unlimited)"})
    created_at = fields.DateTime(dump_only=True)


class MemberSchema(Schema):
    """A membership: a user's role in an organization."""

    user_id = Id(dump_only=True)
    email = Email(required=True)
    name = fields.String(dump_only=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class MemberRoleSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class InvitationRequestSchema(Schema):
    """Whom to invite, with which role."""

    email = Email(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class InvitationSentSchema(Schema):
    """The answer to an invitation: the same whether or not the email has an account."""

    id = Id(metadata={"description": "The invitation, for `DELETE .../invitations/{id}`"})
    role = fields.String()


class InvitationSchema(Schema):
    """A pending invitation."""

    id = Id()
    email = fields.String()
    role = fields.String()
    invited_by = fields.String(allow_none=True, metadata={
        "description": "The inviter's email"})
    created_at = fields.DateTime()
    expires_at = fields.DateTime()


class InvitationAcceptSchema(Schema):
    """Accepting: signed in with the invited email, or signed out with a new password."""

    password = fields.String(load_default=None, load_only=True,
                             validate=validate.Length(max=1024), metadata={
                                 "description": "For a person without an account: the "
                                                "password of the account created"})
    name = fields.String(load_default="", validate=validate.Length(max=200))


class JoinedSchema(Schema):
    """The membership an accepted invitation gave."""

    org_id = Id()
    user_id = Id()
    role = fields.String()


class AuditArgsSchema(PageArgsSchema):
    """The audit log's page, and optional filters on the entity and the action."""

    entity = fields.String(load_default=None, validate=validate.Length(max=30))
    action = fields.String(load_default=None, validate=validate.Length(max=10))


class AuditEntrySchema(Schema):
    """An event of the organization's audit log: who changed what and when, old → new."""

    id = Id()
    at = fields.DateTime()
    actor_email = fields.String(allow_none=True, metadata={"description": "null: the system"})
    actor_name = fields.String(allow_none=True)
    entity = fields.String()
    entity_id = Id()
    action = fields.String()
    changes = fields.Dict(metadata={"description": "Field: [old, new], or the values set"})


#: Passwords are bounded so that hashing one stays cheap.
PASSWORD = validate.Length(max=1024)
#: The most days a caller may ask a token to live (the instance caps it further).
TOKEN_DAYS_MAX = 3650


class TokenCreateSchema(Schema):
    name = fields.String(load_default="", validate=validate.Length(max=100))
    expires_in_days = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=TOKEN_DAYS_MAX),
        metadata={"description": "Fewer days than the default (90, `TRACKER_TOKEN_DAYS`), "
                                 "which is also the most a token lives"})


class TokenRequestSchema(TokenCreateSchema):
    email = Email(required=True)
    password = fields.String(required=True, load_only=True, validate=PASSWORD)


class TokenSchema(Schema):
    id = Id()
    name = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True, metadata={
        "description": "When the token last authenticated a call (to the minute)"})
    revoked_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "The secret, shown only once"})


class FeedCreateSchema(Schema):
    """A calendar feed of one organization's roadmap."""

    org_id = Id(required=True)
    name = Line(load_default="", validate=validate.Length(max=100))


class FeedSchema(Schema):
    id = Id()
    org_id = Id()
    name = fields.String()
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True, metadata={
        "description": "When a calendar last fetched the feed (to the minute)"})
    revoked_at = fields.DateTime(allow_none=True)


class NewFeedSchema(FeedSchema):
    url = fields.String(metadata={"description": "The feed's address with its secret, shown "
                                                "only once: give it to a calendar application"})


class FeedListArgsSchema(PageArgsSchema):
    org_id = Id(metadata={"description": "Only the feeds of this organization"})


class FeedArgsSchema(Schema):
    feed = fields.String(metadata={"description": "A calendar feed's secret "
                                                  "(`POST /me/feeds`), instead of a Bearer token"})


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True, validate=PASSWORD)
    new_password = fields.String(required=True, load_only=True, validate=PASSWORD, metadata={
        "description": "At least 12 characters, not a common password, not your email"})


class PasswordResetRequestSchema(Schema):
    email = Email(required=True)


class PasswordResetSchema(Schema):
    password = fields.String(required=True, load_only=True, validate=PASSWORD, metadata={
        "description": "At least 12 characters, not a common password, not your email"})


class CsvImportResultSchema(Schema):
    respondent_ids = fields.List(Id(), metadata={
        "description": "The created respondents, in the file's order"})
    ratings = fields.Integer(metadata={"description": "How many ratings were created"})


class OrganizationImportSchema(Schema):
    """An organization export: `format_version`, `organization` settings, one list per table.

    Lists are passed through as they are; the service checks them.
    """

    class Meta:
        unknown = INCLUDE

    format_version = fields.Integer(required=True, validate=validate.Range(min=1, max=DB_INT_MAX))
    organization = fields.Dict(required=True)


class WebhookSchema(Schema):
    """An outgoing webhook (PATCH takes any subset). The secret is write-only: reads show
    its last characters (`secret_hint`); without one, creation generates it."""

    id = Id(dump_only=True)
    url = fields.String(required=True, validate=validate.Length(max=2000), metadata={
        "description": "Where the events are posted (http or https)"})
    events = fields.List(fields.String(validate=validate.Length(max=50)), required=True,
                         validate=validate.Length(max=20), metadata={
                             "description": "Among assessment.opened, assessment.closed, "
                                            "barometer.sent, initiative.status_changed, "
                                            "pilot.decided, decision.logged"})
    format = fields.String(metadata={"description": "json (default), slack or teams"})
    secret = fields.String(load_only=True, validate=validate.Length(max=200), metadata={
        "description": "Signs each body (`X-Tracker-Signature`); generated when absent"})
    secret_hint = fields.String(dump_only=True)
    active = fields.Boolean(metadata={"description": "false pauses the webhook"})
    archived_at = fields.DateTime(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


class NewWebhookSchema(WebhookSchema):
    """A webhook just created, with its secret: shown only this once."""

    secret = fields.String(metadata={"description": "The signing secret, shown only once"})


class WebhookArgsSchema(PageArgsSchema):
    archived = fields.Boolean(load_default=False, metadata={
        "description": "true lists the archived webhooks instead"})


class WebhookDeliverySchema(Schema):
    """One event sent (or to send) to a webhook, with its attempts."""

    id = Id()
    webhook_id = Id()
    event = fields.String()
    status = fields.String(metadata={"description": "pending, sent or failed"})
    attempts = fields.Integer()
    response_status = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    next_attempt_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    body = fields.String(metadata={"description": "The exact body posted (what is signed)"})
