"""A minimal iCalendar (RFC 5545) writer: all-day events, text escaped, lines folded at 75
octets and ended by CRLF, so calendars (Outlook, Google, Apple) open the roadmap."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

CRLF = "\r\n"
MAX_OCTETS = 75


@dataclass(frozen=True, slots=True)
class Event:
    """An all-day event from `start` to `end` (exclusive, as iCalendar's DTEND)."""

    uid: str
    summary: str
    start: date
    end: date
    description: str = ""


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
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)
