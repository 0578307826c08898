"""The respondent's survey pages at `/survey/<token>`: no account, a personal link.

Respondents have no account, so their language is chosen here rather than by the site's
locale selector: `?lang=en|fr` (remembered in the session), else the organization's
language, else the browser's Accept-Language.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker.domain.constants import LOCALES
from tracker.domain.errors import InvalidInput
from tracker.services.observe import survey as surveys

bp = Blueprint("survey", __name__, url_prefix="/survey")


def init_app(app: Flask) -> None:
    """Register the survey pages."""
    app.register_blueprint(bp)


def respondent_locale(survey: surveys.Survey | None) -> str:
    """The respondent's language: `?lang=` (kept in the session), else the organization's,
    else the browser's; English when nothing matches."""
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        session["locale"] = chosen
        return chosen
    if session.get("locale") in LOCALES:
        return session["locale"]
    if survey is not None and survey.locale in LOCALES:
        return survey.locale
    return request.accept_languages.best_match(LOCALES) or "en"


@bp.route("/<token>", methods=["GET", "POST"])
def answer(token: str) -> Any:
    """Show the survey with the saved answers; on POST, save them (all or none).

    A successful save redirects to the page (post/redirect/get), so reloading never
    submits again; a rejected one re-renders the form as submitted, with the reasons.
    Everything, validation messages included, is in the respondent's language.
    """
    survey = surveys.find_survey(token)
    with force_locale(respondent_locale(survey)):
        if survey is None:
            return _unavailable(404, _("This survey link is not valid"),
                                _("Check that the link is complete, or ask the person who "
                                  "sent it for a new one."))
        if survey.assessment.status == "draft":
            return _unavailable(403, _("This survey is not open yet"),
                                _("The assessment has not started. Come back with the same "
                                  "link once it opens."))
        if not survey.is_open:
            return _unavailable(410, _("This survey is closed"),
                                _("The assessment has closed, so answers can no longer be "
                                  "given or changed. Thank you for your time."))
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
