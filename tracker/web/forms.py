"""Numbers as people type them in the web forms: `2.5`, `2,5`, `1 234,5` or `1,234.5`.

Every web form that reads a number passes the typed text through `form_number` before the
schema reads it, so a French decimal comma (and a space between thousands) is accepted
everywhere; `number_errors` puts the schema's refusal in the reader's language, naming the
field. The API keeps JSON numbers: this is the web layer's reading of a text input only.
An uploaded CSV that is not UTF-8 is read as Windows-1252, and `encoding_warning` says so.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _
from marshmallow import fields

from tracker.domain.errors import InvalidInput
from tracker.schemas.common import translate_message
from tracker.services.observe import ratings_import

# Spaces people and spreadsheets put between thousands: plain, no-break, narrow no-break.
_GROUPING = re.compile(r"[ \u00a0\u202f\u2009]")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_NOT_A_NUMBER = {str(fields.Float().error_messages["invalid"]),
                 str(fields.Integer().error_messages["invalid"])}


def form_number(text: str) -> str:
    """A number as typed, in the notation the schemas read (`1 234,5` -> `1234.5`); a text
    that is no number comes back as sent (stripped) so the schema refuses it. With both a
    comma and a point the last one is the decimal mark (`1,234.5`, `1.234,5`)."""
    raw = text.strip()
    packed = _GROUPING.sub("", raw)
    if "," in packed and "." in packed:
        grouping = "." if packed.rfind(",") > packed.rfind(".") else ","
        packed = packed.replace(grouping, "")
    return packed.replace(",", ".") if _NUMBER.fullmatch(packed) else raw


def form_numbers(values: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The form's values with each named field that is text read by `form_number` (blank
    and absent fields, lists and the other fields as sent)."""
    read = dict(values)
    for name in names:
        if isinstance(read.get(name), str):
            read[name] = form_number(read[name])
    return read


def form_float(text: str) -> float:
    """The typed text as a float (`2,5` -> 2.5); ValueError when it is no number."""
    return float(form_number(text))


def number_message(label: str) -> str:
    """The refusal of a field that is not a number, naming it and showing both marks."""
    return _("%(field)s must be a number, such as 2.5 or 2,5.", field=label)


def number_errors(messages: Any, labels: Mapping[str, str]) -> Any:
    """The schema's messages with its "Not a valid number." (English, or as `Schema.load`
    translated it) under a labelled field replaced by `number_message` (nested messages of
    list fields walked)."""
    if not isinstance(messages, dict):
        return messages
    not_a_number = {*_NOT_A_NUMBER, *(translate_message(line) for line in _NOT_A_NUMBER)}
    named: dict[Any, Any] = {}
    for key, problems in messages.items():
        if isinstance(problems, dict):
            named[key] = number_errors(problems, labels)
        elif isinstance(problems, list) and key in labels:
            named[key] = [number_message(labels[key]) if str(line) in not_a_number else line
                          for line in problems]
        else:
            named[key] = problems
    return named


def encoding_warning(data: bytes, filename: str) -> str | None:
    """What the preview of an uploaded CSV tells when the file was not UTF-8 and was read
    as Windows-1252 (French Excel's "CSV (semicolon-separated)"); None for a UTF-8 file, a
    workbook, or a file the import refuses anyway (it says why)."""
    if filename.lower().endswith(".xlsx"):
        return None
    try:
        warnings = ratings_import.encoding_warnings(data)
    except InvalidInput:
        return None
    return warnings[0] if warnings else None
