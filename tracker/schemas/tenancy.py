"""Organization, membership and token schemas.

Schemas of imports and exports: CSV ratings import, organization export/import."""

from __future__ import annotations

from zoneinfo import available_timezones

from marshmallow import INCLUDE, ValidationError, fields, validate

from tracker.domain.constants import DB_INT_MAX, LOCALES
from tracker.models.organizations import ROLES
from tracker.schemas.common import Email, Id, Schema

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
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
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


class TokenRequestSchema(Schema):
    email = Email(required=True)
    password = fields.String(required=True, load_only=True)
    name = fields.String(load_default="", validate=validate.Length(max=100))


class TokenSchema(Schema):
    id = Id()
    name = fields.String()
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "The secret, shown only once"})


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
