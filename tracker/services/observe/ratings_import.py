"""CSV import of ratings: respondents and their ratings from one file, all or nothing.

The file format and its cell checks live in `tracker.domain.csv_ratings`; the ratings go
through `ratings.write_ratings`, the same check and upsert as the bulk API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from tracker.adapters.importers.ratings_csv import CsvRespondent, parse_ratings_csv
from tracker.domain.errors import InvalidInput, NotFound
from tracker.extensions import db
from tracker.models import Organization, Respondent
from tracker.models.assessments import SOURCES
from tracker.services.frame import frameworks
from tracker.services.observe import assessments
from tracker.services.observe.assessments import new_survey_token
from tracker.services.observe.ratings import write_ratings
from tracker.services.unit_of_work import transaction

Progress = Callable[[Sequence[CsvRespondent]], Iterable[CsvRespondent]]


@dataclass(frozen=True)
class CsvImportResult:
    """What an import created: respondents (ids in file order) and ratings."""

    respondent_ids: list[int]
    ratings: int


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV file (UTF-8, with or without a byte order mark, and no
    NUL character, which no text column can hold)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput("The CSV file is not UTF-8 text.",
                           errors={"file": [f"Not UTF-8 at byte {error.start}."]}) from error
    offset = text.find("\x00")
    if offset >= 0:
        raise InvalidInput("The CSV file holds a NUL character.",
                           errors={"file": [f"NUL character at offset {offset}."]})
    return text


def import_ratings_csv(org: Organization, assessment_id: int, text: str,
                       progress: Progress = iter) -> CsvImportResult:
    """Create the file's respondents and their ratings in one transaction.

    Every cell is checked before anything is written; a rejected file raises InvalidInput
    whose errors name each bad cell (`row 3.products.vision`). `progress` wraps the
    iteration over respondents (the CLI passes a progress bar).
    """
    assessment = assessments.get_assessment(org, assessment_id)
    assessments.ensure_writable(assessment)
    framework = frameworks.load_framework(assessment.framework_id)
    existing = db.session.scalars(select(Respondent.name)
                                  .where(Respondent.assessment_id == assessment.id)).all()
    parsed = parse_ratings_csv(text, list(frameworks.dimensions_by_code(framework)),
                               (framework.scale_min, framework.scale_max), SOURCES, existing)
    with transaction() as session:
        created = []
        for row in progress(parsed):
            respondent = Respondent(org_id=org.id, assessment_id=assessment.id, name=row.name,
                                    email=row.email, role=row.role, team=row.team,
                                    level=row.level, source=row.source,
                                    survey_token=new_survey_token())
            session.add(respondent)
            created.append((respondent, row))
        session.flush()
        rows = [{"respondent_id": respondent.id, "dimension": code, "value": value}
                for respondent, row in created for code, value in row.ratings.items()]
        result = write_ratings(assessment, framework, {r.id for r, _ in created}, rows)
    return CsvImportResult([r.id for r, _ in created], result.created)


def import_ratings_file(org_id: int, assessment_id: int, path: Path,
                        progress: Progress = iter) -> CsvImportResult:
    """The CLI's import: an organization by id (the instance acts), a CSV file on disk."""
    org = db.session.get(Organization, org_id)
    if org is None:
        raise NotFound(f"Organization {org_id} not found.")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"Cannot read {path}: {error.strerror}.",
                           errors={"file": [str(error)]}) from error
    return import_ratings_csv(org, assessment_id, decode_csv(data), progress)
