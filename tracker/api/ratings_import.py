"""CSV import of ratings: `POST .../assessments/{id}/ratings/import`."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask.views import MethodView

from tracker.api import Blueprint
from tracker.api.access import requires
from tracker.domain.errors import InvalidInput
from tracker.schemas.portability import CsvImportResultSchema
from tracker.services import csv_import

blp = Blueprint("ratings_import", __name__, description="CSV import of ratings")

CSV_BODY = {"content": {
    "text/csv": {"schema": {"type": "string"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}}}}}


@blp.route("/orgs/<int:org_id>/assessments/<int:assessment_id>/ratings/import")
class RatingsImport(MethodView):
    @requires("contributor")
    @blp.doc(requestBody=CSV_BODY)
    @blp.response(201, CsvImportResultSchema)
    def post(self, org_id: int, assessment_id: int) -> Any:
        """Import respondents and ratings from a CSV file: all are saved, or none.

        One row per respondent: `name`, `role`, `team`, `level`, `source` (and optionally
        `email`), then one column per dimension code; an empty cell is no rating, `?` or
        `n/a` is "cannot say". Errors are keyed `row N.COLUMN` (the header is row 1).
        """
        return csv_import.import_ratings_csv(g.org, assessment_id, _csv_text())


def _csv_text() -> str:
    upload = request.files.get("file")
    if upload is not None:
        return csv_import.decode_csv(upload.read())
    if request.mimetype == "text/csv":
        return csv_import.decode_csv(request.get_data())
    raise InvalidInput("Send the CSV as a text/csv body or as the multipart field `file`.",
                       errors={"file": ["Missing CSV."]})
