"""Ratings: the bulk upsert (all or nothing), checked against the grid and the scale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import Assessment, Framework, Organization, Rating, Respondent
from tracker.services.frame import frameworks
from tracker.services.observe import answers, assessments
from tracker.services.unit_of_work import transaction
from tracker.services.upsert import upsert


@dataclass(frozen=True)
class UpsertResult:
    """How many ratings a bulk write created and updated."""

    created: int
    updated: int


def upsert_ratings(org: Organization, assessment_id: int,
                   rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
    """Create or update ratings; every row is checked first, and one bad row rejects all.

    Errors name the row and field (`[3].dimension`), so a caller can fix them all at once.
    """
    assessment = assessments.get_assessment(org, assessment_id)
    assessments.ensure_writable(assessment)
    framework = frameworks.load_framework(assessment.framework_id)
    respondent_ids = set(db.session.scalars(
        select(Respondent.id).where(Respondent.assessment_id == assessment.id)))
    with transaction():
        return write_ratings(assessment, framework, respondent_ids, rows)


def write_ratings(assessment: Assessment, framework: Framework, respondent_ids: set[int],
                  rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
    """Check every row, then add or update the ratings in the current transaction (no
    commit), in `INSERT … ON CONFLICT` statements of `upsert.CHUNK` rows (and one move of
the organization's data version): the same new cell written by two
    requests at once gives one rating, the later value. The counts say what the rows were
    when this write began.

    The one place ratings are validated and written: the bulk API, the survey pages and
    the CSV import call it inside their own transaction, which a raised `InvalidInput`
    rolls back whole.
    """
    dimension_ids = {code: d.id for code, d in frameworks.dimensions_by_code(framework).items()}
    errors = _row_errors(rows, framework, dimension_ids, respondent_ids)
    if errors:
        raise InvalidInput(f"{len(errors)} rating field(s) are invalid; nothing was saved.",
                           errors=errors)
    answer_rows = [row for row in rows if row.get("question") is not None]
    rows = [row for row in rows if row.get("question") is None]
    if answer_rows:
        rows += answers.write_answers(assessment, framework, answer_rows)
    # by respondent only (they are the assessment's, checked above): with the assessment too,
    # SQLite walks every rating of the assessment on each write
    existing = {(respondent, dimension) for respondent, dimension in db.session.execute(
        select(Rating.respondent_id, Rating.dimension_id).where(
            Rating.respondent_id.in_({row["respondent_id"] for row in rows})))}
    org_id, assessment_id = assessment.org_id, assessment.id
    values = [{"org_id": org_id, "assessment_id": assessment_id,
               "respondent_id": row["respondent_id"],
               "dimension_id": dimension_ids[row["dimension"]], "value": row["value"],
               "comment": row.get("comment") or ""} for row in rows]
    upsert(Rating, values, key=("respondent_id", "dimension_id"), org_id=org_id)
    created = sum((v["respondent_id"], v["dimension_id"]) not in existing for v in values)
    return UpsertResult(created=created, updated=len(values) - created)


def _row_errors(rows: Sequence[Mapping[str, Any]], framework: Framework,
                dimension_ids: Mapping[str, int], respondent_ids: set[int]) -> dict[str, list[str]]:
    low, high = framework.scale_min, framework.scale_max
    questions = answers.questions_by_code(framework)
    errors: dict[str, list[str]] = {}
    seen: set[tuple[int, str]] = set()
    for index, row in enumerate(rows):
        if row["respondent_id"] not in respondent_ids:
            errors[f"[{index}].respondent_id"] = [
                f"Respondent {row['respondent_id']} is not part of this assessment."]
        if row.get("question") is not None:
            errors.update(answers.row_errors(index, row, questions))
            if (row["respondent_id"], row["question"]) in seen:
                errors[f"[{index}]"] = ["This respondent answers this question twice."]
            seen.add((row["respondent_id"], row["question"]))
            continue
        if row["dimension"] not in dimension_ids:
            errors[f"[{index}].dimension"] = [f"Unknown dimension code {row['dimension']!r}."]
        value = row["value"]
        if value is not None and not low <= value <= high:
            errors[f"[{index}].value"] = [f"{value:g} is outside the scale {low:g}–{high:g}."]
        key = (row["respondent_id"], row["dimension"])
        if key in seen:
            errors[f"[{index}]"] = ["This respondent rates this dimension twice in the batch."]
        seen.add(key)
    errors.update(answers.mixed_row_errors(rows, questions))
    return errors
