"""Query arguments of the diagnostic report."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tracker.services.accounts import LOCALES
from tracker.services.report import FORMATS


class ReportArgsSchema(Schema):
    format = fields.String(load_default="html", validate=validate.OneOf(FORMATS),
                           metadata={"description": "html (standalone page) or pdf"})
    lang = fields.String(validate=validate.OneOf(LOCALES),
                         metadata={"description": "en or fr; default: the user's language"})
