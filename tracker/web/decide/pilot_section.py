"""The pilot section of the initiative page: the pilots judged on their criteria and the
forms that edit them (the routes that post them are `tracker.web.decide.pilots`)."""

from __future__ import annotations

from typing import Any

from tracker.models import Organization
from tracker.services.decide import pilots
from tracker.services.follow import kpis
from tracker.web.i18n import input_number
from tracker.web.labels import DECISION_LABELS, VERDICT_LABELS

#: Empty criterion rows a criteria form offers beside the filled ones.
EMPTY_ROWS = 2


def pilot_context(org: Organization, initiative_id: int, forms: dict[str, Any]
                  ) -> dict[str, Any]:
    """What the initiative page's pilot section needs: the pilots judged, the KPIs a
    criterion can name, their names (archived ones too, for old criteria), the rows and
    errors of a refused form (`forms`: `pilot_values`, `pilot_rows`, `pilot_errors`,
    `row_errors`, `decision_errors`, `criteria_forms`)."""
    choices = kpis.kpis_of(org)
    judged = pilots.judged(org, pilots.list_pilots(org, initiative_id, 1, 200).items)
    names = {k.id: k.name for k in choices}
    names.update(pilots.kpi_names(org, [v.kpi_id for p in judged for v in p.verdicts
                                      if v.kpi_id not in names]))
    edits = forms.get("criteria_forms", {})
    return {
        "pilots": judged, "kpi_choices": choices, "kpi_names": names,
        "verdict_labels": VERDICT_LABELS, "decision_labels": DECISION_LABELS,
        "pilot_values": forms.get("pilot_values", {}),
        "pilot_errors": forms.get("pilot_errors", {}),
        "pilot_rows": forms.get("pilot_rows") or blank_rows(EMPTY_ROWS + 1),
        "row_errors": forms.get("row_errors", {}),
        "decision_errors": forms.get("decision_errors", {}),
        "criteria_forms": {p.id: edits.get(p.id) or {"rows": _rows_of(p.criteria), "errors": {}}
                           for p in judged},
    }


def blank_rows(count: int) -> list[dict[str, str]]:
    """`count` empty criterion rows."""
    return [{"kpi_id": "", "threshold": ""} for _n in range(count)]


def _rows_of(criteria: list[dict[str, Any]]) -> list[dict[str, str]]:
    """A pilot's criteria as form rows, then the empty rows."""
    return [{"kpi_id": str(c["kpi_id"]), "threshold": input_number(c["threshold"])}
            for c in criteria or []] + blank_rows(EMPTY_ROWS)
