"""The hand-written iCalendar writer: escaping, folding, CRLF, all-day events."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from tracker.adapters.exporters.ical import Event, calendar, escape_text, fold_line

STAMP = datetime(2025, 1, 1, 9, 30)


def test_text_is_escaped_per_rfc_5545():
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


def test_a_calendar_has_one_all_day_event_per_item_and_crlf_lines():
    text = calendar([Event("1@t", "One", date(2025, 1, 6), date(2025, 1, 20), "why"),
                     Event("2@t", "Two", date(2025, 2, 3), date(2025, 2, 4))],
                    prodid="-//t//EN", name="Plan", stamp=STAMP)
    lines = text.split("\r\n")
    assert lines[-1] == "" and all("\n" not in line for line in lines)
    assert lines[:5] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN",
                         "CALSCALE:GREGORIAN", "X-WR-CALNAME:Plan"]
    assert lines[5:13] == ["BEGIN:VEVENT", "UID:1@t", "DTSTAMP:20250101T093000Z",
                           "DTSTART;VALUE=DATE:20250106", "DTEND;VALUE=DATE:20250120",
                           "SUMMARY:One", "DESCRIPTION:why", "END:VEVENT"]
    assert text.count("BEGIN:VEVENT") == 2 and "DESCRIPTION" not in text.split("UID:2@t")[1]


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    folded = fold_line("SUMMARY:" + "é" * 60)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if k else p for k, p in enumerate(parts)) == "SUMMARY:" + "é" * 60


LINE_TEXT = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)),
                    max_size=300)


@given(LINE_TEXT)
def test_folding_is_reversible_and_within_the_limit(text):
    parts = fold_line(text).split("\r\n ")
    assert "".join(parts) == text
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
