"""A minimal iCalendar (RFC 5545) writer: all-day events, text escaped, lines folded at 75
octets and ended by CRLF, so calendars (Outlook, Google, Apple) open the roadmap.

A subscribed calendar fetches the same events again and again: each carries its revision
(`SEQUENCE`), when it last changed (`LAST-MODIFIED`) and the address of its page (`URL`), so
the application updates the event in place and links back to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

CRLF = "\r\n"
MAX_OCTETS = 75


@dataclass(frozen=True, slots=True)
class Event:
    """An all-day event from `start` to `end` (exclusive, as iCalendar's DTEND), with its
    revision number, last change (a UTC time) and page address when known."""

    uid: str
    summary: str
    start: date
    end: date
    description: str = ""
    sequence: int | None = None
    last_modified: datetime | None = None
    url: str = ""


def escape_text(value: str) -> str:
    r"""A TEXT value escaped per RFC 5545 3.3.11: backslash, `;`, `,` and newlines.

    >>> escape_text("Pilots; teams, roles\nand more\\")
    'Pilots\\; teams\\, roles\\nand more\\\\'
    """
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold_line(line: str) -> str:
    """A content line folded so no line exceeds 75 octets in UTF-8 (continuations start
    with one space), never splitting a character.

    >>> fold_line("X" * 80) == "X" * 75 + "\\r\\n " + "X" * 5
    True
    """
    parts: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def calendar(events: Iterable[Event], *, prodid: str, name: str, stamp: datetime) -> str:
    """A VCALENDAR with one VEVENT per event, every line ended by CRLF. `stamp` (a UTC
    time) is each event's DTSTAMP, when the calendar was made.

    >>> text = calendar([Event("i-1@x", "Pilot", date(2025, 1, 6), date(2025, 1, 20))],
    ...                 prodid="-//tracker//roadmap//EN", name="Roadmap",
    ...                 stamp=datetime(2025, 1, 1, 12, 0))
    >>> text.splitlines()[5:9]
    ['BEGIN:VEVENT', 'UID:i-1@x', 'DTSTAMP:20250101T120000Z', 'DTSTART;VALUE=DATE:20250106']
    >>> calendar([Event("i-1@x", "Pilot", date(2025, 1, 6), date(2025, 1, 20), sequence=3,
    ...                 last_modified=datetime(2024, 12, 2, 9, 30), url="https://t.example/i/1")],
    ...          prodid="-//tracker//roadmap//EN", name="Roadmap",
    ...          stamp=datetime(2025, 1, 1, 12, 0)).splitlines()[11:14]
    ['SEQUENCE:3', 'LAST-MODIFIED:20241202T093000Z', 'URL;VALUE=URI:https://t.example/i/1']
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{escape_text(name)}"]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}",
                  f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
                  f"DTSTART;VALUE=DATE:{event.start.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{event.end.strftime('%Y%m%d')}",
                  f"SUMMARY:{escape_text(event.summary)}"]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines += _revision(event)
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)


def _revision(event: Event) -> list[str]:
    """The lines that let a subscribed calendar update the event in place and link back:
    SEQUENCE, LAST-MODIFIED (UTC) and URL, each when known. A URL is a URI value, written
    as it is (it is never escaped as text: its commas and semicolons belong to it)."""
    lines = [] if event.sequence is None else [f"SEQUENCE:{event.sequence}"]
    if event.last_modified is not None:
        lines.append(f"LAST-MODIFIED:{event.last_modified.strftime('%Y%m%dT%H%M%SZ')}")
    if event.url:
        lines.append(f"URL;VALUE=URI:{event.url}")
    return lines
