"""The one CSV writer is spreadsheet-safe: a text cell that would start a formula gets a
`'` prefix; numbers, flags and ordinary texts are written as they are."""

from __future__ import annotations

import csv
import io
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.adapters.exporters.csv import FORMULA_TRIGGERS, table


def _cells(*values: object) -> list[str]:
    """The cells of one row written by `table`, read back by a CSV reader."""
    text = table([f"c{i}" for i in range(len(values))], [values])
    return list(csv.reader(io.StringIO(text, newline="")))[1]


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)",
                                     "\tcmd", "\rcmd", "-0.5"])
def test_a_text_starting_like_a_formula_is_prefixed(hostile):
    assert _cells(hostile) == [f"'{hostile}"]


def test_numbers_flags_and_plain_texts_are_unchanged():
    assert _cells(-0.5, -3, 0, True, None, "a - b", "x=1") == [
        "-0.5", "-3", "0", "true", "", "a - b", "x=1"]


def test_a_list_whose_first_item_is_hostile_is_prefixed():
    assert _cells(["=1+1", "ok"], ["ok", "=1+1"]) == ["'=1+1;ok", "ok;=1+1"]


def test_a_non_finite_number_is_text_and_safe():
    assert _cells(-math.inf, math.nan) == ["'-inf", "nan"]


def test_a_hostile_header_is_prefixed():
    assert table(["=cmd"], []) == "\ufeff'=cmd\r\n"


@given(st.text() | st.tuples(st.sampled_from(FORMULA_TRIGGERS), st.text()).map("".join))
def test_no_text_cell_ever_starts_a_formula(text):
    (cell,) = _cells(text)
    assert not cell.startswith(FORMULA_TRIGGERS)
    assert cell in (text, f"'{text}")
