"""The plain check of a respondents list's rows (issue 20) loads exactly what
`RespondentSchema` loads, and leaves to the schema every row it refuses."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from tracker.schemas.observe import RespondentSchema
from tracker.services.observe.respondents import _plain_load

ROWS = [
    {"name": "Ada"},
    {"name": "A" * 200, "email": "ada@example.org", "role": "r" * 100, "team": "Core",
     "level": "leader", "source": "interview", "perspective": "client"},
    {"name": "Zoé", "email": "zoé@exemple.fr", "perspective": "consultant"},
    {"name": "A" * 201},
    {"name": ""},
    {"email": "ada@example.org"},
    {"name": "Ada", "email": "not an address"},
    {"name": "Ada", "email": "ada@exa\u2028mple.org"},
    {"name": "Ada", "email": "a" * 243 + "@example.org"},
    {"name": "Ada", "email": "a" * 242 + "@example.org"},
    {"name": "Ada", "role": "r" * 101},
    {"name": "Ada", "level": "l" * 101},
    {"name": "Ada", "source": "rumour"},
    {"name": "Ada", "perspective": "both"},
    {"name": "Ada", "team": "co\x00re"},
    {"name": "Ad\x00a"},
]


@pytest.mark.parametrize("given", ROWS)
def test_the_plain_check_loads_what_the_schema_loads_or_leaves_the_row_to_it(app, given):
    try:
        expected = RespondentSchema().load(dict(given))
    except ValidationError:
        assert _plain_load(given) is None
    else:
        assert _plain_load(given) == expected


def test_the_plain_check_takes_the_rows_the_schema_takes():
    assert _plain_load({"name": "Ada"}) == {
        "name": "Ada", "email": None, "role": None, "team": None, "level": None,
        "source": "survey", "perspective": None}
    assert _plain_load({"name": "Ada", "email": "a" * 242 + "@example.org"}) is not None
    assert _plain_load({"name": "Ada", "email": "a" * 243 + "@example.org"}) is None
