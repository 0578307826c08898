"""The organization's scorecard criteria edited one at a time: add, change, move, remove.

Every change rewrites the whole scorecard through `initiatives.replace_scorecard`, so the
domain's rules (`validate_criteria`: a benefit weight above 0, weights of at least 0) hold
for the scorecard as a whole, and criteria stay keyed by code: a criterion added here gets a
code made from its name, which it keeps when renamed, so the initiatives keep their scores.
Removing a criterion removes the initiatives' scores on it (`scored_counts` counts
them first, so the page can say so and ask for a confirmation).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select

from tracker.domain import prioritization
from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import CriterionScore, Initiative, Organization, ScorecardCriterion
from tracker.services.decide.initiatives import (
    criteria_scores,
    domain_criteria,
    effective_inputs,
    replace_scorecard,
    scorecard,
)
from tracker.services.tenancy.access import get_owned

#: The fields of a criterion, as `replace_scorecard` takes them.
SPEC_FIELDS: tuple[str, ...] = ("code", "name", "kind", "weight", "hint")
#: The longest code a criterion may have (its column holds 100).
CODE_LENGTH = 100


def get_criterion(org: Organization, criterion_id: int) -> ScorecardCriterion:
    """One criterion of the organization's scorecard, else NotFound (another's is a 404)."""
    return get_owned(ScorecardCriterion, org, criterion_id, "Criterion")


def add_criterion(org: Organization, spec: Mapping[str, Any]) -> list[ScorecardCriterion]:
    """Add a criterion at the end of the scorecard, its code made from its name (unique in
    the organization); 422 with the errors under the criterion's own field names."""
    rows = scorecard(org)
    code = unique_code(spec["name"], (row.code for row in rows))
    return _replace(org, [*_specs(rows), {**_spec(spec), "code": code}], len(rows))


def update_criterion(org: Organization, criterion_id: int,
                     spec: Mapping[str, Any]) -> list[ScorecardCriterion]:
    """Change a criterion's name, kind, weight and hint; its code, and so the scores on it,
    stay. 422 with the errors under the criterion's own field names."""
    get_criterion(org, criterion_id)
    rows = scorecard(org)
    index = next(i for i, row in enumerate(rows) if row.id == criterion_id)
    specs = _specs(rows)
    specs[index] = {**_spec(spec), "code": rows[index].code}
    return _replace(org, specs, index)


def move_criterion(org: Organization, criterion_id: int, step: int) -> list[ScorecardCriterion]:
    """Move a criterion `step` places (−1 up, +1 down) in the scorecard's order; at either
    end it stays where it is."""
    get_criterion(org, criterion_id)
    rows = scorecard(org)
    index = next(i for i, row in enumerate(rows) if row.id == criterion_id)
    target = min(max(index + step, 0), len(rows) - 1)
    specs = _specs(rows)
    specs.insert(target, specs.pop(index))
    return replace_scorecard(org, specs)


def remove_criterion(org: Organization, criterion_id: int) -> list[ScorecardCriterion]:
    """Remove a criterion and the initiatives' scores on it; 422 when the scorecard left
    would break the domain's rules (e.g. no benefit criterion would be left)."""
    get_criterion(org, criterion_id)
    rows = scorecard(org)
    specs = [spec for row, spec in zip(rows, _specs(rows), strict=True) if row.id != criterion_id]
    if not specs:
        raise InvalidInput("The last criterion cannot be removed.", errors={"": [
            "The scorecard needs at least one benefit criterion: add another one first."]})
    return _replace(org, specs, None)


def scored_counts(org: Organization) -> dict[int, int]:
    """How many initiatives have a score on each criterion, by criterion id (what removing
    one would erase), in one query; a criterion nobody scored is absent."""
    return dict(db.session.execute(
        select(CriterionScore.criterion_id, func.count())
        .join(ScorecardCriterion, ScorecardCriterion.id == CriterionScore.criterion_id)
        .where(ScorecardCriterion.org_id == org.id).group_by(CriterionScore.criterion_id)).all())


def scorecard_priority(org: Organization, initiative: Initiative,
                       criteria: Sequence[ScorecardCriterion]) -> prioritization.Priority:
    """The initiative's value, effort and score under the scorecard method, from its
    scores on `criteria` (the organization's scorecard); missing scores are named."""
    return prioritization.score_initiative(
        "scorecard", effective_inputs(initiative), criteria=domain_criteria(criteria),
        criteria_scores=criteria_scores(initiative))


def unique_code(name: str, taken: Iterable[str]) -> str:
    """A code made from `name` (lower-case ASCII words joined by `_`), with `_2`, `_3`…
    when the organization already has it.

    >>> unique_code("Customer reach", [])
    'customer_reach'
    >>> unique_code("Coût / risque", ["cout_risque"])
    'cout_risque_2'
    >>> unique_code("???", [])
    'criterion'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:CODE_LENGTH - 4]
    base = base or "criterion"
    used = set(taken)
    code, number = base, 1
    while code in used:
        number += 1
        code = f"{base}_{number}"
    return code


def _spec(data: Mapping[str, Any]) -> dict[str, Any]:
    """A criterion's editable fields from a form's data."""
    return {"name": data["name"], "kind": data["kind"], "weight": data["weight"],
            "hint": data.get("hint", "")}


def _specs(rows: Iterable[ScorecardCriterion]) -> list[dict[str, Any]]:
    """The criteria as `replace_scorecard` takes them, in their order."""
    return [{name: getattr(row, name) for name in SPEC_FIELDS} for row in rows]


def _replace(org: Organization, specs: list[dict[str, Any]],
             index: int | None) -> list[ScorecardCriterion]:
    """`replace_scorecard`, with the domain's errors on the criterion at `index` under its
    own field names (`weight`) and the scorecard-wide ones under `""`."""
    try:
        return replace_scorecard(org, specs)
    except InvalidInput as invalid:
        own = f"criteria[{index}]."
        errors: dict[str, list[str]] = {}
        for key, messages in invalid.errors.items():
            field = key.removeprefix(own) if key.startswith(own) else ""
            errors.setdefault(field, []).extend(messages)
        raise InvalidInput(invalid.detail, errors=errors) from invalid
