"""Background jobs of the caller: `GET /jobs/{id}` (status, progress, message, result) and
`GET /jobs/{id}/result` (the file a job made, e.g. a report PDF). A job is read by whoever
submitted it and by the members of its organization; anyone else gets 404.

`accepted` is the answer of a route that ran its work as a job: 202 with the job and its
`Location`.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, url_for
from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields

from tracker import jobs
from tracker.api import Blueprint
from tracker.models import BackgroundJob

jobs_blp = Blueprint("jobs", __name__, description="Background jobs: progress and result")
STATUSES = ["queued", "running", "done", "failed"]


class JobSchema(Schema):
    id = fields.String(metadata={"description": "The job's key, as in its URL"})
    kind = fields.String(metadata={"enum": ["report_pdf", "ratings_import", "barometer_send"]})
    status = fields.String(metadata={"enum": STATUSES})
    progress = fields.Integer(metadata={"description": "Steps done, of `total`"})
    total = fields.Integer()
    message = fields.String(metadata={"description": "What the job is doing, or did"})
    result_url = fields.String(allow_none=True,
                               metadata={"description": "The file, once done (else null)"})
    result = fields.Dict(allow_none=True,
                         metadata={"description": "A JSON result (an import's counts, or a "
                                                  "failed import's `errors` by cell)"})
    error = fields.String(allow_none=True, metadata={"description": "Why it failed"})


def job_answer(job: BackgroundJob) -> dict[str, Any]:
    """The job as the API shows it, with the URL of its file."""
    return jobs.job_view(job, url_for("jobs.JobResult", key=job.key))


def accepted(job: BackgroundJob) -> Response:
    """202 Accepted: the job, and where to poll it (`Location`)."""
    response = jsonify(JobSchema().dump(job_answer(job)))
    response.status_code = 202
    response.headers["Location"] = url_for("jobs.JobByKey", key=job.key)
    return response


@jobs_blp.route("/jobs/<key>")
class JobByKey(MethodView):
    @jobs_blp.response(200, JobSchema)
    def get(self, key: str) -> Any:
        """A background job: `queued`, `running`, `done` or `failed`, its progress of
        `total`, its message, then where its file is (`result_url`) or why it failed."""
        return job_answer(jobs.job_for(current_user, key))


@jobs_blp.route("/jobs/<key>/result")
class JobResult(MethodView):
    @jobs_blp.response(200, content_type="application/octet-stream",
                       description="The file the job made (e.g. `application/pdf`)")
    def get(self, key: str) -> Any:
        """The file a finished job made, as an attachment; 404 before it is done."""
        content, name, mime = jobs.job_file(jobs.job_for(current_user, key))
        return Response(content, content_type=mime,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
