"""Schemas of imports and exports: CSV ratings import, organization export/import."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


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
