"""The pure CSV ratings parser: cells, header, duplicates; properties with hypothesis."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from tracker.adapters.importers.ratings_csv import (
    parse_cell,
    parse_ratings_csv,
    parse_ratings_records,
    xlsx_records,
)
from tracker.domain.errors import InvalidInput

CODES = ["x.one", "x.two"]
SOURCES = ("interview", "survey")
HEADER = "name,role,team,level,source,x.one,x.two\n"


def _parse(text: str, existing: tuple[str, ...] = ()):
    return parse_ratings_csv(text, CODES, (1, 5), SOURCES, existing)


def test_rows_become_respondents_with_ratings_and_defaults():
    rows = _parse("\ufeff" + HEADER + "Ann,eng,claims,team,,4,?\n\n Bob ,,,,interview,,2.5\n")

    assert [(r.row, r.name, r.role, r.source, r.ratings) for r in rows] == [
        (2, "Ann", "eng", "survey", {"x.one": 4.0, "x.two": None}),
        (4, "Bob", None, "interview", {"x.two": 2.5})]


def test_a_row_with_more_cells_than_columns_is_named():
    with pytest.raises(InvalidInput) as caught:
        _parse(HEADER + "Ann,eng,claims,team,survey,4,3,extra\n")
    assert caught.value.errors == {"row 2": ["8 cells for 7 columns."]}


def test_a_duplicated_column_and_a_missing_name_are_named():
    with pytest.raises(InvalidInput) as caught:
        _parse("name,role,team,level,source,x.one,x.one\n")
    assert caught.value.errors == {"row 1.x.one": ["Column given twice."]}
    with pytest.raises(InvalidInput) as caught:
        _parse(HEADER + ",eng,claims,team,survey,4,3\n")
    assert caught.value.errors == {"row 2.name": ["A respondent needs a name."]}


@given(st.floats(min_value=1, max_value=5, allow_nan=False))
def test_any_value_on_the_scale_is_read_back_exactly(value):
    assert parse_cell(repr(value), 1, 5) == (True, value)


@given(st.one_of(st.floats(max_value=0.999, allow_nan=False, allow_infinity=False),
                 st.floats(min_value=5.001, allow_nan=False, allow_infinity=False)))
def test_any_value_off_the_scale_is_refused_at_its_cell(value):
    with pytest.raises(InvalidInput) as caught:
        _parse(HEADER + f"Ann,eng,claims,team,survey,3,{value!r}\n")
    assert list(caught.value.errors) == ["row 2.x.two"]
    assert "outside the scale 1–5" in caught.value.errors["row 2.x.two"][0]


@given(st.lists(st.sampled_from(["Ann", "ann", "Bob", "Cat", "cat", "Dan"]), min_size=1,
                max_size=8))
def test_every_repeated_name_is_reported_at_its_later_rows_and_only_there(names):
    text = HEADER + "".join(f"{name},eng,claims,team,survey,3,3\n" for name in names)
    first_row: dict[str, int] = {}
    expected = {}
    for row, name in enumerate(names, start=2):
        if name.casefold() in first_row:
            expected[f"row {row}.name"] = [
                f"{name} is already a respondent in row {first_row[name.casefold()]}."]
        first_row.setdefault(name.casefold(), row)
    if not expected:
        assert [r.name for r in _parse(text)] == names
        return
    with pytest.raises(InvalidInput) as caught:
        _parse(text)
    assert caught.value.errors == expected


def test_semicolons_a_bom_and_decimal_commas_are_read_as_spreadsheets_write_them():
    rows = _parse("\ufeffname;role;team;level;source;x.one;x.two\nAnn;eng;;;survey;3,5;4\n")

    assert [(r.name, r.ratings) for r in rows] == [("Ann", {"x.one": 3.5, "x.two": 4.0})]


def test_an_xlsx_first_sheet_gives_the_same_rows_as_its_csv():
    book = Workbook()
    book.active.append(["name", "role", "team", "level", "source", "x.one", "x.two"])
    book.active.append(["Ann", "eng", None, None, "survey", 3.5, 4])
    book.create_sheet("ignored").append(["not", "read"])
    out = io.BytesIO()
    book.save(out)

    rows = parse_ratings_records(xlsx_records(out.getvalue()), CODES, (1, 5), SOURCES)

    assert [(r.name, r.team, r.ratings) for r in rows] == [
        ("Ann", None, {"x.one": 3.5, "x.two": 4.0})]


def test_a_file_that_is_not_a_workbook_is_named_on_file():
    with pytest.raises(InvalidInput) as caught:
        list(xlsx_records(b"name,role\n"))
    assert list(caught.value.errors) == ["file"]
