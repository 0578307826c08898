"""The respondent's survey pages at `/survey/<token>`: no account, a personal link."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, redirect, render_template, request, url_for

from tracker.domain.errors import InvalidInput
from tracker.services import survey as surveys

bp = Blueprint("survey", __name__, template_folder="templates", url_prefix="/survey")

UNAVAILABLE = {
    "draft": (403, "This survey is not open yet",
              "The assessment has not started. Come back with the same link once it opens."),
    "closed": (410, "This survey is closed",
               "The assessment has closed, so answers can no longer be given or changed. "
               "Thank you for your time."),
}


def init_app(app: Flask) -> None:
    """Register the survey pages."""
    app.register_blueprint(bp)


@bp.route("/<token>", methods=["GET", "POST"])
def answer(token: str) -> Any:
    """Show the survey with the saved answers; on POST, save them (all or none).

    A successful save redirects to the page (post/redirect/get), so reloading never
    submits again; a rejected one re-renders the form as submitted, with the reasons.
    """
    survey = surveys.find_survey(token)
    if survey is None:
        return _unavailable(404, "This survey link is not valid",
                            "Check that the link is complete, or ask the person who sent it "
                            "for a new one.")
    if not survey.is_open:
        return _unavailable(*UNAVAILABLE[survey.assessment.status])
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            surveys.save_answers(survey, request.form)
        except InvalidInput as error:
            errors = error.errors
        else:
            return redirect(url_for("survey.answer", token=token, saved=1), code=303)
    return render_template("survey/form.html", survey=survey, errors=errors,
                           saved=request.args.get("saved") == "1" and not errors,
                           form=request.form if errors else {},
                           descriptor=surveys.level_descriptor,
                           cannot_say=surveys.CANNOT_SAY), 422 if errors else 200


def _unavailable(status: int, title: str, detail: str) -> Any:
    return render_template("survey/unavailable.html", title=title, detail=detail), status
