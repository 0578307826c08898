"""The respondent's survey: a personal link (no account) to answer an open assessment.

Answers are written by `ratings.write_ratings`, the same check and upsert as the bulk
API, so a survey answer obeys exactly the rules of any other rating. The reasons shown to
the respondent are in the respondent's language (gettext), unlike the API's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.domain.errors import Conflict, InvalidInput
from tracker.extensions import db
from tracker.models import Assessment, Axis, Framework, Question, Rating, Respondent
from tracker.models.answers import Answer
from tracker.models.organizations import Organization
from tracker.services.frame import frameworks
from tracker.services.observe.ratings import UpsertResult, write_ratings
from tracker.services.unit_of_work import transaction

CANNOT_SAY = "na"


@dataclass(frozen=True)
class SavedAnswer:
    """What a respondent answered for one dimension (value None: "cannot say")."""

    value: float | None
    comment: str


@dataclass
class Survey:
    """A respondent's survey: who answers, on which grid, and what is saved so far."""

    respondent: Respondent
    assessment: Assessment
    framework: Framework
    saved: dict[str, SavedAnswer] = field(default_factory=dict)
    answers: dict[str, float | None] = field(default_factory=dict)
    locale: str = "en"

    @property
    def is_open(self) -> bool:
        return self.assessment.status == "open"


def find_survey(token: str) -> Survey | None:
    """The survey behind a personal token, with the answers saved so far; None if unknown."""
    respondent = db.session.scalar(select(Respondent).where(Respondent.survey_token == token))
    if respondent is None:
        return None
    assessment = db.session.get_one(Assessment, respondent.assessment_id)
    org = db.session.get_one(Organization, assessment.org_id)
    framework = frameworks.load_framework(assessment.framework_id)
    codes = {d.id: code for code, d in frameworks.dimensions_by_code(framework).items()}
    saved = {codes[r.dimension_id]: SavedAnswer(r.value, r.comment) for r in db.session.scalars(
        select(Rating).where(Rating.respondent_id == respondent.id))}
    answers = {code: value for code, value in db.session.execute(
        select(Question.code, Answer.value).join(Question, Question.id == Answer.question_id)
        .where(Answer.respondent_id == respondent.id))}
    return Survey(respondent, assessment, framework, saved, answers, org.locale or "en")


def survey_texts(survey: Survey, locale: str) -> frameworks.FrameworkTexts:
    """The grid's texts the respondent reads, in `locale` where translated, else in the
    framework's own language."""
    return frameworks.framework_texts(survey.framework, locale)


def save_answers(survey: Survey, form: Mapping[str, str]) -> UpsertResult:
    """Save the answers of a submitted survey form: all of them, or none.

    The form holds, per dimension, `value:<code>` (a level of the scale, or `na` for
    "cannot say") and `comment:<code>`; for a dimension with questions, `answer:<question
    code>` per question instead (a value of its answer set, or `na`). Anything left
    unanswered is left as it was; submitting again updates the same records. Errors are
    keyed by dimension or question code.
    """
    if not survey.is_open:
        raise Conflict("This survey is not open for answers.",
                       errors={"status": [survey.assessment.status]})
    rows: list[dict[str, object]] = []
    errors: dict[str, list[str]] = {}
    for code, dimension in frameworks.dimensions_by_code(survey.framework).items():
        if dimension.questions:
            for question in dimension.questions:
                _add_row(rows, errors, form.get(f"answer:{question.code}"), question.code,
                         {"respondent_id": survey.respondent.id, "question": question.code})
        else:
            _add_row(rows, errors, form.get(f"value:{code}"), code,
                     {"respondent_id": survey.respondent.id, "dimension": code,
                      "comment": (form.get(f"comment:{code}") or "").strip()})
    if errors:
        raise InvalidInput("Some answers are not valid; nothing was saved.", errors=errors)
    try:
        with transaction():
            return write_ratings(survey.assessment, survey.framework, {survey.respondent.id},
                                 rows)
    except InvalidInput as error:
        raise InvalidInput(error.detail,
                           errors=_by_dimension(error.errors, rows, survey.framework)) from error


def _add_row(rows: list[dict[str, object]], errors: dict[str, list[str]], raw: str | None,
             code: str, row: dict[str, object]) -> None:
    """Append the row of one form answer (`na`: "cannot say"), or note why it is unreadable."""
    raw = (raw or "").strip()
    if not raw:
        return
    try:
        rows.append({**row, "value": None if raw == CANNOT_SAY else float(raw)})
    except ValueError:
        errors[code] = [_("“%(value)s” is not one of the answers.", value=raw)]


def _by_dimension(errors: Mapping[str, list[str]], rows: list[dict[str, object]],
                  framework: Framework) -> dict[str, list[str]]:
    """`[3].value` errors of the rating check, keyed by the dimension or question of row 3,
    told to the respondent in their language (the check's own messages are the API's)."""
    keyed: dict[str, list[str]] = {}
    for key in errors:
        index = int(key[1:key.index("]")])
        row = rows[index]
        keyed.setdefault(str(row.get("question") or row["dimension"]), []).append(
            _respondent_message(key, row, framework))
    return keyed


def _respondent_message(key: str, row: Mapping[str, object], framework: Framework) -> str:
    """Why the rating check refused a form answer, for the respondent: a value off the
    scale, an answer not in the question's set, or (never from the form itself) anything
    else."""
    if not key.endswith(".value"):
        return _("This answer cannot be saved.")
    value = f"{row['value']:g}"
    if row.get("question") is not None:
        return _("“%(value)s” is not one of the answers.", value=value)
    return _("%(value)s is outside the scale %(low)s–%(high)s.", value=value,
             low=f"{framework.scale_min:g}", high=f"{framework.scale_max:g}")


@dataclass(frozen=True)
class Step:
    """One step of the survey: an axis, with how many of its dimensions are answered."""

    number: int
    axis: Axis
    answered: int
    total: int


def steps(survey: Survey) -> list[Step]:
    """The survey's steps, one per axis with dimensions, in the grid's order (numbered
    from 1): a respondent on a phone answers one axis at a time."""
    axes = [axis for axis in survey.framework.axes if axis.dimensions]
    return [Step(number, axis, sum(d.code in survey.saved for d in axis.dimensions),
                 len(axis.dimensions)) for number, axis in enumerate(axes, start=1)]


def resume_step(survey: Survey) -> int:
    """Where a returning respondent resumes: the first step with a dimension not answered
    yet, or the first step when everything is answered."""
    return next((step.number for step in steps(survey) if step.answered < step.total), 1)
