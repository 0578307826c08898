"""Schemas shared by every API module: pagination and the problem+json error body."""

from __future__ import annotations

from functools import cache
from typing import Any

from marshmallow import Schema, fields, validate

PER_PAGE_MAX = 200


class PageArgsSchema(Schema):
    """`page` (from 1) and `per_page` (1 to 200, default 50) query arguments."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=PER_PAGE_MAX))


@cache
def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """The envelope of a paginated list of `item_schema`: `items`, `total`, `page`, `per_page`."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema)),
        "total": fields.Integer(),
        "page": fields.Integer(),
        "per_page": fields.Integer(),
    }, name=name)


class ProblemSchema(Schema):
    """RFC 9457 problem details, as every API error is answered."""

    type = fields.String(metadata={"description": "A URI naming the problem type"})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(metadata={"description": "Validation messages per field"})


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
