"""The radar of the diagnostic report: current axis scores, the axis targets and the
previous closed assessment of the same framework (the data given to the chart)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tracker.adapters.charts import png as charts
from tracker.extensions import db
from tracker.models import Assessment, Organization
from tracker.services.diagnose import radar
from tracker.services.diagnose.scores import assessment_scores, scored_assessment

AXES = ["Products", "Practices", "Organisation", "Data & AI"]
# The demo's dimension targets, all dimensions weighing 1: mean per axis.
# products 3+3+4+4+4+4+3+3 = 28, practices 4*6+3+3 = 30, organisation 4*6+3+3 = 30,
# data 4+3+3+3+4+3+3+4 = 27; each over 8 dimensions.
TARGETS = [28 / 8, 30 / 8, 30 / 8, 27 / 8]


@pytest.fixture
def demo(app) -> dict[str, Any]:
    """The demo organization, its initial diagnostic and its pulse (both closed)."""
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    by_title = {a.title: a.id for a in db.session.scalars(
        select(Assessment).where(Assessment.org_id == org_id))}
    return {"org": db.session.get(Organization, org_id),
            "diagnostic": by_title["Initial diagnostic"], "pulse": by_title["Pulse Q3 2026"]}


def _axis_scores(org: Organization, assessment_id: int) -> list[float | None]:
    return [axis["score"] for axis in assessment_scores(org, assessment_id)["axes"]]


def test_the_pulse_radar_shows_current_target_and_the_initial_diagnostic(app, demo):
    org = demo["org"]

    with app.test_request_context():  # labels are translated
        pulse = radar.axis_radar(org, scored_assessment(org, demo["pulse"]))

    assert pulse.names == AXES
    assert [label for label, _ in pulse.series] == [
        "Current", "Target", "Previous: Initial diagnostic"]
    current, target, previous = (values for _, values in pulse.series)
    assert current == _axis_scores(org, demo["pulse"])
    assert target == pytest.approx(TARGETS)
    assert previous == _axis_scores(org, demo["diagnostic"])
    assert previous != current
    assert pulse.previous is not None and pulse.previous.id == demo["diagnostic"]


def test_the_first_assessment_has_no_previous_series(app, demo):
    org = demo["org"]

    with app.test_request_context():
        first = radar.axis_radar(org, scored_assessment(org, demo["diagnostic"]))

    assert [label for label, _ in first.series] == ["Current", "Target"]
    assert first.previous is None


def test_the_report_draws_that_radar(demo, admin, monkeypatch):
    drawn: list[tuple[list[str], list[tuple[str, list[float | None]]]]] = []
    real = charts.radar_chart

    def spy(names: Any, series: Any, scale: Any, title: str) -> bytes:
        drawn.append((list(names), list(series)))
        return real(names, series, scale, title)

    monkeypatch.setattr(charts, "radar_chart", spy)
    org = demo["org"]

    response = admin.get(f"/api/v1/orgs/{org.id}/assessments/{demo['pulse']}/report")

    assert response.status_code == 200
    [(names, series)] = drawn
    assert names == AXES
    assert [label for label, _ in series] == ["Current", "Target", "Previous: Initial diagnostic"]
    assert series[1][1] == pytest.approx(TARGETS)
    assert series[2][1] == _axis_scores(org, demo["diagnostic"])
