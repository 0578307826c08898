"""Answers to questions: checked, stored, and turned into the respondent's dimension rating
by the framework's `question_rule` (DESIGN section 3), inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from tracker.domain.frame.questions import rating_from_answers
from tracker.extensions import db
from tracker.models import Assessment, Framework, Question
from tracker.models.answers import Answer
from tracker.services.frame import frameworks


def questions_by_code(framework: Framework) -> dict[str, Question]:
    """Every question of the framework, by code."""
    return {q.code: q for d in frameworks.dimensions_by_code(framework).values()
            for q in d.questions}


def row_errors(index: int, row: Mapping[str, Any],
               questions: Mapping[str, Question]) -> dict[str, list[str]]:
    """Problems of one answer row: an unknown question, or a value not in its answer set."""
    question = questions.get(row["question"])
    if question is None:
        return {f"[{index}].question": [f"Unknown question code {row['question']!r}."]}
    allowed = [answer["value"] for answer in question.answers]
    value = row["value"]
    if value is not None and not any(abs(value - a) < 1e-9 for a in allowed):
        return {f"[{index}].value": [
            f"{value:g} is not an answer of {question.code}; one of: "
            f"{', '.join(f'{a:g}' for a in allowed)}."]}
    return {}


def mixed_row_errors(rows: Sequence[Mapping[str, Any]],
                     questions: Mapping[str, Question]) -> dict[str, list[str]]:
    """Dimension rows of a respondent who also answers that dimension's questions in the same
    batch: the two would write the same rating."""
    via_questions = {(row["respondent_id"], questions[row["question"]].dimension.code)
                     for row in rows if row.get("question") in questions}
    return {f"[{index}].dimension": ["Rated both directly and through its questions."]
            for index, row in enumerate(rows)
            if row.get("question") is None
            and (row["respondent_id"], row.get("dimension")) in via_questions}


def write_answers(assessment: Assessment, framework: Framework,
                  rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Add or update checked answer rows in the session (no commit) and answer the rating
    rows they give: one per respondent and dimension touched, computed from all of that
    respondent's answers to the dimension's questions."""
    questions = questions_by_code(framework)
    respondent_ids = {row["respondent_id"] for row in rows}
    stored = {(a.respondent_id, a.question_id): a for a in db.session.scalars(
        select(Answer).where(Answer.assessment_id == assessment.id,
                             Answer.respondent_id.in_(respondent_ids)))}
    touched: dict[tuple[int, int], Question] = {}
    for row in rows:
        question = questions[row["question"]]
        key = (row["respondent_id"], question.id)
        answer = stored.get(key)
        if answer is None:
            answer = Answer(org_id=assessment.org_id, assessment_id=assessment.id,
                            respondent_id=key[0], question_id=question.id)
            db.session.add(answer)
            stored[key] = answer
        answer.value = row["value"]
        touched[(key[0], question.dimension_id)] = question
    return [{"respondent_id": respondent_id, "dimension": question.dimension.code,
             "value": rating_from_answers(framework.question_rule, [
                 (q.stream, stored[(respondent_id, q.id)].value)
                 for q in question.dimension.questions if (respondent_id, q.id) in stored]),
             "comment": ""}
            for (respondent_id, _), question in touched.items()]
