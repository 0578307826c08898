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
    """Show one step of the survey (an axis) with the saved answers; on POST, save the
    step's answers (all or none) and go back, stay or go on as the respondent chose.

    A successful save redirects (post/redirect/get), so reloading never submits again; a
    rejected one re-renders the step as submitted, with the reasons. Without `?step=` the
    respondent resumes at the first step not fully answered. Everything, validation
    messages included, is in the respondent's language, and so are the grid's texts where
    translated (names, descriptions, level descriptors, scale labels, questions, answers).
    """
    survey = surveys.find_survey(token)
    locale = respondent_locale(survey)
    with force_locale(locale):
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
        steps = surveys.steps(survey)
        asked = request.form.get("step") if request.method == "POST" else request.args.get("step")
        current = _step_number(asked, len(steps)) or surveys.resume_step(survey)
        errors: dict[str, list[str]] = {}
        if request.method == "POST":
            try:
                surveys.save_answers(survey, request.form)
            except InvalidInput as error:
                errors = error.errors
            else:
                return redirect(_after_save(token, asked, current, len(steps)), code=303)
        return render_template("survey/form.html", survey=survey, errors=errors,
                               steps=steps, step=steps[current - 1] if steps else None,
                               saved=request.args.get("saved") == "1" and not errors,
                               form=request.form if errors else {},
                               texts=surveys.survey_texts(survey, locale),
                               cannot_say=surveys.CANNOT_SAY), 422 if errors else 200


def _step_number(raw: str | None, count: int) -> int | None:
    """The step asked for, if it is one of the survey's (1 to `count`); None otherwise."""
    if raw is None or not raw.isdigit():
        return None
    number = int(raw)
    return number if 1 <= number <= count else None


def _after_save(token: str, asked: str | None, current: int, count: int) -> str:
    """Where a saved step leads: the previous or the next step, or the same one with
    "saved" shown. A form without a step (the whole survey at once) shows "saved"."""
    if asked is None:
        return url_for("survey.answer", token=token, saved=1)
    move = {"back": -1, "next": 1}.get(request.form.get("go", ""), 0)
    target = min(max(current + move, 1), max(count, 1))
    return url_for("survey.answer", token=token, step=target, saved=1)


def _unavailable(status: int, title: str, detail: str) -> Any:
    return render_template("survey/unavailable.html", title=title, detail=detail), status
