"""Builders of dependency networks for the roadmap tests, written through the models (the
initiatives API belongs to another area)."""

from __future__ import annotations

from typing import Any

from tracker.extensions import db
from tracker.models import Dependency, Initiative

#: The textbook network: name → weeks, and (prerequisite, dependent) edges.
TEXTBOOK = {"A": 6, "B": 2, "C": 2, "D": 3, "F": 2, "E": 4, "G": 1}
TEXTBOOK_EDGES = [("A", "B"), ("A", "C"), ("B", "D"), ("C", "F"), ("D", "E"), ("F", "E"),
                  ("E", "G")]


def add_network(org_id: int, durations: dict[str, float],
                edges: list[tuple[str, str]] | list[tuple[str, str, float]],
                **fields: dict[str, Any]) -> dict[str, int]:
    """Insert initiatives titled by name (extra columns per name in `fields`) and their
    dependencies; answers the ids by name."""
    initiatives = {name: Initiative(org_id=org_id, title=name, duration_weeks=weeks,
                                    **{"status": "approved", **fields.get(name, {})})
                   for name, weeks in durations.items()}
    db.session.add_all(initiatives.values())
    db.session.flush()
    db.session.add_all(Dependency(org_id=org_id, prerequisite_id=initiatives[e[0]].id,
                                  dependent_id=initiatives[e[1]].id,
                                  lag_weeks=e[2] if len(e) > 2 else 0.0)  # type: ignore[misc]
                       for e in edges)
    db.session.commit()
    return {name: initiative.id for name, initiative in initiatives.items()}
