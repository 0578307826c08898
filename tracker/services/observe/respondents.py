"""Respondents of an assessment as ops and leads run them: the list with each one's
completion and last survey email, edit and removal, a whole list added at once (all or
nothing, every bad cell named), and the survey invitations and reminders by email.

Everything here is for ops and leads (who the respondents are is private: see
`assessments.sees_respondents`). Emails go through the outbox with dedupe keys
`survey:<assessment>:<respondent>:invitation` (once per respondent) and
`survey:<assessment>:<respondent>:reminder:<ISO week>` (once per respondent and week), so a
second click queues nothing; sending on purpose adds `#n` (a reminder with `again`, one
respondent's invitation sent again).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from marshmallow import ValidationError, validate
from sqlalchemy import String, cast, exists, func, literal, or_, select

from tracker.adapters.email import survey as survey_email
from tracker.adapters.importers import respondents_file
from tracker.adapters.importers.documents import check_size
from tracker.adapters.importers.ratings_csv import ROWS_SETTING
from tracker.adapters.importers.respondents_file import FileRow, cell_key
from tracker.domain.errors import Conflict, InvalidInput, NotFound
from tracker.extensions import db
from tracker.models import Answer, Assessment, Organization, Rating, Respondent, User
from tracker.models.assessments import PERSPECTIVES, SOURCES
from tracker.models.base import utcnow
from tracker.models.outbox import OutboxMessage
from tracker.schemas.common import NUL, is_single_line
from tracker.schemas.observe import RespondentSchema
from tracker.services.audit import audit
from tracker.services.derived import bump_version
from tracker.services.follow import outbox
from tracker.services.frame import frameworks
from tracker.services.observe import assessments, ratings_import, survey
from tracker.services.pagination import Page
from tracker.services.unit_of_work import transaction
from tracker.services.upsert import insert_returning

#: The attributes a respondent is given and edited by.
FIELDS: tuple[str, ...] = ("name", "email", "role", "team", "level", "source", "perspective")


@dataclass(frozen=True)
class RespondentLine:
    """A respondent as the list shows it: completion and the last survey email."""

    respondent: Respondent
    rated: int
    total: int
    last_email_at: datetime | None
    last_email_status: str | None

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.rated >= self.total


@dataclass(frozen=True)
class Overview:
    """One page of an assessment's respondents and what the email buttons would send."""

    assessment: Assessment
    page: Page[RespondentLine]
    to_invite: int
    to_remind: int


@dataclass(frozen=True)
class PreviewRow:
    """A row of a list to add: what it gives, and the problems of its cells by column."""

    number: int
    cells: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Preview:
    """A checked list: every row, and every error keyed `row N, column`."""

    rows: list[PreviewRow]
    errors: dict[str, list[str]]


def overview(org: Organization, assessment_id: int, page: int, per_page: int, *,
             actor: User | None, search: str = "") -> Overview:
    """The `page`-th page of the assessment's respondents (those matching `search`, see
    `assessments.list_respondents`) with their completion (rated dimensions out of the
    grid's) and last survey email, and the counts of those an invitation and a reminder
    would go to (ops and leads; 403 otherwise)."""
    listed = assessments.list_respondents(org, assessment_id, page, per_page, actor=actor,
                                          search=search)
    assessment = assessments.get_assessment(org, assessment_id)
    total = _dimension_count(assessment)
    ids = [r.id for r in listed.items]
    rated = dict(db.session.execute(select(Rating.respondent_id, func.count(Rating.id))
                                    .where(Rating.respondent_id.in_(ids))
                                    .group_by(Rating.respondent_id)).all())
    emails = _last_emails(assessment.id, ids)
    lines = [RespondentLine(r, rated.get(r.id, 0), total, *emails.get(r.id, (None, None)))
             for r in listed.items]
    return Overview(assessment, Page(lines, listed.total, listed.page, listed.per_page),
                    _count(_to_invite(assessment)), _count(_to_remind(assessment, total)))


def _dimension_count(assessment: Assessment) -> int:
    return len(frameworks.dimensions_by_code(frameworks.load_framework(assessment.framework_id)))


def _prefix(assessment_id: int, respondent_id: int | None = None) -> str:
    """The start of the dedupe keys of an assessment's (or one respondent's) survey emails.

    >>> _prefix(4, 17)
    'survey:4:17:'
    """
    return f"survey:{assessment_id}:" + (f"{respondent_id}:" if respondent_id else "")


def _last_emails(assessment_id: int, ids: Sequence[int]) -> dict[int, tuple[datetime, str]]:
    """When the latest survey email of each respondent was queued, and its status."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(OutboxMessage.dedupe_key, OutboxMessage.created_at, OutboxMessage.status)
        .where(or_(*(OutboxMessage.dedupe_key.startswith(_prefix(assessment_id, i),
                                                         autoescape=True) for i in ids)))
        .order_by(OutboxMessage.created_at, OutboxMessage.id))
    return {int(key.split(":")[2]): (at, status) for key, at, status in rows}


def _invitation_key(assessment_id: int, respondent_id: int) -> str:
    return f"{_prefix(assessment_id, respondent_id)}invitation"


def _to_invite(assessment: Assessment) -> Any:
    """Respondents with an email whose invitation was never queued."""
    key = literal(f"survey:{assessment.id}:") + cast(Respondent.id, String) + ":invitation"
    return select(Respondent).where(
        Respondent.assessment_id == assessment.id, Respondent.email.is_not(None),
        Respondent.email != "", ~exists().where(OutboxMessage.dedupe_key == key))


def _to_remind(assessment: Assessment, total: int) -> Any:
    """Respondents with an email who rated fewer dimensions than the grid has."""
    rated = (select(func.count(Rating.id)).where(Rating.respondent_id == Respondent.id)
             .scalar_subquery())
    return select(Respondent).where(
        Respondent.assessment_id == assessment.id, Respondent.email.is_not(None),
        Respondent.email != "", rated < total)


def _count(stmt: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def get_respondent(org: Organization, assessment_id: int, respondent_id: int, *,
                   actor: User | None) -> Respondent:
    """One respondent of the assessment (404 otherwise; 403 below ops)."""
    assessment = assessments.get_assessment(org, assessment_id)
    assessments.require_seeing_respondents(org, actor)
    respondent = db.session.get(Respondent, respondent_id)
    if respondent is None or respondent.assessment_id != assessment.id:
        raise NotFound(f"Respondent {respondent_id} not found.")
    return respondent


def answers_of(org: Organization, assessment_id: int, respondent_id: int, *,
               actor: User | None) -> survey.Survey:
    """What one respondent answered, dimension by dimension, with their comments: the
    survey as they see it, for ops and leads only (who said what stays with them)."""
    respondent = get_respondent(org, assessment_id, respondent_id, actor=actor)
    found = survey.find_survey(respondent.survey_token)
    assert found is not None  # the respondent exists, so does their survey
    return found


def update_respondent(org: Organization, assessment_id: int, respondent_id: int,
                      data: Mapping[str, Any], *, actor: User | None) -> Respondent:
    """Change a respondent's attributes (loaded by `RespondentSchema`); a name another
    respondent of the assessment has is refused on `name`. Audited."""
    respondent = get_respondent(org, assessment_id, respondent_id, actor=actor)
    assessments.ensure_writable(assessments.get_assessment(org, assessment_id))
    if "name" in data and db.session.scalar(select(Respondent.id).where(
            Respondent.assessment_id == respondent.assessment_id,
            Respondent.name == data["name"], Respondent.id != respondent.id)) is not None:
        raise InvalidInput(_("Another respondent of this assessment has this name."),
                           errors={"name": [_("Already a respondent of this assessment.")]})
    changes = {name: [getattr(respondent, name), data[name]] for name in FIELDS
               if name in data and getattr(respondent, name) != data[name]}
    with transaction():
        for name, (_old, new) in changes.items():
            setattr(respondent, name, new)
        if changes:
            audit(org, actor, "respondent", respondent.id, None, "update", changes)
    return respondent


def remove_respondent(org: Organization, assessment_id: int, respondent_id: int, *,
                      actor: User | None) -> None:
    """Remove a respondent who has given nothing yet; one with ratings or answers is
    refused (409): removing them would silently change the scores. Audited."""
    respondent = get_respondent(org, assessment_id, respondent_id, actor=actor)
    assessments.ensure_writable(assessments.get_assessment(org, assessment_id))
    answered = db.session.scalar(select(exists().where(Rating.respondent_id == respondent.id))) \
        or db.session.scalar(select(exists().where(Answer.respondent_id == respondent.id)))
    if answered:
        raise Conflict(_("%(name)s has already given ratings, so they cannot be removed: "
                         "their ratings count in the scores.", name=respondent.name))
    with transaction() as session:
        audit(org, actor, "respondent", respondent.id, None, "delete",
              {"name": [respondent.name, None]})
        session.delete(respondent)


def preview_rows(org: Organization, assessment_id: int, rows: Sequence[FileRow], *,
                 actor: User | None) -> Preview:
    """Check every cell of a list to add: what the API would refuse (a bad email, an
    unknown source, a name too long), a name given twice in the list or already a
    respondent of the assessment (names compare without case)."""
    assessment = assessments.get_assessment(org, assessment_id)
    assessments.require_seeing_respondents(org, actor)
    return _checked(assessment, rows)[0]


def _checked(assessment: Assessment,
             rows: Sequence[FileRow]) -> tuple[Preview, list[dict[str, Any]]]:
    """`preview_rows` of the list, and each row's loaded values (those of a bad row are
    left out): each row is loaded once, with one schema."""
    taken: dict[str, int | None] = dict.fromkeys(
        (name.casefold() for name in db.session.scalars(
            select(Respondent.name).where(Respondent.assessment_id == assessment.id))), None)
    checked, errors, loaded = [], {}, []
    schema = RespondentSchema()
    for row in rows:
        data, problems = _loaded(schema, row.cells)
        name = row.cells.get("name", "")
        if name and "name" not in problems:
            where = taken.setdefault(name.casefold(), row.number)
            if where != row.number:
                problems["name"] = [_("%(name)s is given twice: %(where)s.", name=name,
                                      where=_("row %(line)d", line=where)) if where
                                    else _("already a respondent of this assessment")]
        checked.append(PreviewRow(row.number, row.cells, problems))
        if problems:
            errors.update({cell_key(row.number, column): lines
                           for column, lines in problems.items()})
        else:
            loaded.append(data)
    return Preview(checked, errors), loaded


def _loaded(schema: RespondentSchema,
            cells: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A row's values as `RespondentSchema` loads them, and what it refuses, by column."""
    given = _schema_input(cells)
    if (plain := _plain_load(given)) is not None:
        return plain, {}
    try:
        return schema.load(given), {}
    except ValidationError as invalid:
        messages = invalid.messages if isinstance(invalid.messages, dict) else {}
        return {}, {column: [str(m) for m in lines] for column, lines in messages.items()}


#: What `RespondentSchema` loads for a column a row leaves empty.
_DEFAULTS: dict[str, str | None] = {"email": None, "role": None, "team": None, "level": None,
                                    "source": "survey", "perspective": None}
_EMAIL = validate.Email()
#: The two patterns of `_EMAIL`, the address's part before its last `@` and after it.
_USER_MATCH, _DOMAIN_MATCH = _EMAIL.USER_REGEX.match, _EMAIL.DOMAIN_REGEX.match


def _plain_load(given: Mapping[str, str]) -> dict[str, Any] | None:
    """What `RespondentSchema` loads from a row's given cells when the row obeys every rule
    of the schema, checked in plain Python (a list of thousands of rows is checked in a
    blink); None when any cell may break one, so that the schema itself says which and
    how, in its own words.

    >>> _plain_load({"name": "Ada", "source": "interview"})["source"]
    'interview'
    >>> _plain_load({"name": "Ada", "email": "not an address"}) is None
    True
    """
    name = given.get("name", "")
    if not 1 <= len(name) <= 200 or NUL in "".join(given.values()):
        return None
    if len(given.get("role", "")) > 100 or len(given.get("team", "")) > 100 \
            or len(given.get("level", "")) > 100:
        return None
    if given.get("source", "survey") not in SOURCES or given.get(
            "perspective", PERSPECTIVES[0]) not in PERSPECTIVES:
        return None
    email = given.get("email")
    if email is not None and (len(email) > 254 or not _single_line(email)
                              or not _is_email(email)):
        return None
    return {**_DEFAULTS, **given}


def _single_line(text: str) -> bool:
    """`is_single_line`, answered at once for printable ASCII (no control character, no
    line break, the common case) and by its character-by-character check otherwise.

    >>> _single_line("ada@example.org"), _single_line("ada@example.org\\r\\nBcc: x")
    (True, False)
    """
    return (text.isascii() and text.isprintable()) or is_single_line(text)


def _is_email(text: str) -> bool:
    """Whether marshmallow's `Email` validator takes `text`: its two patterns matched at
    once (the validator formats its error message before any check, on every call), the
    validator itself for what they do not take."""
    user, at, domain = text.rpartition("@")
    if at and _USER_MATCH(user) and _DOMAIN_MATCH(domain):
        return True
    try:
        _EMAIL(text)
    except ValidationError:
        return False
    return True


#: The columns a row of a list gives, as a set (`FIELDS`).
_FIELD_SET = frozenset(FIELDS)


def _schema_input(cells: Mapping[str, str]) -> dict[str, str]:
    """A row's given cells (an empty cell is not given: no email, the default source)."""
    return {column: value for column, value in cells.items() if value and column in _FIELD_SET}


def add_respondents(org: Organization, assessment_id: int, rows: Sequence[FileRow], *,
                    actor: User | None) -> list[int]:
    """Add every respondent of a checked list in one transaction, or none: the list is
    checked again first (InvalidInput naming every bad cell), and a name another request
    added meanwhile rolls the whole list back (409). The new ids, in the list's order."""
    assessment = assessments.get_assessment(org, assessment_id)
    assessments.ensure_writable(assessment)
    assessments.require_seeing_respondents(org, actor)
    checked, loaded = _checked(assessment, rows)
    if checked.errors:
        raise InvalidInput(_("%(count)d cell(s) of the list are not valid; nothing was added.",
                             count=len(checked.errors)), errors=checked.errors)
    owner = {"org_id": org.id, "assessment_id": assessment.id}
    values = [{**owner, "survey_token": assessments.new_survey_token(), **data}
              for data in loaded]
    with transaction() as session:
        found = {name: new_id for new_id, name in insert_returning(
            Respondent.__table__, values, ("id", "name"),
            key=("assessment_id", "name"))}
        for row, data in zip(rows, values, strict=True):
            if data["name"] not in found:
                raise Conflict(_("%(name)s was added meanwhile; nothing was added.",
                                 name=data["name"]),
                               errors={cell_key(row.number, "name"): [_("Already added.")]})
        if found:
            bump_version(session, org.id)
    return [found[data["name"]] for data in values]


def send_invitations(org: Organization, assessment_id: int, config: Mapping[str, Any], *,
                     actor: User | None) -> int:
    """Queue the survey invitation of every respondent with an email who never got one;
    how many were queued. The assessment must be open (its survey takes answers then)."""
    assessment = _open_assessment(org, assessment_id, actor)
    people = list(db.session.scalars(_to_invite(assessment).order_by(Respondent.id)))
    with transaction():
        queued = outbox.enqueue(org.id, [
            _invitation(org, assessment, config, _invitation_key(assessment.id, r.id), r)
            for r in people])
    return len(queued)


def _invitation(org: Organization, assessment: Assessment, config: Mapping[str, Any], key: str,
                respondent: Respondent) -> outbox.Email:
    """A respondent's survey invitation under `key`, in the organization's language."""
    with force_locale(org.locale or "en"):
        return _survey_email(
            config, key, respondent, _("%(org)s: your maturity survey", org=org.name),
            _("You are invited to answer the survey “%(title)s”. It takes about ten minutes, "
              "and your answers can be changed until it closes:", title=assessment.title))


def resend_invitation(org: Organization, assessment_id: int, respondent_id: int,
                      config: Mapping[str, Any], *, actor: User | None) -> int:
    """Queue one respondent's invitation on purpose: their first if they never got one,
    else once more (a new address, a lost email); how many were queued (0 without email)."""
    assessment = _open_assessment(org, assessment_id, actor)
    person = get_respondent(org, assessment_id, respondent_id, actor=actor)
    if not person.email:
        return 0
    key = _invitation_key(assessment.id, person.id)
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        key = _next_resend({person.id: key})[person.id]
    with transaction():
        return len(outbox.enqueue(org.id, [_invitation(org, assessment, config, key, person)]))


def send_reminders(org: Organization, assessment_id: int, config: Mapping[str, Any], *,
                   actor: User | None, again: bool = False, now: datetime | None = None) -> int:
    """Queue a reminder to every respondent with an email who has not rated every
    dimension yet, once per ISO week of the organization's calendar (`again`: once more,
    on purpose); how many were queued."""
    assessment = _open_assessment(org, assessment_id, actor)
    people = list(db.session.scalars(
        _to_remind(assessment, _dimension_count(assessment)).order_by(Respondent.id)))
    year, week, _day = (now or utcnow()).astimezone(org.zone).isocalendar()
    keys = {r.id: f"{_prefix(assessment.id, r.id)}reminder:{year}-W{week:02d}" for r in people}
    if again:
        keys = _next_resend(keys)
    with transaction(), force_locale(org.locale or "en"):
        subject = _("%(org)s: reminder, your maturity survey", org=org.name)
        intro = _("Your answers to the survey “%(title)s” are not complete yet:",
                  title=assessment.title)
        queued = outbox.enqueue(org.id, [
            _survey_email(config, keys[r.id], r, subject, intro) for r in people])
    return len(queued)


def _next_resend(keys: Mapping[int, str]) -> dict[int, str]:
    """Each key with the next free resend suffix (`#1`, `#2`...)."""
    taken = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(
        or_(*(OutboxMessage.dedupe_key.startswith(key, autoescape=True)
              for key in keys.values())))))
    resent = {}
    for respondent_id, key in keys.items():
        number = 1
        while f"{key}#{number}" in taken:
            number += 1
        resent[respondent_id] = f"{key}#{number}"
    return resent


def _open_assessment(org: Organization, assessment_id: int, actor: User | None) -> Assessment:
    """The assessment, if open (409 otherwise) and the actor sees its respondents."""
    assessment = assessments.get_assessment(org, assessment_id)
    assessments.require_seeing_respondents(org, actor)
    if assessment.status != "open":
        raise Conflict(_("Open the assessment first: its survey takes answers only while it "
                         "is open."), errors={"status": [assessment.status]})
    return assessment


def _survey_email(config: Mapping[str, Any], key: str, respondent: Respondent, subject: str,
                  intro: str) -> outbox.Email:
    """A respondent's survey link by email, under `key`."""
    text, html = survey_email.render(respondent.name, intro, survey_link(config, respondent))
    return outbox.Email(key, respondent.email or "", subject, text, html)


def survey_link(config: Mapping[str, Any], respondent: Respondent) -> str:
    """The respondent's personal survey link (the API's `survey_url`, the emails' link)."""
    return f"{config['TRACKER_BASE_URL']}/survey/{respondent.survey_token}"


def read_list(data: bytes, filename: str, config: Mapping[str, Any]) -> list[FileRow]:
    """The rows of a pasted or uploaded list: an `.xlsx` workbook (by its name or its zip
    signature) or UTF-8 CSV text, within the ratings import's byte and row limits
    (TooLarge beyond them, InvalidInput for what cannot be read)."""
    check_size(len(data), int(config[ratings_import.MAX_BYTES_SETTING]),
               setting=ratings_import.MAX_BYTES_SETTING, what="list")
    max_rows = int(config.get(ROWS_SETTING, respondents_file.MAX_ROWS))
    if filename.lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        return respondents_file.read_xlsx(data, max_rows=max_rows)
    return respondents_file.read_csv(ratings_import.decode_csv(data), max_rows=max_rows)


def list_csv(rows: Sequence[FileRow]) -> str:
    """Rows as CSV text under the full header: what the preview carries to its confirm
    (an uploaded workbook included), read again by `read_list` there."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(respondents_file.COLUMNS)
    writer.writerows([row.cells.get(column, "") for column in respondents_file.COLUMNS]
                     for row in rows)
    return buffer.getvalue()
