"""Organization, membership and token schemas.

Schemas of imports and exports: CSV ratings import, organization export/import."""

from __future__ import annotations

from zoneinfo import available_timezones

from marshmallow import INCLUDE, Schema, fields, validate

from tracker.domain.constants import LOCALES
from tracker.models.organizations import ROLES

METHODS = ("wsjf", "rice", "ice", "scorecard", "gap")
POSITIVE = validate.Range(min=0, min_inclusive=False)


class OrganizationSchema(Schema):
    """An organization and its settings (PATCH takes any subset)."""

    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    min_group_size = fields.Integer(load_default=3, validate=validate.Range(min=1, max=1000),
                                    metadata={"description": "Smallest group shown on its own "
                                              "(respondents' anonymity)"})
    perception_gap_threshold = fields.Float(load_default=1.0, validate=POSITIVE)
    default_method = fields.String(load_default="wsjf", validate=validate.OneOf(METHODS))
    quick_win_max_weeks = fields.Float(load_default=6.0, validate=POSITIVE)
    structural_min_weeks = fields.Float(load_default=12.0, validate=POSITIVE)
    timezone = fields.String(load_default="UTC", validate=lambda tz: tz in _timezones(),
                             metadata={"description": "IANA time zone, e.g. Europe/Paris"})
    locale = fields.String(load_default="en", validate=validate.OneOf(LOCALES),
                           metadata={"description": "Language of the respondents' survey "
                                     "and emails: en or fr"})
    created_at = fields.DateTime(dump_only=True)


class MemberSchema(Schema):
    """A membership: a user's role in an organization."""

    user_id = fields.Integer(dump_only=True)
    email = fields.Email(required=True)
    name = fields.String(dump_only=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class MemberRoleSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class TokenRequestSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True)
    name = fields.String(load_default="", validate=validate.Length(max=100))


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "The secret, shown only once"})


def _timezones() -> set[str]:
    return available_timezones()


class CsvImportResultSchema(Schema):
    respondent_ids = fields.List(fields.Integer(), metadata={
        "description": "The created respondents, in the file's order"})
    ratings = fields.Integer(metadata={"description": "How many ratings were created"})


class OrganizationImportSchema(Schema):
    """An organization export: `format_version`, `organization` settings, one list per table.

    Lists are passed through as they are; the service checks them.
    """

    class Meta:
        unknown = INCLUDE

    format_version = fields.Integer(required=True)
    organization = fields.Dict(required=True)
