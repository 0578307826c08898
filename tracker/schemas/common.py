"""What every schema shares: the base `Schema` (no NUL character gets in), the `Id` field,
single-line texts, email addresses and time zones, whole nested records, pagination and the
URL converters.

Every schema of `tracker.schemas` derives from `Schema` here, so the rules of the edge hold
for API bodies, query arguments, pages' forms and imported documents alike; the database
never sees a NUL character (PostgreSQL refuses them in text) or an id it cannot hold. Paths
obey the same rules through the converters: an `<int:...>` segment is an id from 1 to
2^31 − 1 and a text segment holds no NUL, otherwise no route matches and the answer is 404,
as for any record that does not exist (the OpenAPI document shows the bounds).

marshmallow's own messages ("Not a valid number.", "Missing data for required field.",
"Must be one of: ...") are English; `Schema.load` gives them in the request's language
(`translate_messages`, through `tracker.web.i18n.select_locale`), for the API and the pages
alike, keeping their shape (the same keys, the same lists).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any
from zoneinfo import available_timezones

import marshmallow
from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate
from marshmallow.error_store import merge_errors
from marshmallow.types import UnknownOption
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

from tracker.domain.constants import DB_INT_MAX

PER_PAGE_MAX = 200
NUL = "\x00"
NUL_MESSAGE = "NUL characters are not allowed."
#: The range of a record id: what the database's `integer` columns hold.
ID_RANGE = validate.Range(min=1, max=DB_INT_MAX)
#: For other stored whole numbers (counts, versions): non-negative and within the column.
STORED_COUNT = validate.Range(min=0, max=DB_INT_MAX)
#: The longest duration, slip, lag or delay a plan takes, in weeks (ten years), so that a
#: plan's dates stay within the calendar however many initiatives follow one another.
MAX_WEEKS = 520
WEEKS = validate.Range(min=0, max=MAX_WEEKS)
POSITIVE_WEEKS = validate.Range(min=0, min_inclusive=False, max=MAX_WEEKS)
LAG_WEEKS = validate.Range(min=-MAX_WEEKS, max=MAX_WEEKS)
#: Unicode categories that break a line or control the terminal: controls (CR, LF, TAB,
#: DEL, C1), and the line and paragraph separators (`str.splitlines` breaks on all of them).
LINE_BREAKING = frozenset({"Cc", "Zl", "Zp"})


class Schema(marshmallow.Schema):
    """marshmallow's `Schema`, refusing NUL characters anywhere in the input (values and
    keys, in strings, lists and free-form objects), reported per field together with the
    other field errors, in one pass."""

    def load(self, data: Any, *, many: bool | None = None, partial: Any = None,
             unknown: UnknownOption | None = None) -> Any:
        """`Schema.load`, with a NUL error for each text of `data` that holds one."""
        many = self.many if many is None else many
        nul_errors = _many_nul(data, self) if many else nul_messages(data, self)
        try:
            result = super().load(data, many=many, partial=partial, unknown=unknown)
        except ValidationError as error:
            messages = merge_errors(error.messages, nul_errors) if nul_errors else error.messages
            raise ValidationError(translate_messages(messages), data=data,
                                  valid_data=error.valid_data) from error
        if nul_errors:
            raise ValidationError(translate_messages(nul_errors), data=data)
        return result


#: marshmallow's messages without a value, by their English text, as `gettext` reads them
#: (each literal here is in the catalogue).
BUILT_IN: dict[str, Callable[[], str]] = {
    "Not a valid number.": lambda: _("Not a valid number."),
    "Not a valid integer.": lambda: _("Not a valid integer."),
    "Not a valid string.": lambda: _("Not a valid string."),
    "Not a valid boolean.": lambda: _("Not a valid boolean."),
    "Not a valid date.": lambda: _("Not a valid date."),
    "Not a valid datetime.": lambda: _("Not a valid datetime."),
    "Not a valid time.": lambda: _("Not a valid time."),
    "Not a valid list.": lambda: _("Not a valid list."),
    "Not a valid mapping type.": lambda: _("Not a valid mapping type."),
    "Not a valid email address.": lambda: _("Not a valid email address."),
    "Not a valid URL.": lambda: _("Not a valid URL."),
    "Not a valid tuple.": lambda: _("Not a valid tuple."),
    "Missing data for required field.": lambda: _("Missing data for required field."),
    "Field may not be null.": lambda: _("Field may not be null."),
    "Unknown field.": lambda: _("Unknown field."),
    "Invalid input type.": lambda: _("Invalid input type."),
    "Invalid value.": lambda: _("Invalid value."),
    "Invalid type.": lambda: _("Invalid type."),
    "Number too large.": lambda: _("Number too large."),
    "Special numeric values (nan or infinity) are not permitted.":
        lambda: _("Special numeric values (nan or infinity) are not permitted."),
    "String does not match expected pattern.":
        lambda: _("String does not match expected pattern."),
    NUL_MESSAGE: lambda: _("NUL characters are not allowed."),
}
_NUMBER = r"(?P<{}>.+?)"
#: marshmallow's validators' messages with values (`{min}`, `{choices}`), by their pattern.
PATTERNS: tuple[tuple[re.Pattern[str], Callable[[dict[str, str]], str]], ...] = tuple(
    (re.compile("^" + pattern.format(min=_NUMBER.format("min"), max=_NUMBER.format("max"),
                                     equal=_NUMBER.format("equal")) + "$"), message)
    for pattern, message in (
        (r"Length must be between {min} and {max}\.",
         lambda p: _("Length must be between %(min)s and %(max)s.", **p)),
        (r"Shorter than minimum length {min}\.",
         lambda p: _("Shorter than minimum length %(min)s.", **p)),
        (r"Longer than maximum length {max}\.",
         lambda p: _("Longer than maximum length %(max)s.", **p)),
        (r"Length must be {equal}\.", lambda p: _("Length must be %(equal)s.", **p)),
        (r"Must be greater than or equal to {min} and less than or equal to {max}\.",
         lambda p: _("Must be greater than or equal to %(min)s and less than or equal to "
                     "%(max)s.", **p)),
        (r"Must be greater than {min} and less than or equal to {max}\.",
         lambda p: _("Must be greater than %(min)s and less than or equal to %(max)s.", **p)),
        (r"Must be greater than or equal to {min}\.",
         lambda p: _("Must be greater than or equal to %(min)s.", **p)),
        (r"Must be greater than {min}\.", lambda p: _("Must be greater than %(min)s.", **p)),
        (r"Must be less than or equal to {max}\.",
         lambda p: _("Must be less than or equal to %(max)s.", **p)),
        (r"Must be less than {max}\.", lambda p: _("Must be less than %(max)s.", **p)),
        (r"Must be one of: (?P<choices>.+)\.", lambda p: _("Must be one of: %(choices)s.", **p)),
    ))


def translate_message(message: Any) -> Any:
    """One of marshmallow's English messages in the request's language (English outside a
    request); any other message (ours are translated where they are raised) as it is.

    >>> translate_message("Must be one of: en, fr."), translate_message("Ours.")
    ('Must be one of: en, fr.', 'Ours.')
    """
    return translate_known(message, BUILT_IN, PATTERNS)


Patterns = tuple[tuple[re.Pattern[str], Callable[[dict[str, str]], str]], ...]


def translate_known(message: Any, fixed: Mapping[str, Callable[[], str]],
                    patterns: Patterns) -> Any:
    """`message` translated when it is one of the English texts of `fixed`, or matches one
    of `patterns` (whose named groups fill the translation's placeholders); else as it is."""
    if not isinstance(message, str):
        return message
    known = fixed.get(message)
    if known is not None:
        return known()
    for pattern, translated in patterns:
        found = pattern.match(message)
        if found:
            return translated(found.groupdict())
    return message


def translate_messages(messages: Any) -> Any:
    """marshmallow's messages (nested by field, index and `_schema`) with each of its own
    English texts in the request's language, the shape unchanged.

    >>> translate_messages({"a": ["Not a valid number."], "b": {0: ["Unknown field."]}})
    {'a': ['Not a valid number.'], 'b': {0: ['Unknown field.']}}
    """
    if isinstance(messages, dict):
        return {key: translate_messages(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [translate_messages(value) for value in messages]
    return translate_message(messages)


def nul_messages(data: Any, schema: marshmallow.Schema) -> Any:
    """The NUL errors of one record for `schema`, shaped as marshmallow's messages; the
    values of nested-schema fields are left to the nested schema (which reports its own).

    >>> schema = Schema.from_dict({"title": fields.String(),
    ...                            "teams": fields.List(fields.String())})()
    >>> found = nul_messages({"title": "a\\x00b", "teams": ["ok", "\\x00"]}, schema)
    >>> found["title"], found["teams"]
    (['NUL characters are not allowed.'], {1: ['NUL characters are not allowed.']})
    """
    if not isinstance(data, Mapping):
        return _nul_in_value(data)
    by_key = {field.data_key or name: field for name, field in schema.load_fields.items()}
    errors: dict[Any, Any] = {"_schema": [NUL_MESSAGE]} if _nul_in_keys(data) else {}
    for key, value in data.items():
        found = None if _is_nested(by_key.get(key)) else _nul_in_value(value)
        if found:
            errors[key] = found
    return errors


def _many_nul(data: Any, schema: marshmallow.Schema) -> Any:
    """The NUL errors of a list of records, by index."""
    if not isinstance(data, list):
        return {}
    errors = {index: nul_messages(item, schema) for index, item in enumerate(data)}
    return {index: found for index, found in errors.items() if found}


def _nul_in_value(value: Any) -> Any:
    """NUL errors of a plain value: a message list for a text (or an object with such a
    key), by index or key inside lists and objects; None when there is none."""
    if isinstance(value, str):
        return [NUL_MESSAGE] if NUL in value else None
    if isinstance(value, Mapping):
        if _nul_in_keys(value):
            return [NUL_MESSAGE]
        found = {key: _nul_in_value(item) for key, item in value.items()}
    elif isinstance(value, list | tuple):
        found = {index: _nul_in_value(item) for index, item in enumerate(value)}
    else:
        return None
    return {key: messages for key, messages in found.items() if messages} or None


def _nul_in_keys(value: Mapping[Any, Any]) -> bool:
    """Whether a key of an object holds a NUL character."""
    return any(isinstance(key, str) and NUL in key for key in value)


def _is_nested(field: fields.Field | None) -> bool:
    """Whether a field's value is loaded by a nested schema (directly or in a list)."""
    inner = getattr(field, "inner", None)
    return isinstance(field, fields.Nested) or isinstance(inner, fields.Nested)


class Id(fields.Integer):
    """A record id: from 1 to 2^31 − 1, what the database's `integer` columns hold; a larger
    one names no record, so it is refused (422) rather than overflowing the database."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=ID_RANGE, **kwargs)


def is_single_line(text: str) -> bool:
    """Whether `text` holds no line break and no control character (NUL is left to `Schema`,
    which reports it on its own).

    >>> is_single_line("Acme & Co"), is_single_line("Acme\\r\\nBcc: x"), is_single_line("a\\u2028b")
    (True, False, False)
    """
    return not any(unicodedata.category(char) in LINE_BREAKING for char in text if char != NUL)


class Line(fields.String):
    """A text on one line: no CR, LF, TAB or other control character, since it may end up
    in an email header (a subject, an address) where a line break would inject headers; the
    message names the field (`label`, else the field's name)."""

    def __init__(self, *, label: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label = label

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not is_single_line(text):
            label = self.label or (self.data_key or self.name or "this field").replace("_", " ")
            raise ValidationError(f"{label[:1].upper()}{label[1:]} must be a single line: no "
                                  f"line break, tab or other control character.")
        return text


class Email(fields.Email):
    """An email address, at most 254 characters (RFC 5321's limit, and the columns'), on one
    line (marshmallow's check lets Unicode line separators through in the domain)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(max=254), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        address = super()._deserialize(value, attr, data, **kwargs)
        if not is_single_line(address):
            raise self.make_error("invalid")
        return address


@cache
def time_zones() -> frozenset[str]:
    """The IANA time zone names this system knows (read once: the scan is slow)."""
    return frozenset(available_timezones())


def is_time_zone(name: str | None) -> bool:
    """Whether `name` is an IANA time zone name, such as `Europe/Paris`.

    >>> is_time_zone("Europe/Paris"), is_time_zone("Bad/Zone"), is_time_zone("../etc")
    (True, False, False)
    """
    return name in time_zones()


class TimeZone(fields.String):
    """An IANA time zone name (`Europe/Paris`), checked against the system's database, so
    a job's trigger and a page's times can always be computed in it."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        name = super()._deserialize(value, attr, data, **kwargs)
        if not is_time_zone(name):
            raise ValidationError("Unknown time zone: give an IANA name such as "
                                  "Europe/Paris.")
        return name


class WholeNested(fields.Nested):
    """A nested record that is always given whole: its required fields stay required when
    the parent is updated partially (a PATCH replaces the list it belongs to)."""

    def _load(self, value: Any, partial: Any = None) -> Any:
        return super()._load(value, partial=None)


class IdConverter(IntegerConverter):
    """`<int:name>` path segments: a record id, 1 to 2^31 − 1."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int = 1,
                 max: int = DB_INT_MAX, signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits, min, max, signed)


class TextConverter(UnicodeConverter):
    """`<name>` and `<string:name>` path segments: text without a NUL character."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]", 1)


def use_path_converters(url_map: Map) -> None:
    """Make these the converters of every route; call before any route is added."""
    url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)


def csv_separator() -> fields.String:
    """The `sep` query argument of a CSV export: `,` or `;` (DESIGN section 9)."""
    return fields.String(validate=validate.OneOf((",", ";")), metadata={
        "description": "CSV separator: `;` with decimal commas, or `,` with decimal points; "
                       "default `;` for a French organization, `,` otherwise"})


class PageArgsSchema(Schema):
    """`page` (from 1) and `per_page` (1 to 200, default 50) query arguments."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=DB_INT_MAX))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=PER_PAGE_MAX))


@cache
def page_schema(item_schema: type[marshmallow.Schema]) -> type[marshmallow.Schema]:
    """The envelope of a paginated list of `item_schema`: `items`, `total`, `page`, `per_page`."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema)),
        "total": fields.Integer(),
        "page": fields.Integer(),
        "per_page": fields.Integer(),
    }, name=name)


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as `{"axes[0].dimensions[1].code": [...]}`."""
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": messages}
    flat: dict[str, list[str]] = {}
    items = messages.items() if isinstance(messages, dict) else enumerate(messages)
    for key, value in items:
        if isinstance(key, int):
            path = f"{prefix}[{key}]"
        elif key == "_schema":
            path = prefix or "_schema"
        else:
            path = f"{prefix}.{key}" if prefix else str(key)
        flat.update(flatten_messages(value, path))
    return flat
