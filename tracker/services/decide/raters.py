"""Raters of an initiative (planning poker): save one rater's method inputs, remove a rater,
and the medians and spreads the methods and people read.

A rater's inputs sit beside the owner's and never change them (`initiatives.rate`); each
field the methods read is the raters' median, else the owner's value, and its spread
`max − min` over the raters who gave it says how much they disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from sqlalchemy import delete

from tracker.domain.errors import InvalidInput, NotFound
from tracker.domain.prioritization import INPUT_FIELDS, MethodInputs, median_inputs, validate_inputs
from tracker.extensions import db
from tracker.models import Initiative, Organization, RaterInput, User
from tracker.services.audit import audit
from tracker.services.decide.initiatives import get_initiative, rate
from tracker.services.unit_of_work import transaction


def rater_errors(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Field errors of one rater's inputs (null where not given): the domain's ranges, and
    at least one value, since a rater who gives none says nothing."""
    errors = validate_inputs(MethodInputs(**{name: values.get(name) for name in INPUT_FIELDS}))
    if all(values.get(name) is None for name in INPUT_FIELDS):
        errors[""] = ["Give at least one value."]
    return errors


def save_rater(org: Organization, actor: User | None, initiative_id: int, rater: str,
               values: Mapping[str, Any]) -> Initiative:
    """Record (or replace) one rater's inputs on the initiative; 422 naming each bad field."""
    get_initiative(org, initiative_id)
    errors = rater_errors(values)
    if errors:
        raise InvalidInput("Some of the rater's inputs are invalid.", errors=errors)
    return rate(org, actor, initiative_id, rater, values)


def remove_rater(org: Organization, actor: User | None, initiative_id: int,
                 rater: str) -> Initiative:
    """Remove one rater's inputs from the initiative (audited, old values → none); the
    fields they gave then read the other raters' median, else the owner's value."""
    initiative = get_initiative(org, initiative_id, for_update=True)
    row = next((r for r in initiative.rater_inputs if r.rater == rater), None)
    if row is None:
        raise NotFound(f"Rater {rater!r} not found on initiative {initiative_id}.")
    before = {name: getattr(row, name) for name in INPUT_FIELDS}
    with transaction():
        db.session.execute(delete(RaterInput).where(RaterInput.id == row.id))
        initiative.version += 1
        audit(org, actor, "initiative", initiative.id, initiative.id, "unrate",
              {"rater": rater, **{k: [v, None] for k, v in before.items() if v is not None}})
    return get_initiative(org, initiative.id)


def rater_summary(initiative: Initiative) -> dict[str, Any]:
    """The initiative's raters by name, each with their inputs by field, and per field the
    raters' median (`None` where nobody gave it) and spread `max − min` (given fields only)."""
    raters = sorted(initiative.rater_inputs, key=lambda r: r.rater.lower())
    given = [MethodInputs(**{name: getattr(r, name) for name in INPUT_FIELDS}) for r in raters]
    medians, spreads = median_inputs(given)
    return {"raters": [{"rater": r.rater, "values": asdict(inputs)}
                       for r, inputs in zip(raters, given, strict=True)],
            "median": asdict(medians), "spread": spreads}
