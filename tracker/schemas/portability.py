"""Schemas of imports and exports: CSV ratings import, organization export/import."""

from __future__ import annotations

from marshmallow import Schema, fields


class CsvImportResultSchema(Schema):
    respondent_ids = fields.List(fields.Integer(), metadata={
        "description": "The created respondents, in the file's order"})
    ratings = fields.Integer(metadata={"description": "How many ratings were created"})
