"""Editing the roadmap's phases one at a time (the phases editor): move a phase before or
after its neighbour, remove one. Every change goes through `roadmap.replace_phases`, so the
rules stay in one place (each phase ends after it starts, none overlaps another)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _

from tracker.domain.errors import InvalidInput
from tracker.models import Organization, Phase
from tracker.services.pagination import Page
from tracker.services.plan import roadmap
from tracker.services.tenancy.access import get_owned

#: The most phases an organization holds (a roadmap has a handful).
MAX_PHASES = 200


def swap_windows(first: dict[str, Any], second: dict[str, Any]) -> tuple[dict[str, Any],
                                                                          dict[str, Any]]:
    """Two consecutive phases in the other order over the same span: the second now starts
    where the first started, each keeps its length and the gap between them stays.

    >>> a = {"name": "A", "start": date(2025, 1, 6), "end": date(2025, 3, 3)}
    >>> b = {"name": "B", "start": date(2025, 3, 10), "end": date(2025, 4, 7)}
    >>> [(p["name"], p["start"].isoformat(), p["end"].isoformat()) for p in swap_windows(a, b)]
    [('B', '2025-01-06', '2025-02-03'), ('A', '2025-02-10', '2025-04-07')]
    """
    gap = second["start"] - first["end"]
    moved_end: date = first["start"] + (second["end"] - second["start"])
    return ({**second, "start": first["start"], "end": moved_end},
            {**first, "start": moved_end + gap, "end": second["end"]})


def move_phase(org: Organization, phase_id: int, offset: int) -> Page[Phase]:
    """Move a phase one place earlier (`offset` -1) or later (+1), swapping windows with
    its neighbour (`swap_windows`); the first phase cannot move earlier, nor the last
    later."""
    rows, index = _rows_and_index(org, phase_id)
    other = index + offset
    if offset not in (-1, 1) or not 0 <= other < len(rows):
        raise InvalidInput(_("This phase is already first or last."),
                           errors={"position": [_("already first or last")]})
    low, high = sorted((index, other))
    rows[low], rows[high] = swap_windows(rows[low], rows[high])
    return roadmap.replace_phases(org, rows)


def remove_phase(org: Organization, phase_id: int) -> Page[Phase]:
    """Remove one phase; the others stay as they are."""
    rows, index = _rows_and_index(org, phase_id)
    del rows[index]
    return roadmap.replace_phases(org, rows)


def _rows_and_index(org: Organization, phase_id: int) -> tuple[list[dict[str, Any]], int]:
    """The stored rows and the place of `phase_id` among them (another organization's
    phase is not found)."""
    phase = get_owned(Phase, org, phase_id, "Phase")
    ordered: Sequence[Phase] = roadmap.list_phases(org, 1, MAX_PHASES).items
    index = next(k for k, p in enumerate(ordered) if p.id == phase.id)
    return [{"name": p.name, "start": p.start, "end": p.end} for p in ordered], index
